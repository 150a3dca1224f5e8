"""The history: the meetings per network, search across notes, the evaluation
trend of a network, and any meeting's report on screen.

Everything is loaded in thread workers and handed over as plain data: the
networks with their counts, and the newest SHOWN_MAX meetings of the network
chosen, or of all (the default, so a search looks through every network until
one is chosen), however long the history; the line under the list says how
many there are in all when it shows only the newest.
Confidential notes are not searched and not shown here, nor in the report
opened from here.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Select, Static
from textual.worker import get_current_worker

from kring.data.core.clock import Clock
from kring.data.history import (
    ALL,
    SHOWN_MAX,
    WITHOUT_NETWORK,
    HistoryMeeting,
    HistoryPage,
    NetworkCount,
    history_page,
    recent_meetings,
)
from kring.data.i18n import _
from kring.data.labels import count, date_short, kind_label, number
from kring.data.search import NoteHit, search_notes, snippet, terms_of
from kring.data.store import Store
from kring.data.trends import Trend, bar, network_trend
from kring.screens.report import ReportScreen, read_or_say


def _date(moment: Any) -> str:
    return "—" if moment is None else date_short(moment)


def _scale(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else number(value)


class HistoryScreen(Screen[None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("slash,ctrl+f", "search", _("Search"), id="history.search", key_display="/"),
        Binding("t", "next_question", _("Trend: next question"), id="history.trend"),
        Binding("escape", "clear", _("Clear search"), id="history.clear", show=False),
        Binding("r", "reload", _("Reload"), id="history.reload", show=False),
    ]

    def __init__(self, store: Store, clock: Clock, network: int | None = None, query: str = "") -> None:
        super().__init__()
        self.store, self.clock = store, clock
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
        page = read_or_say(self, history_page, self.store, self._wanted_network, SHOWN_MAX)
        if page is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, page)

    def _loaded(self, page: HistoryPage) -> None:
        self.counts = page.counts
        self._names = {c.id: self._group_name(c) for c in page.counts}
        total = sum(c.meetings for c in page.counts)
        networks = sum(1 for c in page.counts if c.id != WITHOUT_NETWORK)
        self.query_one("#history-counts", Static).update(
            _("networks: {n}").format(n=networks) + " · " + _("meetings: {n}").format(n=count(total))
        )
        options = [(_("All networks"), ALL)] + [
            (f"{self._group_name(c)} ({count(c.meetings)})", c.id) for c in page.counts
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
        meetings = read_or_say(self, recent_meetings, self.store, None if network == ALL else network, SHOWN_MAX)
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
            trend = read_or_say(self, network_trend, self.store, None if network == WITHOUT_NETWORK else network)
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
        hits = read_or_say(self, search_notes, self.store, query, None if network == ALL else network)
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
            if searching and self.network != ALL:  # narrowed: say where, and how to widen
                message = _("No notes found for '{query}' in {network}; choose 'All networks' to search every "
                            "one. Confidential notes are never searched.").format(
                    query=self.query_text.strip(), network=self._names.get(self.network, ""))
            elif searching:
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
            shown.update(text.format(shown=count(len(self.meetings or [])), total=count(total)))
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
                Text(number(m.roti), justify="right"),
            ]
            key = f"m{m.id}"
            self._row_meeting[key] = m.id
            table.add_row(*cells, key=key)

    def _show_hits(self, table: DataTable) -> None:
        terms = terms_of(self.query_text)
        wide = self.network == ALL and not self.has_class("-small")  # hits from every network: say whose
        table.add_column(_("Date"), width=12, key="date")
        if wide:
            table.add_column(_("Network"), width=14, key="network")
        table.add_column(_("Meeting"), width=16, key="title")
        width = max(20, self.size.width - 38 - (16 if wide else 0))
        table.add_column(_("Note"), width=width, key="text")
        for hit in self.hits or []:
            body = Text(kind_label(hit.kind) + ": ", style="bold")
            body.append(snippet(hit.text, terms, width - len(body)))
            for term in terms:
                body.highlight_words([term], style="reverse", case_sensitive=False)
            key = f"n{hit.note_id}"
            self._row_meeting[key] = hit.meeting_id
            cells: list[Any] = [_date(hit.date)]
            if wide:
                cells.append(self._names.get(hit.network_id if hit.network_id is not None else WITHOUT_NETWORK)
                             or _("Without a network"))
            table.add_row(*cells, hit.meeting_title, body, key=key)

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
            text.append(f" {number(mean):>4}")
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
            self.app.push_screen(ReportScreen(self.store, self.clock, meeting_id))

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
