"""One line of text asked for (a network's name, an agreed ground rule)."""

from __future__ import annotations

from collections.abc import Callable

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

    DEFAULT_CSS = DIALOG_CSS.format(name="TextPromptScreen") + """
    TextPromptScreen #prompt-problem { color: $warning; display: none; }
    TextPromptScreen #prompt-problem.-shown { display: block; }
    """
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="prompt.cancel")]

    def __init__(self, question: str, value: str = "", check: Callable[[str], str | None] | None = None) -> None:
        """`check` says in one line what is wrong with an answer (None: fine); while it
        says something the dialog stays open with the answer as typed."""
        super().__init__()
        self.question = question
        self.value = value
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt", classes="dialog"):
            yield Label(self.question)
            yield Input(self.value, id="prompt-input")
            yield Static("", id="prompt-problem", markup=False)
            yield Static(_("Enter keeps it · Esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        answer = event.value.strip() or None
        problem = self.check(answer) if self.check is not None and answer is not None else None
        shown = self.query_one("#prompt-problem", Static)
        shown.update("⚠ " + problem if problem else "")
        shown.set_class(bool(problem), "-shown")
        if not problem:
            self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)
