"""The note-taker's screen as it paints first, before the store is open.

The same lines as the full screen (`kring.screens.notes`): the meeting, its live
step and clock, who has the floor, and the input, focused, so the note-taker
types at once. Only the notes' list waits for the store. Text typed here is
journalled per key (kring.tui.widgets.firstdraft); any key that would do more
than edit the text (Enter saves, ctrl+g, tab …) waits, with every key after it,
and is handed to the full screen in order once the store is open. So nothing is
lost, and nothing is shown as saved before it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.markup import escape
from textual.message import Message
from textual.widgets import Footer, Input, Static

from kring.data.core.subagenda import heading
from kring.data.core.timeline import Timeline
from kring.data.i18n import _
from kring.data.labels import clock_time, countdown
from kring.screens.live import LiveScreen
from kring.tui.messages import ScreenShown
from kring.tui.widgets.noteinput import NoteInput, hint_text

if TYPE_CHECKING:
    from kring.tui.session import LiveMeeting
    from kring.tui.widgets.firstdraft import FirstDraft

# Keys the input edits the text with; any other (Enter first of all) waits for the store.
_EDITING = frozenset(k.strip() for b in Input.BINDINGS for k in b.key.split(",")) - {"enter"}  # type: ignore[union-attr]
# The App's own keys (help, theme, the command palette) work at once.
_APP_KEYS = frozenset({"f1", "ctrl+t", "ctrl+p", "ctrl+q"})


def live_lines(live: LiveMeeting, tl: Timeline) -> tuple[str, str, str]:
    """(the live step, its clock, who has the floor), as markup: what the top of the screen says."""
    step_now = tl.live
    if tl.closed:
        return (_("The meeting is closed. A note added now asks first; kring moves on to "
                  "the next meeting once it is live."), "", "")
    if step_now is None:
        return (_("Not started yet: {n} steps. Notes are filed under the first step once it starts.").format(
            n=len(tl.top)), "", "")
    step = escape(heading(tl, live.format, step_now))
    clock = countdown(step_now.remaining) + ("" if tl.running else "  ⏸")
    floor = _("Speaking: {name}").format(name=escape(tl.speaker)) if tl.speaker else ""
    planned = live.format.step(step_now.index)
    prompts = planned.prompts if planned is not None else ()
    if prompts:
        floor = (floor + "  ·  " if floor else "") + "[dim]" + escape("  ·  ".join(prompts)) + "[/dim]"
    return step, clock, floor


class WaitingInput(NoteInput):
    """The note input before the store is open: edits the text at once, keeps the rest in `waiting`."""

    def __init__(self, *args: Any, waiting: list[tuple[str, str | None]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.waiting = waiting

    async def _on_key(self, event: events.Key) -> None:
        if event.key in _APP_KEYS:
            return
        if self.waiting or not (event.is_printable or event.key in _EDITING):
            event.stop()
            event.prevent_default()
            self.waiting.append((event.key, event.character))
            self.post_message(self.Waiting())
        # else Textual goes on to NoteInput's and Input's own handlers: the text is edited

    def _on_paste(self, event: events.Paste) -> None:
        if self.waiting:  # after a waiting key: in its turn
            event.stop()
            event.prevent_default()
            self.waiting.append(("paste", event.text))

    class Waiting(Message):
        """A key waits for the store."""


class NotesScreen(LiveScreen[None]):
    """Named as the full screen, so notes.tcss styles both."""

    CSS_PATH = "notes.tcss"
    AUTO_FOCUS = "#note-input"

    def __init__(self, live: LiveMeeting, draft: FirstDraft, waiting: list[tuple[str, str | None]]) -> None:
        super().__init__(live)
        self.draft = draft
        self.waiting = waiting
        self._ticking: Any = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="notes-top"):
            yield Static(escape(self.live.meeting.title), id="notes-title", markup=True)
            yield Static("", id="notes-clock")
        with Horizontal(id="notes-live"):
            yield Static("", id="notes-step")
            yield Static("", id="notes-countdown")
        yield Static("", id="notes-floor")
        yield Static(_("Opening the notes…"), id="note-list")
        yield Static(escape(hint_text()), id="notes-hint")
        yield Static("", id="notes-notice")
        yield WaitingInput(placeholder=_("Type a note, Enter saves it"), id="note-input", composer=self.draft,
                           waiting=self.waiting)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_state()
        self._ticking = self.set_interval(0.25, self.refresh_state)
        self.call_after_refresh(self.post_message, ScreenShown())  # the first frame is out

    def on_screen_resume(self) -> None:
        if self.live.connected:  # a dialog closed after the store opened: the full screen's turn
            self.post_message(ScreenShown())

    def retire(self) -> None:
        if self._ticking is not None:
            self._ticking.stop()

    def refresh_state(self) -> None:
        if not self.children:
            return
        tl = self.live.timeline()
        step, clock, floor = live_lines(self.live, tl)
        self.query_one("#notes-clock", Static).update(clock_time(tl.now))
        self.query_one("#notes-step", Static).update(step)
        self.query_one("#notes-countdown", Static).update(clock)
        self.query_one("#notes-floor", Static).update(floor)

    def on_waiting_input_waiting(self) -> None:
        self.query_one("#notes-hint", Static).update(
            escape(_("Opening the store: your keys wait for it and follow in a moment.")))
