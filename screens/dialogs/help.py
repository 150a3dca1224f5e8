"""All keys of the screen underneath, with what they do (`?` or F1)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from kring.data.i18n import _
from kring.tui.widgets.keybar import in_declared_order


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    #help { width: 64; max-width: 95%; height: auto; max-height: 90%;
            border: heavy $primary; background: $surface; padding: 0 1; }
    #help .title { text-style: bold; color: $primary; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", _("Close"), id="help.close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        # Read the keys now, while the screen underneath is still the active one.
        keys: dict[str, list[str]] = {}
        described: dict[str, str] = {}
        for active in in_declared_order(under):
            binding = active.binding
            # kring's own keys carry ids; Textual's scroll and copy keys are noise here
            if not binding.description or not binding.id:
                continue
            keys.setdefault(binding.action, []).append(under.app.get_key_display(binding))
            # the footer's label is terse; a tooltip, where given, says it in full
            described.setdefault(binding.action, binding.tooltip or binding.description)
        self.rows: list[tuple[str, str]] = [
            (", ".join(dict.fromkeys(keys[action])), described[action]) for action in keys
        ]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for row in self.rows:
            table.add_row(*row)
        with VerticalScroll(id="help"):
            yield Static(_("Keys"), classes="title")
            yield Static(table)
            yield Static(_("Esc closes this list."))
