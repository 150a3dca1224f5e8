"""Who brings the case: the group has chosen, the moderator records it (key c)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kring.data.i18n import _


class CaseChoiceScreen(ModalScreen[tuple[str, str] | None]):
    """Pick the case-bringer from the people present; the case in a few words is optional."""

    DEFAULT_CSS = """
    CaseChoiceScreen { align: center middle; }
    #casechoice { width: 60; max-width: 95%; height: auto; max-height: 95%;
                  border: heavy $primary; background: $surface; padding: 0 1; }
    #casechoice .title { text-style: bold; color: $primary; }
    #casechoice OptionList { height: auto; max-height: 12; }
    #casechoice .hint { color: $text-muted; }
    #casechoice .hint.-short { display: none; }
    CaseChoiceScreen.-small #casechoice OptionList { max-height: 4; }
    CaseChoiceScreen.-small #casechoice .hint.-long { display: none; }
    CaseChoiceScreen.-small #casechoice .hint.-short { display: block; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", _("Cancel: choose nobody"), id="casechoice.cancel")]

    def __init__(self, people: list[str], current: str | None = None, title: str = "") -> None:
        super().__init__()
        self.people = people
        self.current = current
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(id="casechoice"):
            yield Static(_("Who brings the case?"), classes="title")
            yield OptionList(*[Option(name, id=str(i)) for i, name in enumerate(self.people)], id="case-people")
            yield Input(self.title_text, placeholder=_("The case in a few words (optional)"), id="case-title")
            yield Static(_("↑↓ choose · enter confirms · tab: the case in a few words · esc cancels"),
                         classes="hint -long")
            # a small terminal still says how to add the case, whole (the long one would be cut off)
            yield Static(_("enter: choose · tab: the case · esc"), classes="hint -short")

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        small = self.size.height < 20
        self.set_class(small, "-small")
        self.query_one(Input).compact = small  # one line instead of three
        self.query_one(OptionList).compact = small  # every name, not two of them between borders

    def on_mount(self) -> None:
        self._fit()
        options = self.query_one(OptionList)
        if self.current in self.people:
            options.highlighted = self.people.index(self.current)
        elif self.people:
            options.highlighted = 0
        options.focus()

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.people):
            return
        self.dismiss((self.people[index], " ".join(self.query_one(Input).value.split())))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.query_one(OptionList).highlighted)
