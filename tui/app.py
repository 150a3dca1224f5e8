"""The kring App: a thin client over the store for one meeting.

The App owns the meeting's event log as this process knows it (what is stored
plus what this process has just recorded and is still writing), the injected
clock, the outbox that writes, and the watcher that follows other processes.
Screens derive everything they show from those.
"""

from __future__ import annotations

import os
import signal
from functools import partial
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.message import Message

from kring.data.clock import Clock, SystemClock
from kring.data.i18n import _, ngettext
from kring.data.live import Snapshot, load_snapshot
from kring.data.meetings import EventRow, MeetingInfo, append_events, change_token, get_meeting, new_event
from kring.data.outbox import Outbox
from kring.data.store import Store
from kring.data.timeline import Timeline, derive
from kring.tui.theme import CONTRAST, LIGHT
from kring.tui.watch import StoreWatcher


class StoreChanged(Message):
    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class WriteTrouble(Message):
    def __init__(self, reason: str | None) -> None:
        super().__init__()
        self.reason = reason  # None: writing works again


class KringApp(App[None]):
    TITLE = "kring"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark,f1", "help", _("Keys"), id="help", key_display="?"),
        Binding("q", "quit", _("Quit"), id="quit"),
        Binding("ctrl+t", "toggle_theme", _("Light/dark"), show=False, id="theme"),
    ]

    def __init__(
        self,
        store: Store,
        meeting_id: int,
        *,
        clock: Clock | None = None,
        role: str = "moderator",
        author: str | None = None,
        watch: bool = True,
    ) -> None:
        super().__init__()
        self.store = store
        self.meeting_id = meeting_id
        self.clock: Clock = clock or SystemClock()
        self.role = role
        self.author = author or os.environ.get("USER") or role
        self.meeting: MeetingInfo = get_meeting(store, meeting_id)
        self.snapshot = load_snapshot(store, meeting_id)
        self._pending: list[EventRow] = []  # recorded here, not yet confirmed stored
        self.write_trouble: str | None = None
        self.outbox = Outbox(
            on_error=lambda msg: self.post_message(WriteTrouble(msg)),
            on_ok=lambda: self.post_message(WriteTrouble(None)),
        )
        self._watcher = (
            StoreWatcher(partial(change_token, store, meeting_id), self._changed_in_store) if watch else None
        )

    # --- life cycle -------------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(CONTRAST)
        self.register_theme(LIGHT)
        self.theme = "kring-contrast"
        self.push_screen(self.first_screen())
        if self._watcher:
            self._watcher.start()
        try:
            import asyncio

            self._loop = asyncio.get_running_loop()
            self._old_sighup = signal.signal(signal.SIGHUP, self._hung_up)
        except (RuntimeError, ValueError, AttributeError):  # not the main thread, or no SIGHUP here
            self._old_sighup = None

    def _hung_up(self, _signum: int, _frame: Any) -> None:
        """A dropped SSH connection: save what we have and leave cleanly.

        Runs as a plain signal handler, before the SIGCONT the kernel sends with a
        hang-up: Textual would restart the screen on it and write to a terminal that
        is gone. Writing there fails (EIO), and a writer thread that dies of it can
        leave the shutdown waiting forever. Nobody reads the terminal any more, so
        what is still written goes nowhere, and the app exits (flushing the outbox).
        """
        signal.signal(signal.SIGCONT, signal.SIG_DFL)
        try:
            sink = os.open(os.devnull, os.O_WRONLY)
            os.dup2(sink, 1)
            os.dup2(sink, 2)
            os.close(sink)
        except OSError:
            pass
        self._loop.call_soon_threadsafe(self.exit)

    def first_screen(self):  # noqa: ANN201 - a Screen; kept lazy for start-up time
        from kring.screens.agenda import AgendaScreen

        return AgendaScreen()

    def on_unmount(self) -> None:
        if self._watcher:
            self._watcher.stop()
        self.outbox.close(timeout=5.0)
        if getattr(self, "_old_sighup", None) is not None:
            try:
                signal.signal(signal.SIGHUP, self._old_sighup)
            except ValueError:
                pass

    # --- the event log -------------------------------------------------------------

    @property
    def events(self) -> list[EventRow]:
        stored = {e.uid for e in self.snapshot.events}
        merged = self.snapshot.events + [e for e in self._pending if e.uid not in stored]
        return sorted(merged, key=lambda e: e.at)

    def timeline(self) -> Timeline:
        return derive(self.meeting.plan, self.events, self.clock.now())

    def record(self, kind: str, data: dict[str, Any] | None = None) -> EventRow:
        """Record a live event: shown at once, written in order by the outbox."""
        ev = new_event(kind, self.clock.now(), data, origin=self.role)
        self._pending.append(ev)
        self.outbox.put(partial(append_events, self.store, self.meeting_id, [ev]))
        self.refresh_screen()
        return ev

    def _changed_in_store(self, _token: Any) -> None:
        # runs in the watcher's thread: load there, hand plain data to the UI
        self.post_message(StoreChanged(load_snapshot(self.store, self.meeting_id)))

    def on_store_changed(self, message: StoreChanged) -> None:
        self.snapshot = message.snapshot
        stored = {e.uid for e in self.snapshot.events}
        self._pending = [e for e in self._pending if e.uid not in stored]
        self.refresh_screen()

    def on_write_trouble(self, message: WriteTrouble) -> None:
        before, self.write_trouble = self.write_trouble, message.reason
        if message.reason == before:
            return  # the same trouble at the next retry: said already
        if message.reason:
            self.notify(
                _("Not saved yet: {reason}. kring keeps it and tries again.").format(reason=message.reason),
                severity="error",
                timeout=4,
            )
        else:
            self.notify(_("Saved again: everything is in the store."), timeout=3)
        self.refresh_screen()

    def refresh_screen(self) -> None:
        refresh = getattr(self.screen, "refresh_state", None)
        if refresh is not None:
            refresh()

    # --- actions -------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Leave. While writes are failing (disk full, store read-only), ask first:
        what is not saved yet would be lost with the process."""
        waiting = self.outbox.waiting
        if not (self.write_trouble and waiting):
            self.exit()
            return
        from kring.screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen(
            ngettext("{n} change is not saved yet ({reason}). Quit anyway? It would be lost.",
                     "{n} changes are not saved yet ({reason}). Quit anyway? They would be lost.",
                     waiting).format(n=waiting, reason=self.write_trouble)), done)

    def action_help(self) -> None:
        from kring.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = "kring-light" if self.theme == "kring-contrast" else "kring-contrast"
