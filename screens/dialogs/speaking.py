"""Who spoke how long: the moderator's even-ness figure (key t)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kring.data.core.rounds import SpeakingFigure, evenness
from kring.data.i18n import _
from kring.data.labels import mmss

BAR = 16


def evenness_line(figures: list[SpeakingFigure]) -> str:
    spread = evenness([f.seconds for f in figures])
    if spread is None:
        return _("Nobody has had the floor yet.")
    most, least = figures[0], figures[-1]
    return _("Evenness {percent}% (100% = everyone equally long) · most: {most} · least: {least}").format(
        percent=round(spread * 100), most=most.name, least=least.name)


class SpeakingScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    SpeakingScreen { align: center middle; }
    #speaking { width: 72; max-width: 95%; height: auto; max-height: 95%;
                border: heavy $primary; background: $surface; padding: 0 1; }
    #speaking .title { text-style: bold; color: $primary; }
    #speaking .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,t,q", "dismiss(None)", _("Close"), id="speaking.close")]

    def __init__(self, figures: list[SpeakingFigure]) -> None:
        super().__init__()
        self.figures = figures

    def table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column(justify="right")
        table.add_column(justify="right")
        table.add_column()
        table.add_row(_("Participant"), _("time"), _("turns"), "")
        top = max((f.seconds for f in self.figures), default=0) or 1
        for f in self.figures:
            bar = Text("█" * round(BAR * f.seconds / top), style="cyan")
            table.add_row(f.name, mmss(f.seconds), str(f.turns), bar)
        return table

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="speaking"):
            yield Static(_("Speaking time"), classes="title")
            yield Static(self.table())
            yield Static(evenness_line(self.figures), id="evenness")
            yield Static(_("Esc closes this list."), classes="hint")
