"""The agenda's step list: two widgets that draw every row between them.

A row reads `▶  1. Title ....... 10:00   07:12`: marker, number and title,
planned minutes, and the live countdown or the time the step took. A
sub-agenda's steps are indented under the step they run in (`4.2`), and
while one of them is live the parent's row counts its own time down too. The title
side and the clock column are a widget each, not a few widgets a step,
because start-up time goes into every widget mounted and styled before the
first frame. Two, because Textual resends a changed line from the left edge of
the widget that changed: a tick sends the clock column's few cells, not the
whole row (the screen may travel over SSH on a weak link).
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from kring.data.core.timeline import StepState
from kring.data.labels import countdown, mmss

STATE_WIDTH = 7  # the right-hand column: the live countdown or the time a step took
PLANNED_WIDTH = 6
CLOCK_WIDTH = 1 + STATE_WIDTH + 1  # space, state, the row's right padding
TITLE_FIXED = 1 + 2 + 1 + 1 + PLANNED_WIDTH  # padding, marker (2), space, (title), space, planned


class Row(NamedTuple):
    """What one step's row shows. A named tuple, not a frozen dataclass: made at every
    start, a dataclass writes and compiles six methods (0.8 ms); compared field by
    field all the same."""

    index: int
    title: str
    planned: float
    live: bool
    done: bool
    over: bool
    warn: bool
    state: str  # the countdown, the time it took, or ""
    notes: int = 0  # how many notes were taken in this step
    number: str = ""  # "4", or "4.2" for a sub-agenda's step (indented)
    holds_live: bool = False  # a step whose sub-agenda has the live step

    @property
    def nested(self) -> bool:
        return "." in self.number

    @property
    def label(self) -> tuple:
        """Everything but the clock: a change here repaints the row."""
        return self.title, self.planned, self.live, self.done, self.over, self.warn, self.notes, self.holds_live


def row_for(step: StepState, live: bool, notes: int = 0, holds_live: bool = False) -> Row:
    running = live or holds_live  # the parent of the live sub-step: its own time, honestly, counts down too
    done = not running and step.elapsed > 0
    state = countdown(step.remaining) if running else (mmss(step.elapsed) if done else "")
    return Row(step.index, step.title, step.planned, live, done, over=running and step.remaining <= 0,
               warn=running and 0 < step.remaining <= 120, state=state, notes=notes,
               number=step.number or str(step.index + 1), holds_live=holds_live)


def _look(widget: Widget, row: Row) -> Style:
    """The row's style: a full style for its kind (blending a muted, translucent
    colour over the background as Textual does), then an opaque warning colour
    that keeps the live row's tint and boldness."""
    style = widget.rich_style
    if row.live:
        style += widget.get_component_rich_style("step-list--live")
    elif row.done:
        style += widget.get_component_rich_style("step-list--done")
    if row.over:
        style += widget.get_component_rich_style("step-list--over", partial=True)
    elif row.warn:
        style += widget.get_component_rich_style("step-list--warn", partial=True)
    return style


class _Side(Widget):
    """One side of every row: the titles, or the clock column."""

    COMPONENT_CLASSES = {"step-list--live", "step-list--done", "step-list--warn", "step-list--over"}
    DEFAULT_CSS = """
    _Side { height: auto; }
    _Side > .step-list--live { background: $primary 25%; text-style: bold; }
    _Side > .step-list--done { color: $text-muted; }
    _Side > .step-list--warn { color: $warning; }
    _Side > .step-list--over { color: $error; }
    """

    def __init__(self, rows: list[Row], draw: Callable[[Row, int], str], *, classes: str) -> None:
        super().__init__(classes=classes)
        self.rows = rows
        self._draw = draw

    def show(self, rows: list[Row], changed: Callable[[Row, Row], bool]) -> None:
        old, self.rows = self.rows, rows
        if len(old) != len(rows):
            self.refresh(layout=True)
            return
        for y, (before, now) in enumerate(zip(old, rows)):
            if changed(before, now):
                self.refresh(Region(0, y, self.size.width, 1))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not 0 <= y < len(self.rows) or width <= 0:
            return Strip.blank(width, self.rich_style)
        row = self.rows[y]
        style = _look(self, row)
        return Strip([Segment(self._draw(row, width), style)]).crop_extend(0, width, style)


