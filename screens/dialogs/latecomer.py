"""A latecomer joins, or someone marked absent comes back (key l)."""

from __future__ import annotations

from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from kring.data.i18n import _


class LatecomerScreen(ModalScreen[str | None]):
    """One line for a name. `check` returns what is wrong with it, or None; a refused name
    stays in the field so nothing typed is lost."""

    DEFAULT_CSS = """
    LatecomerScreen { align: center middle; }
    #latecomer { width: 60; max-width: 95%; height: auto; border: heavy $primary;
                 background: $surface; padding: 0 1; }
    #latecomer .title { text-style: bold; color: $primary; }
    #latecomer .hint { color: $text-muted; }
    #latecomer-error { color: $error; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", _("Cancel: add nobody"), id="latecomer.cancel")]

    def __init__(self, check: Callable[[str], str | None], absent: list[str] | None = None) -> None:
        super().__init__()
        self.check = check
        self.absent = absent or []

    def compose(self) -> ComposeResult:
        with Vertical(id="latecomer"):
            yield Static(_("Who comes in?"), classes="title")
            yield Input(placeholder=_("Their name"), id="latecomer-name")
            yield Static("", id="latecomer-error")
            if self.absent:
                yield Static(_("Marked absent: {names}").format(names=", ".join(self.absent)), classes="hint")
            yield Static(_("enter adds them at the end of the order · esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self.check(event.value)
        if problem:
            self.query_one("#latecomer-error", Static).update(problem)
            return
        self.dismiss(" ".join(event.value.split()))
