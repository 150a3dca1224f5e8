"""Every version of one note, oldest first (the note-taker's `h` in the list)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Static

from kring.data.i18n import _
from kring.data.labels import author_label, kind_label, user_time
from kring.tui.widgets.noteinput import to_input


class NoteHistoryScreen(ModalScreen[None]):
    """Every version of one note, oldest first (Esc closes)."""

    BINDINGS = [Binding("escape,h,q", "dismiss", _("Close"), id="notes.history.close")]
    DEFAULT_CSS = """
    NoteHistoryScreen { align: center middle; }
    #history { width: 90%; height: auto; max-height: 90%; border: heavy $primary; background: $surface;
               padding: 0 1; }
    """

    def __init__(self, revisions) -> None:  # noqa: ANN001
        super().__init__()
        self.revisions = revisions

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history"):
            yield Static("[b]" + _("History of this note") + "[/b]")
            for r in self.revisions:
                state = []
                if r.deleted:
                    state.append(_("deleted"))
                if r.confidential:
                    state.append(_("confidential"))
                head = f"{r.revision}. {user_time(r.at).strftime('%H:%M:%S')} · {escape(author_label(r.author))} · {kind_label(r.kind)}"
                if r.owner:
                    head += f" → {escape(r.owner)}" + (f", {r.due}" if r.due else "")
                if state:
                    head += " · " + ", ".join(state)
                yield Static(f"[b]{head}[/b]\n{escape(to_input(r.text))}")
            yield Static("[dim]" + _("Esc closes the history.") + "[/dim]")
