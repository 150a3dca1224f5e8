"""The participants' link's panel beside the agenda's countdown: says a link for
phones is served (`kring serve`) and which key shows it. Hidden otherwise."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from kring.data.i18n import _


class WebLinkPanel(Static):
    served: reactive[bool] = reactive(False, init=False)

    def __init__(self) -> None:
        super().__init__("", id="weblink-panel", classes="side-panel")
        self.display = False

    def watch_served(self, served: bool) -> None:
        self.display = served
        self.update(_("Phones: k shows the link and QR code") if served else "")
