"""The history: the meetings per network, search across notes, the evaluation
trend of a network, and any meeting's report on screen.

Everything is loaded in thread workers and handed over as plain data: the
networks with their counts, and the newest SHOWN_MAX meetings of the network
chosen (or of all), however long the history; the line under the list says how
many there are in all when it shows only the newest.
Confidential notes are not searched and not shown here, nor in the report
opened from here.
"""

from __future__ import annotations

import io
from typing import Any

import pendulum
from rich.console import Console
from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import DataTable, Footer, Input, Select, Static
from textual.worker import get_current_worker

from kring.data import i18n
from kring.data.clock import Clock, SystemClock
from kring.data.history import (
    ALL,
    SHOWN_MAX,
    WITHOUT_NETWORK,
    HistoryMeeting,
    HistoryPage,
    NetworkCount,
    NoteHit,
    history_page,
    recent_meetings,
    search_notes,
    snippet,
    terms_of,
)
from kring.data.i18n import _
from kring.data.labels import kind_label
from kring.data.store import Store
from kring.data.trends import Trend, bar, network_trend


def _count(n: int) -> str:
    """A number of meetings with its thousands marked as the language does."""
    text = f"{n:,}"
    return text.replace(",", ".") if i18n.current() == "nl" else text


def _date(moment: Any) -> str:
    if moment is None:
        return "—"
    return pendulum.instance(moment).format("D MMM YYYY", locale=i18n.current())


