"""Which work format runs inside this step: the moderator chooses on the spot (W).

Lists the intervision formats kring knows (the user's own among them), each
with its own length and what it becomes in the time the step has left.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kring.data.i18n import _


class WorkFormatChoiceScreen(ModalScreen[str | None]):
    """Pick a format by name; esc: the step runs as it is, without one."""

    DEFAULT_CSS = """
    WorkFormatChoiceScreen { align: center middle; }
    #formatchoice { width: 76; max-width: 95%; height: auto; max-height: 95%;
                    border: heavy $primary; background: $surface; padding: 0 1; }
    #formatchoice .title { text-style: bold; color: $primary; }
    #formatchoice OptionList { height: auto; max-height: 14; }
    #formatchoice .hint { color: $text-muted; }
    WorkFormatChoiceScreen.-small #formatchoice OptionList { max-height: 5; }
    WorkFormatChoiceScreen.-small #formatchoice .hint { display: none; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", _("Cancel: no work format in this step"),
                        id="formatchoice.cancel")]

    def __init__(self, step_title: str, formats: list[tuple[str, str, int, int]],
                 broken: dict[str, str] | None = None) -> None:
        """`formats`: (name, title, the minutes it plans, the minutes it gets in this step) each;
        `broken`: name -> why the user's own version of it does not load (shown, not offered)."""
        super().__init__()
        self.step_title = step_title
        self.formats = formats
        self.broken = broken or {}

    def _option(self, name: str, title: str, planned: int, budget: int) -> Option:
        if name in self.broken:
            return Option(_("{title} · your own version is broken: {reason}").format(
                title=escape(title), reason=escape(self.broken[name])), id=name, disabled=True)
        return Option(_("{title} · {planned} min, here {budget} min").format(
            title=escape(title), planned=planned, budget=budget), id=name)

    def compose(self) -> ComposeResult:
        with Vertical(id="formatchoice"):
            yield Static(_("Which work format runs in '{step}'?").format(step=escape(self.step_title)),
                         classes="title")
            yield OptionList(*[self._option(*each) for each in self.formats], id="format-options")
            yield Static(_("↑↓ choose · enter starts it inside this step · esc: the step without one"),
                         classes="hint")

    def _small(self) -> None:
        self.set_class(self.size.height < 20, "-small")

    def on_resize(self) -> None:
        self._small()

    def on_mount(self) -> None:
        self._small()
        options = self.query_one(OptionList)
        usable = [i for i, (name, *_rest) in enumerate(self.formats) if name not in self.broken]
        if usable:
            options.highlighted = usable[0]
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))
