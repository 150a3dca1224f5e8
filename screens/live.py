"""What every screen of a live meeting shares: the meeting, given to it by the App.

The App calls `refresh_state` whenever the meeting changed (a key recorded, news
from the store, writing failed or works again); the screen shows what it derives.

Each of them is the first screen of a door (`kring run`, resume, notes, evaluate,
demo), so none does Textual's start-up work twice: see `on_screen_resume` and
`on_resize`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from textual import events

    from kring.tui.session import LiveMeeting

Result = TypeVar("Result")


class LiveScreen(Screen[Result]):
    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live

    def refresh_state(self) -> None:
        """Show the meeting as it is now."""

    # Textual calls each class's handler, the subclass's first; prevent_default
    # (or a changed event) keeps Textual's own from doing what is done already.

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """The first time on top, the styles every widget got as it was mounted are its
        styles: Textual would work them all out again (a tenth of the first frame's
        time). Later (back from a dialog, a theme changed meanwhile) they are."""
        if not self.stack_updates:
            event.refresh_styles = False

    def on_resize(self, event: events.Resize) -> None:
        """While the store opens, a size the screen is laid out at already lays nothing
        out again. Textual sends the first screen three such (the terminal's size, then
        again, then the screen's own) and laid the whole screen out anew for each, right
        after the first frame: the frame waited for them to go out. Later Textual's way,
        whose scrolling the screens' looks are pinned with."""
        if not self.live.connected and event.size == self.outer_size:
            event.prevent_default()
