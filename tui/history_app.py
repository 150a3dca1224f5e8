"""`kring history`: the whole store's meetings, not tied to one meeting."""

from __future__ import annotations

from textual.binding import Binding

from kring.data.core.clock import Clock, SystemClock
from kring.data.i18n import _
from kring.data.store import Store
from kring.screens.history import HistoryScreen
from kring.tui.base import KringBaseApp
from kring.tui.config import Config


class HistoryApp(KringBaseApp):
    BINDINGS = [
        Binding("question_mark,f1", "help", _("Keys"), id="help", key_display="?"),
        Binding("q", "quit", _("Quit"), id="quit"),
        Binding("ctrl+t", "toggle_theme", _("Theme"), show=False, id="theme"),
    ]

    def __init__(self, store: Store, *, clock: Clock | None = None, network: int | None = None,
                 query: str = "", config: Config | None = None) -> None:
        super().__init__(config)
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self._network = network
        self._query = query

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.store, self.clock, self._network, self._query))
