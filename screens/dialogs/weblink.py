"""The participants' link and its QR code, large enough to scan from the projector (key k)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kring.data.i18n import _
from kring.data.weblink import qr_text


class WebLinkScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    WebLinkScreen { align: center middle; }
    #weblink { width: auto; max-width: 100%; height: auto; max-height: 100%;
               border: heavy $primary; background: $surface; padding: 0 1; }
    #weblink .title { text-style: bold; color: $primary; }
    #weblink #weblink-qr { width: auto; color: #ffffff; background: #000000; }
    #weblink .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,enter,k,q", "dismiss(None)", _("Close"), id="weblink.close")]

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        with Vertical(id="weblink"):
            yield Static(_("Evaluate and follow along on your phone: scan the code"), classes="title")
            # light modules drawn light on black, whatever the theme: a phone reads it either way round
            yield Static(qr_text(self.url).rstrip("\n"), id="weblink-qr")
            yield Static(self.url, id="weblink-url")
            yield Static(_("Esc closes this."), classes="hint")