def notes_mark(count: int) -> str:
    """How many notes a step has, as a count beside a pen (never `n:m`, which reads as a time)."""
    return f"✎ {count}" if count else ""


def _title_side(row: Row, width: int, notes_width: int = 0) -> str:
    marker = "▶" if row.live else ("▼" if row.holds_live else ("✓" if row.done else " "))
    indent = "   " if row.nested else ""
    title = Text(f"{indent}{row.number}. {row.title}", no_wrap=True, end="")
    title.truncate(max(0, width - TITLE_FIXED - notes_width), overflow="ellipsis", pad=True)
    notes = f" {notes_mark(row.notes).ljust(notes_width - 1)}" if notes_width else ""
    return f" {marker.ljust(2)} {title.plain}{notes} {mmss(row.planned).rjust(PLANNED_WIDTH)}"


def _clock_side(row: Row, width: int) -> str:
    state = row.state.rjust(STATE_WIDTH)
    if cell_len(state) > STATE_WIDTH:
        state = state[:STATE_WIDTH - 1] + "…"
    return f" {state} "


class StepList(Widget, can_focus=False):
    """Every step of the meeting, the live one highlighted and kept in view."""

    DEFAULT_CSS = f"""
    StepList {{ layout: horizontal; height: 1fr; overflow-x: hidden; overflow-y: auto; }}
    StepList > .step-titles {{ width: 1fr; }}
    StepList > .step-clocks {{ width: {CLOCK_WIDTH}; }}
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self.rows: list[Row] = []
        self._live_index: int | None = None  # the live step last brought into view
        self._notes_width = 0  # the notes column: as wide as the largest count needs, none without notes
        self._titles = _Side([], lambda row, width: _title_side(row, width, self._notes_width), classes="step-titles")
        self._clocks = _Side([], _clock_side, classes="step-clocks")

    def compose(self) -> ComposeResult:
        yield self._titles
        yield self._clocks

    def on_mount(self) -> None:
        live = next((y for y, row in enumerate(self.rows) if row.live), None)
        if live is not None:
            self._live_index = self.rows[live].index
            self.call_after_refresh(self._keep_in_view, live)

    @property
    def state_texts(self) -> list[str]:
        """Each step's clock column as shown: the countdown, the time taken, or ""."""
        return [row.state for row in self.rows]

    def show(self, steps: list[StepState], live_index: int | None, notes: dict[int, int] | None = None) -> None:
        """Show the steps in the order given (the agenda's), and how many notes each has;
        repaint only the lines (of the side) that changed."""
        notes = notes or {}
        holding = next((s.parent for s in steps if s.index == live_index), None)
        self.rows = [row_for(step, step.index == live_index, notes.get(step.index, 0), step.index == holding)
                     for step in steps]
        widest = max((len(notes_mark(row.notes)) for row in self.rows), default=0)
        notes_width = widest + 1 if widest else 0
        if notes_width != self._notes_width:
            self._notes_width = notes_width
            self._titles.refresh()
        self._titles.show(self.rows, lambda before, now: before.label != now.label)
        self._clocks.show(self.rows, lambda before, now: before != now)
        if live_index != self._live_index and self.is_mounted:
            # a new live step comes into view (between, the list scrolls freely)
            self._live_index = live_index
            at = next((y for y, row in enumerate(self.rows) if row.live), None)
            if at is not None:
                self.call_after_refresh(self._keep_in_view, at)

    def _keep_in_view(self, y: int) -> None:
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        if height <= 0 or top <= y < top + height:
            return
        self.scroll_to(y=y if y < top else y - height + 1, animate=False, immediate=True)
