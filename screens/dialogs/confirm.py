"""A yes/no question that one key answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kring.data.i18n import _


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    #confirm { width: auto; max-width: 90%; height: auto; border: heavy $warning;
               background: $surface; padding: 0 2; }
    #confirm > Static { width: auto; max-width: 100%; }
    """
    BINDINGS = [
        Binding("j,y,enter", "answer(True)", _("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", _("No"), id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question)
            yield Static(_("[b]y[/b] yes   [b]n[/b] no"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
