"""Back to an earlier step (key r): how much of the time left the repeated steps get."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kring.data.core.loops import DEFAULT_SHARE, LoopChoice
from kring.data.i18n import _


def share_label(share: float) -> str:
    return {0.25: _("A quarter of the time left"), 0.5: _("Half of the time left"),
            0.75: _("Three quarters of the time left")}.get(share, _("A third of the time left"))


class LoopScreen(ModalScreen[LoopChoice | None]):
    """The moderator picks a share; enter confirms the highlighted one (half by default)."""

    DEFAULT_CSS = """
    LoopScreen { align: center middle; }
    #loop { width: 70; max-width: 95%; height: auto; max-height: 95%;
            border: heavy $primary; background: $surface; padding: 0 1; }
    #loop .title { text-style: bold; color: $primary; }
    #loop OptionList { height: auto; max-height: 6; }
    #loop .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", _("Cancel: stay in this step"), id="loop.cancel")]

    def __init__(self, title: str, steps: list[str], left_minutes: int, choices: list[LoopChoice]) -> None:
        super().__init__()
        self.title_text = title
        self.steps = steps
        self.left_minutes = left_minutes
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="loop"):
            yield Static(_("Back to '{title}'").format(title=self.title_text), classes="title")
            yield Static(_("{minutes} min left until the planned end. How much of it do these steps get: "
                           "{steps}?").format(minutes=self.left_minutes, steps=", ".join(self.steps)))
            yield OptionList(*[Option(self._label(c), id=str(i)) for i, c in enumerate(self.choices)], id="loop-shares")
            yield Static(_("↑↓ choose · enter confirms · esc stays in this step"), classes="hint")

    def _label(self, choice: LoopChoice) -> str:
        each = " + ".join(str(m) for m in choice.minutes)
        text = _("{share}: {minutes} min").format(share=share_label(choice.share), minutes=choice.total)
        return text + (f" ({each})" if len(choice.minutes) > 1 else "")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        shares = [c.share for c in self.choices]
        options.highlighted = shares.index(DEFAULT_SHARE) if DEFAULT_SHARE in shares else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.choices):
            self.dismiss(self.choices[event.option_index])
