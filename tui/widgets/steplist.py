"""The agenda's step list: one widget that draws its rows itself.

A row reads `▶  1. Title ....... 10:00   07:12`: marker, number and title,
planned minutes, and the live countdown or the time the step took. It is one
widget for the whole list, not a few per step, because start-up time goes into
every widget mounted and styled before the first frame (issue #8). When only
a clock changes, only those cells are marked for repaint, so a tick sends a
few characters to the terminal, not the whole row.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kring.data.timefmt import countdown, mmss
from kring.data.timeline import StepState

STATE_WIDTH = 7  # the right-hand column: the live countdown or the time a step took
PLANNED_WIDTH = 6
# The row's cells: padding, marker (2), space, title, space, planned, space, state, padding.
FIXED = 1 + 2 + 1 + 1 + PLANNED_WIDTH + 1 + STATE_WIDTH + 1


@dataclass(frozen=True)
class Row:
    """What one step's row shows."""

    index: int
    title: str
    planned: float
    live: bool
    done: bool
    over: bool
    warn: bool
    state: str  # the countdown, the time it took, or ""

    @property
    def label(self) -> tuple:
        """Everything but the clock: a change here repaints the row."""
        return self.title, self.planned, self.live, self.done, self.over, self.warn


def row_for(step: StepState, live: bool) -> Row:
    done = not live and step.elapsed > 0
    state = countdown(step.remaining) if live else (mmss(step.elapsed) if done else "")
    return Row(step.index, step.title, step.planned, live, done, over=live and step.remaining <= 0,
               warn=live and 0 < step.remaining <= 120, state=state)


class StepList(ScrollView, can_focus=False):
    """Every step of the meeting, the live one highlighted and kept in view."""

    COMPONENT_CLASSES = {"step-list--live", "step-list--done", "step-list--warn", "step-list--over"}
    DEFAULT_CSS = """
    StepList { height: 1fr; overflow-x: hidden; }
    StepList > .step-list--live { background: $primary 25%; text-style: bold; }
    StepList > .step-list--done { color: $text-muted; }
    StepList > .step-list--warn { color: $warning; }
    StepList > .step-list--over { color: $error; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._strips: dict[tuple, Strip] = {}  # (row, width, look) -> the drawn row

    # --- what is shown -----------------------------------------------------------------

    @property
    def state_texts(self) -> list[str]:
        """Each step's clock column as shown: the countdown, the time taken, or ""."""
        return [row.state for row in self.rows]

    def show(self, steps: list[StepState], live_index: int | None) -> None:
        """Show the steps; repaint only the rows (or the clock cells) that changed."""
        rows = [row_for(step, live=step.index == live_index) for step in steps]
        if len(rows) != len(self.rows):
            self.rows = rows
            self._strips.clear()
            self.virtual_size = Size(self.size.width, len(rows))
            self.refresh()
        else:
            old, self.rows = self.rows, rows
            for y, (before, now) in enumerate(zip(old, rows)):
                width = self.scrollable_content_region.width
                if before.label != now.label:
                    self._refresh_cells(y, 0, width)
                elif before.state != now.state:
                    # The clock column only: these cells, not the whole row.
                    self._refresh_cells(y, width - 1 - STATE_WIDTH - 1, STATE_WIDTH + 1)
        if live_index is not None and self.is_mounted:
            self._keep_in_view(live_index)

    def _refresh_cells(self, y: int, x: int, width: int) -> None:
        top = y - self.scroll_offset.y
        if 0 <= top < self.size.height:
            self.refresh(Region(max(0, x), top, width, 1))

    def _keep_in_view(self, y: int) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = self.scroll_offset.y
        if y < top:
            self.scroll_to(y=y, animate=False, immediate=True)
        elif y >= top + height:
            self.scroll_to(y=y - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))
        self._strips.clear()

    # --- drawing -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + self.scroll_offset.y
        base = self.rich_style
        if not (0 <= index < len(self.rows)) or width <= 0:
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base + self._look(row)
        key = (row, width, style)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4 * max(len(self.rows), 8):
                self._strips.clear()  # a long meeting ticks through many clock texts
            strip = self._strips[key] = self._draw(row, width, style)
        return strip

    def _look(self, row: Row) -> Style:
        style = Style()
        # A full style for the row's kind blends a muted (translucent) colour
        # over the background, as Textual does; the warning colours are opaque
        # and only change the colour, keeping the live row's tint and boldness.
        if row.live:
            style += self.get_component_rich_style("step-list--live")
        elif row.done:
            style += self.get_component_rich_style("step-list--done")
        if row.over:
            style += self.get_component_rich_style("step-list--over", partial=True)
        elif row.warn:
            style += self.get_component_rich_style("step-list--warn", partial=True)
        return style

    @staticmethod
    def _draw(row: Row, width: int, style: Style) -> Strip:
        marker = "▶" if row.live else ("✓" if row.done else " ")
        room = max(0, width - FIXED)
        title = Text(f"{row.index + 1}. {row.title}", no_wrap=True, end="")
        title.truncate(room, overflow="ellipsis", pad=True)
        state = row.state.rjust(STATE_WIDTH)
        if cell_len(state) > STATE_WIDTH:
            state = state[:STATE_WIDTH - 1] + "…"
        text = f" {marker.ljust(2)} {title.plain} {mmss(row.planned).rjust(PLANNED_WIDTH)} {state} "
        return Strip([Segment(text, style)]).crop_extend(0, width, style)
