"""One line of text asked for (a network's name, an agreed ground rule)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from kring.data.i18n import _
from kring.screens.dialogs.frame import DIALOG_CSS


class TextPromptScreen(ModalScreen[str | None]):
    """One line of text: Enter keeps it, Esc cancels."""

    DEFAULT_CSS = DIALOG_CSS.format(name="TextPromptScreen")
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="prompt.cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt", classes="dialog"):
            yield Label(self.question)
            yield Input(self.value, id="prompt-input")
            yield Static(_("Enter keeps it · Esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
