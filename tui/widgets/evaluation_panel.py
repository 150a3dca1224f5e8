"""The evaluation's panel beside the agenda's countdown: how many have answered,
out of how many, and the key that goes on (`e` pass round, `u` results)."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from kring.data.i18n import _


def evaluation_text(answered: int, expected: int, last_step: bool, closed: bool) -> str:
    if not answered and not (last_step or closed):
        return ""
    if (expected and answered >= expected) or closed:
        if expected and answered >= expected:
            return _("Evaluation: everyone has answered ({n}) · u: results").format(n=answered)
        return _("Evaluation: {n} of {total} answered · u: results").format(n=answered, total=expected)
    return _("Evaluation: {n} of {total} answered · e: pass round").format(n=answered, total=expected)


class EvaluationPanel(Static):
    """Fed by the agenda: the answers so far and where the meeting is. Hidden while empty."""

    answered: reactive[int] = reactive(0, init=False)
    expected: reactive[int] = reactive(0, init=False)
    last_step: reactive[bool] = reactive(False, init=False)
    closed: reactive[bool] = reactive(False, init=False)

    def __init__(self) -> None:
        super().__init__("", id="evaluation-panel", classes="side-panel")
        self.display = False
        self._text = ""

    def watch_answered(self) -> None:
        self._show()

    def watch_expected(self) -> None:
        self._show()

    def watch_last_step(self) -> None:
        self._show()

    def watch_closed(self) -> None:
        self._show()

    def _show(self) -> None:
        text = evaluation_text(self.answered, self.expected, self.last_step, self.closed)
        if text != self._text:
            self._text = text
            self.display = bool(text)
            self.update(text)
