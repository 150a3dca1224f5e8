"""The agenda's part for participants' phones (`kring serve`): the link and its QR code.

`k` shows the link the participants' server records in the store, with its QR
code for the projector (`kring.screens.dialogs.weblink`). When the agenda
reaches its closing evaluation step while the link is served, it shows itself
once. The panel (`kring.tui.widgets.weblink_panel`) says a link is served.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from kring.data.core.timeline import Timeline
from kring.data.errors import first_line
from kring.data.i18n import _
from kring.tui.widgets.weblink_panel import WebLinkPanel

if TYPE_CHECKING:
    from kring.screens.agenda_core import AgendaScreen


class WebLinkPart:
    BINDINGS = [
        Binding("k", "web_link", _("Link and QR code for phones"), id="weblink.show", show=False),
    ]

    def __init__(self, screen: AgendaScreen) -> None:
        self.screen = screen
        self.live = screen.live
        self.panel = WebLinkPanel()
        self._shown_at_evaluation = False

    def show(self, tl: Timeline) -> None:
        link = self.live.snapshot.extra.get("weblink")
        self.panel.served = bool(link) and not tl.closed
        # at the evaluation step the code shows itself, once per arrival there
        at_evaluation = tl.is_last(tl.current) and not tl.closed
        if not at_evaluation:
            self._shown_at_evaluation = False
        elif link and not self._shown_at_evaluation:
            self._shown_at_evaluation = True
            if self.screen.app.screen is self.screen:  # not over a dialog the moderator has open
                self._open(link)

    # --- keys ----------------------------------------------------------------------------

    def show_link(self) -> None:
        self.screen.run_worker(self._look_up, thread=True, exclusive=True, group="weblink")

    def _look_up(self) -> None:
        """In a thread worker: the link as the store has it now."""
        from kring.data.weblink import served_link

        app, live = self.screen.app, self.live
        try:
            link = served_link(live.store, live.meeting_id)
        except Exception as exc:  # noqa: BLE001 - the store is busy: say so, try again with k
            app.call_from_thread(self.screen.notify, first_line(exc), severity="warning")
            return
        if link is None:
            app.call_from_thread(self.screen.notify,
                                 _("No link for phones yet: start `kring serve` in another terminal."), timeout=8)
            return
        app.call_from_thread(self._open, link)

    def _open(self, link: str) -> None:
        from kring.screens.dialogs.weblink import WebLinkScreen

        self.screen.app.push_screen(WebLinkScreen(link))
