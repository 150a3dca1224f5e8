"""One meeting's report on screen, as it would be mailed, without confidential notes
(opened from the history). The Markdown is laid out once, off the UI thread."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.markdown import Markdown as RichMarkdown
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from kring.data.core.clock import Clock
from kring.data.i18n import _
from kring.data.store import Store


def read_or_say(screen: Screen, fn: Any, *args: Any, **kw: Any) -> Any:
    """Run a store read in a worker thread; a failure becomes a message, not a traceback."""
    try:
        return fn(*args, **kw)
    except Exception as exc:  # noqa: BLE001 - the screen stays, the person is told why
        from kring.data.errors import InputError
        from kring.data.store import StoreError

        if isinstance(exc, (InputError, StoreError)):
            message = _("Could not read the store: {reason}").format(reason=exc)
        else:  # its text may hold SQL: it goes to the crash log, the person is told where
            from kring.data.errors import log_crash

            message = _("Could not read the store; the details are in {log}").format(log=log_crash())
        screen.app.call_from_thread(screen.notify, message, severity="error")
        return None



def markdown_lines(text: str, width: int) -> list[Strip]:
    """The report laid out once, off the UI thread: Rich renders the Markdown to
    lines, which the view then only scrolls (thousands of notes stay quick)."""
    console = Console(width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      legacy_windows=False)
    lines = console.render_lines(RichMarkdown(text), console.options.update_width(width), pad=False)
    return [Strip(line) for line in lines]


class ReportView(ScrollView, can_focus=True):
    """Scrolls lines laid out beforehand; draws only the rows on screen."""

    DEFAULT_CSS = """
    ReportView { height: 1fr; padding: 0 1; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.lines: list[Strip] = []

    def show(self, lines: list[Strip]) -> None:
        self.lines = lines
        width = max((line.cell_length for line in lines), default=0)
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        return self.lines[index].crop_extend(scroll_x, scroll_x + width, self.rich_style)


class ReportScreen(Screen[None]):
    """One meeting's report, as it would be mailed, without confidential notes."""

    CSS_PATH = "history.tcss"  # the history's top bar
    BINDINGS = [
        Binding("escape,backspace", "app.pop_screen", _("Back"), id="report.back"),
    ]

    def __init__(self, store: Store, clock: Clock, meeting_id: int) -> None:
        super().__init__()
        self.store, self.clock = store, clock
        self.meeting_id = meeting_id
        self.markdown_text: str | None = None
        self._width = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(_("Report"), id="history-title")
            yield Static(_("without confidential notes"), id="history-counts")
        yield Static(_("Making the report…"), id="report-wait")
        yield ReportView(id="report")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#report", ReportView).focus()
        self.build(self._text_width())

    def _text_width(self) -> int:
        return max(20, self.app.size.width - 4)

    def on_resize(self) -> None:
        if self.markdown_text is not None and self._text_width() != self._width:
            self.build(self._text_width())

    @work(thread=True, exclusive=True, group="history-report")
    def build(self, width: int) -> None:
        from kring.data.report import build_report, render_md

        text = self.markdown_text
        if text is None:
            report = read_or_say(self, build_report, self.store, self.meeting_id, clock=self.clock)
            if report is None:
                return
            text = render_md(report)
        lines = markdown_lines(text, width)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._built, text, width, lines)

    def _built(self, text: str, width: int, lines: list[Strip]) -> None:
        self.markdown_text, self._width = text, width
        self.query_one("#report-wait").display = False
        self.query_one("#report", ReportView).show(lines)
