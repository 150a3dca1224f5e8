"""The sub-agenda's panel beside the agenda's countdown: which work format runs
inside the step, where in it the meeting is, and the time the step has left;
or, in a step that offers one, the key that chooses it."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class SubagendaPanel(Static):
    """Fed by the agenda with its line; hidden while empty."""

    text: reactive[str] = reactive("", init=False)

    def __init__(self) -> None:
        super().__init__("", id="subagenda-panel", classes="side-panel")
        self.display = False

    def watch_text(self, text: str) -> None:
        self.display = bool(text)
        self.update(text)
