"""The agenda's step list: one small widget a step, so a ticking clock redraws one line."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from kring.data.i18n import _
from kring.data.timefmt import countdown, mmss
from kring.data.timeline import StepState



STATE_WIDTH = 7  # the right-hand column: the live countdown or the time a step took


class StepRow(Widget):
    """Title, planned minutes, and the live countdown or the time it took.

    The clock column is a widget of its own: Textual sends a changed widget's
    line from its left edge, so a tick sends those few cells, not the whole row.
    """

    DEFAULT_CSS = """
    StepRow { height: 1; padding: 0 1; layout: horizontal; }
    StepRow.-live { background: $primary 25%; text-style: bold; }
    StepRow.-done { color: $text-muted; }
    StepRow.-warn { color: $warning; }
    StepRow.-over { color: $error; }
    StepRow > .step-label { width: 1fr; height: 1; }
    StepRow > .step-state { width: 8; height: 1; }
    """  # the state: a space between the columns, then STATE_WIDTH cells

    def __init__(self, index: int) -> None:
        super().__init__(id=f"step-{index}")
        self.index = index
        self._shown: tuple | None = None
        self.state_text = ""  # the countdown or actual time as shown
        self._label = Static("", classes="step-label")
        self._state = Static("", classes="step-state")

    def compose(self) -> ComposeResult:
        yield self._label
        yield self._state

    def show(self, step: StepState, live: bool) -> None:
        done = not live and step.elapsed > 0
        if live:
            state = countdown(step.remaining)
        elif done:
            state = mmss(step.elapsed)
        else:
            state = ""
        key = (step.title, step.planned, live, done, step.remaining <= 0)
        if (key, state) == self._shown:
            return  # nothing changed: write nothing to the terminal
        label_changed = self._shown is None or self._shown[0] != key
        state_changed = self._shown is None or self._shown[1] != state
        self._shown = (key, state)
        self.state_text = state
        self.set_class(live, "-live")
        self.set_class(done, "-done")
        self.set_class(live and step.remaining <= 0, "-over")
        self.set_class(live and 0 < step.remaining <= 120, "-warn")
        if label_changed:
            grid = Table.grid(expand=True, padding=(0, 1))
            grid.add_column(width=2, no_wrap=True)
            grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
            grid.add_column(width=6, justify="right", no_wrap=True)
            marker = "▶" if live else ("✓" if done else " ")
            grid.add_row(marker, f"{step.index + 1}. {step.title}", mmss(step.planned))
            self._label.update(grid, layout=False)
        if state_changed:
            # one space between the columns, then the time right-aligned
            cell = Text(" " + state.rjust(STATE_WIDTH), no_wrap=True, overflow="ellipsis", end="")
            self._state.update(cell, layout=False)
