"""F1 in the note-taker's client: its keys and the note syntax, on one page."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Static

from kring.data.i18n import _


class NotesHelpScreen(ModalScreen[None]):
    """F1: the note-taker's keys and the note syntax, on one page."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", _("Close"), id="notes.help.close")]
    DEFAULT_CSS = """
    NotesHelpScreen { align: center middle; }
    #notes-help { width: 96%; max-width: 100; height: auto; max-height: 96%; border: heavy $primary;
                  background: $surface; padding: 0 1; }
    #notes-help .title { text-style: bold; color: $primary; }
    """

    def compose(self) -> ComposeResult:
        def table(rows: list[tuple[str, str]]) -> Table:
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold", no_wrap=True)
            grid.add_column()
            for row in rows:
                grid.add_row(*row)
            return grid

        keys = [
            ("Enter", _("save the note (filed under the step and speaker of its first key)")),
            ("↑  Tab", _("to the list of notes, and back")),
            ("e  Enter", _("in the list: edit the note (the old version is kept)")),
            ("d", _("in the list: delete the note (its history is kept)")),
            ("h", _("in the list: every version of the note")),
            ("Esc", _("stop editing; back to typing")),
            ("ctrl+g", _("confidential on/off: the note being typed, or the one selected")),
            ("ctrl+u", _("clear the input")),
            ("ctrl+q", _("quit (an unsent note is kept as your draft)")),
        ]
        kinds = Table.grid(padding=(0, 2))
        for _i in range(2):
            kinds.add_column(style="bold", no_wrap=True)
            kinds.add_column()
        kinds.add_row("b:  !", _("decision"), "p:", _("parking lot"))
        kinds.add_row("a:", _("action: a: what @who when"), 'c:  "', _("quote"))
        kinds.add_row("i:", _("insight"), "n:", _("plain note (the default)"))
        kinds.add_row("v:  ?", _("open question"), "", "")
        with VerticalScroll(id="notes-help"):
            yield Static(_("Keys"), classes="title")
            yield Static(table(keys))
            yield Static(_("Kinds: type the prefix first"), classes="title")
            yield Static(kinds)
            yield Static(escape(_("Example: a: Anouk belt de gemeente @Anouk vrijdag")))
            yield Static(escape(_("When: vrijdag, volgende week dinsdag, over twee weken, morgen, 4 december, "
                                  "2026-12-04 (English works too)")))
            yield Static("[dim]" + escape(_("Esc closes this help.")) + "[/dim]")
