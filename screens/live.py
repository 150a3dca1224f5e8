"""What every screen of a live meeting shares: the meeting, given to it by the App.

The App calls `refresh_state` whenever the meeting changed (a key recorded, news
from the store, writing failed or works again); the screen shows what it derives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from kring.tui.session import LiveMeeting

Result = TypeVar("Result")


class LiveScreen(Screen[Result]):
    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live

    def refresh_state(self) -> None:
        """Show the meeting as it is now."""