def _scale(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else _mean(value)


def _mean(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}"
    return text.replace(".", ",") if i18n.current() == "nl" else text


def _read(screen: Screen, fn: Any, *args: Any, **kw: Any) -> Any:
    """Run a store read in a worker thread; a failure becomes a message, not a traceback."""
    try:
        return fn(*args, **kw)
    except Exception as exc:  # noqa: BLE001 - the screen stays, the person is told why
        from kring.data.errors import InputError
        from kring.data.store import StoreError

        reason = str(exc) if isinstance(exc, (InputError, StoreError)) else f"{type(exc).__name__}: {exc}"
        screen.app.call_from_thread(
            screen.notify, _("Could not read the store: {reason}").format(reason=reason), severity="error"
        )
        return None


class HistoryScreen(Screen[None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("slash,ctrl+f", "search", _("Search"), id="history.search", key_display="/"),
        Binding("t", "next_question", _("Trend: next question"), id="history.trend"),
        Binding("escape", "clear", _("Clear search"), id="history.clear", show=False),
        Binding("r", "reload", _("Reload"), id="history.reload", show=False),
    ]

    def __init__(self, network: int | None = None, query: str = "") -> None:
        super().__init__()
        self.counts: list[NetworkCount] = []
        self.meetings: list[HistoryMeeting] | None = None  # the network's newest; None while loading
        self._names: dict[int, str] = {}
        self.network: int = network if network is not None else ALL
        self._wanted_network = network
        self.query_text = query
        self.hits: list[NoteHit] | None = None
        self.trend: Trend | None = None
        self.question = 0
        self._row_meeting: dict[str, int] = {}
        self._search_serial = 0
        self._search_timer: Any = None
        self._select_ready = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(_("kring · history"), id="history-title")
            yield Static("", id="history-counts")
        with Horizontal(id="choosers"):
            yield Select([(_("All networks"), ALL)], allow_blank=False, value=ALL, id="network")
            yield Input(value=self.query_text, placeholder=_("Search notes…"), id="search")
        yield DataTable(id="meetings", cursor_type="row", zebra_stripes=True)
        yield Static("", id="empty")
        yield Static("", id="shown")
        yield Static("", id="trend")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#meetings", DataTable).focus()
        self.query_one("#empty").display = False
        self.query_one("#shown").display = False
        self.load()

    def on_resize(self) -> None:
        small = self.size.height < 20 or self.size.width < 60
        self.set_class(small, "-small")
        # borderless one-line choosers leave room for the list on a small terminal
        self.query_one("#network", Select).compact = small
        self.query_one("#search", Input).compact = small
        if self.hits is not None and self.query_text.strip():
            self._show()  # the note column takes the width there is
        self._show_shown()
        self._show_trend()

    # --- loading (thread workers, plain data back) ----------------------------------

    @work(thread=True, exclusive=True, group="history-load")
    def load(self) -> None:
        page = _read(self, history_page, self.app.store, self._wanted_network, SHOWN_MAX)
        if page is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, page)

    def _loaded(self, page: HistoryPage) -> None:
        self.counts = page.counts
        self._names = {c.id: self._group_name(c) for c in page.counts}
        total = sum(c.meetings for c in page.counts)
        networks = sum(1 for c in page.counts if c.id != WITHOUT_NETWORK)
        self.query_one("#history-counts", Static).update(
            _("networks: {n}").format(n=networks) + " · " + _("meetings: {n}").format(n=_count(total))
        )
        options = [(_("All networks"), ALL)] + [
            (f"{self._group_name(c)} ({_count(c.meetings)})", c.id) for c in page.counts
        ]
        select = self.query_one("#network", Select)
        self._select_ready = False
        select.set_options(options)
        self.network = self._wanted_network = page.network
        self.meetings = page.meetings
        select.value = self.network
        self._select_ready = True
        self._show()
        self.load_trend()
        if self.query_text.strip():
            self.run_search()

    @work(thread=True, exclusive=True, group="history-meetings")
    def load_meetings(self, network: int) -> None:
        """The chosen network's newest meetings (ALL: of every network)."""
        meetings = _read(self, recent_meetings, self.app.store, None if network == ALL else network, SHOWN_MAX)
        if meetings is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._meetings_loaded, network, meetings)

    def _meetings_loaded(self, network: int, meetings: list[HistoryMeeting]) -> None:
        if network == self.network:  # another network may have been chosen meanwhile
            self.meetings = meetings
            self._show()

    @work(thread=True, exclusive=True, group="history-trend")
    def load_trend(self) -> None:
        network = self.network
        trend = None
        if network != ALL:
            trend = _read(self, network_trend, self.app.store, None if network == WITHOUT_NETWORK else network)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._trend_loaded, network, trend)

    def _trend_loaded(self, network: int, trend: Trend | None) -> None:
        if network == self.network:
            self.trend = trend
            self._show_trend()

    def run_search(self) -> None:
        self._search_serial += 1
        self._search(self._search_serial, self.query_text, self.network)

    @work(thread=True, exclusive=True, group="history-search")
    def _search(self, serial: int, query: str, network: int) -> None:
        hits = _read(self, search_notes, self.app.store, query, None if network == ALL else network)
        if hits is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._searched, serial, hits)

    def _searched(self, serial: int, hits: list[NoteHit]) -> None:
        if serial == self._search_serial:  # a newer search may already be under way
            self.hits = hits
            self._show()

    # --- showing ----------------------------------------------------------------------

    @staticmethod
    def _group_name(count: NetworkCount) -> str:
        return count.name or _("Without a network")

    def _total(self) -> int:
        """How many meetings the network shown has in all."""
        return sum(c.meetings for c in self.counts if self.network in (ALL, c.id))

    def _show(self) -> None:
        table = self.query_one("#meetings", DataTable)
        table.clear(columns=True)
        self._row_meeting = {}
        empty = self.query_one("#empty", Static)
        searching = bool(self.query_text.strip()) and self.hits is not None
        if searching:
            self._show_hits(table)
        else:
            self._show_meetings(table)
        if table.row_count == 0:
            if searching:
                message = _("No notes found for '{query}'. Confidential notes are never searched.").format(
                    query=self.query_text.strip()
                )
            elif not self.counts:
                message = _("No meetings yet. Start one with: kring demo")
            elif self.meetings is None:
                message = _("Loading the meetings…")
            else:
                message = _("No meetings in this network yet.")
            empty.update(message)
        empty.display = table.row_count == 0
        self._show_shown()

    def _show_shown(self) -> None:
        """Under a list of only the newest meetings: how many there are in all."""
        shown = self.query_one("#shown", Static)
        searching = bool(self.query_text.strip()) and self.hits is not None
        total = self._total()
        partial = not searching and self.meetings is not None and len(self.meetings) < total
        if partial:
            text = (_("{shown} of {total} shown") if self.has_class("-small")
                    else _("{shown} of {total} meetings shown (the newest)"))
            shown.update(text.format(shown=_count(len(self.meetings or [])), total=_count(total)))
        shown.display = partial

    def _show_meetings(self, table: DataTable) -> None:
        wide = self.network == ALL
        table.add_column(_("Date"), width=12, key="date")
        if wide:
            table.add_column(_("Network"), width=14, key="network")
        table.add_column(_("Meeting"), width=18 if wide else 32, key="title")
        table.add_column(_("Status"), width=11, key="status")
        table.add_column(_("Notes"), width=8, key="notes")
        table.add_column("ROTI", width=4, key="roti")
        status = {"live": _("live"), "closed": _("closed")}
        for m in self.meetings or []:
            cells: list[Any] = [_date(m.date)]
            if wide:
                group = m.network_id if m.network_id is not None else WITHOUT_NETWORK
                cells.append(self._names.get(group) or _("Without a network"))
            cells += [
                m.title,
                Text(status.get(m.status, m.status), style="bold" if m.status == "live" else ""),
                Text(str(m.notes), justify="right"),
                Text(_mean(m.roti), justify="right"),
            ]
            key = f"m{m.id}"
            self._row_meeting[key] = m.id
            table.add_row(*cells, key=key)

    def _show_hits(self, table: DataTable) -> None:
        terms = terms_of(self.query_text)
        table.add_column(_("Date"), width=12, key="date")
        table.add_column(_("Meeting"), width=16, key="title")
        width = max(20, self.size.width - 38)
        table.add_column(_("Note"), width=width, key="text")
        for hit in self.hits or []:
            body = Text(kind_label(hit.kind) + ": ", style="bold")
            body.append(snippet(hit.text, terms, width - len(body)))
            for term in terms:
                body.highlight_words([term], style="reverse", case_sensitive=False)
            key = f"n{hit.note_id}"
            self._row_meeting[key] = hit.meeting_id
            table.add_row(_date(hit.date), hit.meeting_title, body, key=key)

    def _show_trend(self) -> None:
        if not self.is_mounted:
            return
        panel = self.query_one("#trend", Static)
        trend = self.trend
        if trend is None or not trend.points or self.network == ALL or self.has_class("-small"):
            panel.display = False
            return
        panel.display = True
        questions = trend.questions()
        qid = questions[self.question % len(questions)]
        low, high = trend.scale(qid)
        series = trend.series(qid)
        rows = max(1, min(len(series), 5))
        width = max(10, self.size.width - 32)
        text = Text()
        text.append(_("Trend") + ": ", style="bold")
        text.append(trend.label(qid))
        text.append(
            "  " + _("(scale {low}–{high}, {n} meetings)").format(low=_scale(low), high=_scale(high), n=len(series)),
            style="dim",
        )
        for point, mean in series[-rows:]:
            text.append("\n")
            text.append(f"{_date(point.date):>12} ", style="dim")
            text.append(bar(mean, low, high, width), style="bold")
            text.append(f" {_mean(mean):>4}")
            text.append(f"  ({point.responses})", style="dim")
        panel.update(text)

    # --- events and keys ----------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        if not self._select_ready or event.value is Select.BLANK or event.value == self.network:
            return
        self.network = int(event.value)  # type: ignore[arg-type]
        self.meetings = None
        self.trend = None
        self.question = 0
        self._show_trend()
        self._show()
        self.load_meetings(self.network)
        self.load_trend()
        if self.query_text.strip():
            self.run_search()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        if self._search_timer is not None:
            self._search_timer.stop()
        if not event.value.strip():
            self.hits = None
            self._search_serial += 1
            self._show()
            return
        self._search_timer = self.set_timer(0.3, self.run_search)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        if event.value.strip():
            self.run_search()
        self.query_one("#meetings", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        meeting_id = self._row_meeting.get(str(event.row_key.value))
        if meeting_id is not None:
            self.app.push_screen(ReportScreen(meeting_id))

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
        self.query_one("#meetings", DataTable).focus()

    def action_next_question(self) -> None:
        if self.trend is not None and self.trend.questions():
            self.question = (self.question + 1) % len(self.trend.questions())
            self._show_trend()

    def action_reload(self) -> None:
        self._wanted_network = self.network
        self.load()


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

    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape,backspace", "app.pop_screen", _("Back"), id="report.back"),
    ]

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
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
        from kring.data.render import render_md
        from kring.data.report import build_report

        text = self.markdown_text
        if text is None:
            report = _read(self, build_report, self.app.store, self.meeting_id, clock=self.app.clock)
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


class HistoryApp(App[None]):
    """`kring history`: not tied to one meeting, reads the whole store."""

    TITLE = "kring"
    DEFAULT_CSS = """
    Screen { background: $background; }
    Footer { background: $panel; }
    """
    BINDINGS = [
        Binding("question_mark,f1", "help", _("Keys"), id="help", key_display="?"),
        Binding("q", "quit", _("Quit"), id="quit"),
        Binding("ctrl+t", "toggle_theme", _("Light/dark"), show=False, id="theme"),
    ]

    def __init__(self, store: Store, *, clock: Clock | None = None, network: int | None = None,
                 query: str = "") -> None:
        super().__init__()
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self._network = network
        self._query = query

    def on_mount(self) -> None:
        from kring.tui.theme import CONTRAST, LIGHT

        self.register_theme(CONTRAST)
        self.register_theme(LIGHT)
        self.theme = "kring-contrast"
        self.push_screen(HistoryScreen(self._network, self._query))

    def action_help(self) -> None:
        from kring.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = "kring-light" if self.theme == "kring-contrast" else "kring-contrast"
