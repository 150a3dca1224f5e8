"""The agenda's step list: one small widget a step, so a ticking clock redraws one line."""

from __future__ import annotations

from rich.table import Table
from textual.widgets import Static

from kring.data.i18n import _
from kring.data.timefmt import countdown, mmss
from kring.data.timeline import StepState

MODE_LABELS = {
    "case": _("case-bringer"),
    "round": _("round"),
    "open": _("open"),
    "solo": _("on your own"),
    "facilitator": _("moderator"),
    "subgroups": _("subgroups"),
}


class StepRow(Static):
    """Title, planned minutes, and the live countdown or the time it took."""

    DEFAULT_CSS = """
    StepRow { height: 1; padding: 0 1; }
    StepRow.-live { background: $primary 25%; text-style: bold; }
    StepRow.-done { color: $text-muted; }
    StepRow.-warn { color: $warning; }
    StepRow.-over { color: $error; }
    """

    def __init__(self, index: int) -> None:
        super().__init__(id=f"step-{index}")
        self.index = index
        self._shown: tuple | None = None
        self.state_text = ""  # the countdown or actual time as shown

    def show(self, step: StepState, live: bool) -> None:
        done = not live and step.elapsed > 0
        if live:
            state = countdown(step.remaining)
        elif done:
            state = mmss(step.elapsed)
        else:
            state = ""
        key = (step.title, step.planned, state, live, done, step.remaining <= 0)
        if key == self._shown:
            return  # nothing changed: write nothing to the terminal
        self._shown = key
        self.state_text = state
        self.set_class(live, "-live")
        self.set_class(done, "-done")
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(width=2, no_wrap=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=6, justify="right", no_wrap=True)
        grid.add_column(width=7, justify="right", no_wrap=True)
        marker = "▶" if live else ("✓" if done else " ")
        self.set_class(live and step.remaining <= 0, "-over")
        self.set_class(live and 0 < step.remaining <= 120, "-warn")
        grid.add_row(marker, f"{step.index + 1}. {step.title}", mmss(step.planned), state)
        self.update(grid)
