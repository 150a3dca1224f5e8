"""`kring network edit [NAME]`: the network editor, not tied to a meeting."""

from __future__ import annotations

from textual.binding import Binding

from kring.data.core.clock import Clock, SystemClock
from kring.data.i18n import _
from kring.data.store import Store
from kring.screens.network import NetworkEditScreen, NetworkListScreen
from kring.tui.base import KringBaseApp
from kring.tui.config import Config


class NetworkApp(KringBaseApp):
    # Letters are typed into the editor's fields: help and quit are keys that type nothing.
    BINDINGS = [
        Binding("f1", "help", _("Keys"), id="help"),
        Binding("ctrl+q", "quit", _("Quit"), id="quit"),
        Binding("ctrl+t", "toggle_theme", _("Theme"), show=False, id="theme"),
    ]

    def __init__(self, store: Store, network_id: int | None = None, *, clock: Clock | None = None,
                 config: Config | None = None) -> None:
        super().__init__(config)
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.network_id = network_id

    def on_mount(self) -> None:
        self.push_screen(NetworkListScreen(self.store, self.clock) if self.network_id is None
                         else NetworkEditScreen(self.store, self.clock, self.network_id))
