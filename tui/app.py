"""The kring App: a thin client over the store for one meeting.

The App owns the meeting's event log as this process knows it (what is stored
plus what this process has just recorded and is still writing), the injected
clock, the outbox that writes, and the watcher that follows other processes.
Screens derive everything they show from those.
"""

from __future__ import annotations

import os
import signal
import threading
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from textual.binding import Binding

from kring.data.core.clock import Clock, StartupClock, SystemClock
from kring.data.core.timeline import Timeline, derive
from kring.data.i18n import _, ngettext
from kring.data.outbox import Outbox
from kring.tui.base import KringBaseApp
from kring.tui.messages import StoreChanged, WriteTrouble
from kring.tui.watch import StoreWatcher

if TYPE_CHECKING:
    from kring.data.live import Snapshot
    from kring.data.meetings import EventRow, MeetingInfo
    from kring.data.store import Store
    from kring.tui.firstpaint import FirstPaint

# The store's modules (SQLAlchemy, SQLModel) are imported where they are used, so
# that `kring demo` and `kring resume` can paint before loading them (firstpaint).


class KringApp(KringBaseApp):
    BINDINGS = [
        Binding("question_mark,f1", "help", _("Keys"), id="help", key_display="?"),
        Binding("q", "quit", _("Quit"), id="quit", show=False),
        Binding("ctrl+t", "toggle_theme", _("Light/dark"), show=False, id="theme"),
    ]

    def __init__(
        self,
        store: Store | None,
        meeting_id: int,
        *,
        clock: Clock | None = None,
        role: str = "moderator",
        author: str | None = None,
        watch: bool = True,
        first_paint: FirstPaint | None = None,
    ) -> None:
        """`store` is open, or None with `first_paint`: what a quick read found, shown
        at once while a thread opens the store (`connected` says when it is)."""
        super().__init__()
        self.store = store
        self.meeting_id = meeting_id
        # Painting before the store opens, the clock is Python's own (no pendulum
        # yet, see StartupClock) until the store is open.
        self.clock: Clock = clock or (StartupClock() if store is None else SystemClock())
        self.role = role
        self.author = author or os.environ.get("USER") or role
        self._first_paint = first_paint if store is None else None
        self.connected = store is not None
        self.open_error: Exception | None = None  # the store would not open after the first paint
        self._opening_thread: threading.Thread | None = None
        self._when_connected: list[Callable[[], Any]] = []
        if store is not None:
            from kring.data.live import load_snapshot
            from kring.data.meetings import get_meeting

            self.meeting: MeetingInfo = get_meeting(store, meeting_id)
            self.snapshot = load_snapshot(store, meeting_id)
        elif first_paint is not None:
            self.meeting, self.snapshot = first_paint.meeting, first_paint.snapshot  # type: ignore[assignment]
        else:
            raise ValueError("KringApp needs an open store, or a first paint to show while it opens")
        self._pending: list[EventRow] = []  # recorded here, not yet confirmed stored
        self.write_trouble: str | None = None
        self.outbox = Outbox(
            on_error=lambda msg: self.post_message(WriteTrouble(msg)),
            on_ok=lambda: self.post_message(WriteTrouble(None)),
        )
        self._watch = watch
        self._watcher = self._make_watcher() if store is not None else None

    def _make_watcher(self) -> StoreWatcher | None:
        from kring.data.notes import (
            FollowToken,  # change_token's figures, cheaper a poll
        )

        if not self._watch:
            return None
        return StoreWatcher(FollowToken(self.store, self.meeting_id), self._changed_in_store)

    # --- life cycle -------------------------------------------------------------

    @property
    def _first_screen_is_base(self) -> bool:
        """The moderator's agenda is the App's base screen, not pushed over Textual's
        blank one, which would be composed, sized and painted first (some 15 ms of
        the projector's start-up). The other clients push their first screen once
        the App is mounted: their screens focus an input in on_mount, and keys
        typed at once wait for that."""
        return self.role == "moderator"

    def get_default_screen(self):  # noqa: ANN201 - a Screen
        if not self._first_screen_is_base:
            return super().get_default_screen()
        screen = self.first_screen()
        # Read its CSS file as pushing it would, but before the first parse: a file
        # read later makes Textual parse every rule again.
        for path in screen.css_path:
            if not self.stylesheet.has_source(str(path)):
                self.stylesheet.read(path)
        return screen

    def on_mount(self) -> None:
        if not self._first_screen_is_base:
            self.push_screen(self.first_screen())
        if self._watcher:
            self._watcher.start()
        if not self.connected:
            # The store opens once the first frame is out: the first screen says when
            # (first_frame_shown); this is only in case it never does.
            self.set_timer(2.0, self.first_frame_shown)
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
        if not self.connected:
            from kring.screens.agenda_core import AgendaScreen as AgendaCore

            return AgendaCore()
        from kring.screens.agenda import AgendaScreen

        return AgendaScreen()

    # --- opening the store after the first paint ------------------------------------

    def first_frame_shown(self) -> None:
        """The first screen is on the terminal: now open the store, in a thread."""
        if self.connected or self._opening_thread is not None:
            return
        self._opening_thread = threading.Thread(target=self._opening, name="kring-open", daemon=True)
        self._opening_thread.start()

    def _opening(self) -> None:
        """In a thread: open the store the usual way, read the meeting, load the screens."""
        assert self._first_paint is not None
        try:
            from kring.data.live import load_snapshot
            from kring.data.meetings import get_meeting
            from kring.data.store import Store

            store = Store(self._first_paint.url)
            meeting = get_meeting(store, self.meeting_id)
            snapshot = load_snapshot(store, self.meeting_id)
            import kring.screens.agenda  # noqa: F401 - the capabilities, loaded here, not in the UI
        except Exception as exc:  # noqa: BLE001 - said to the person as the app ends
            self._call_from_opening(self._not_opened, exc)
            return
        self._call_from_opening(self._opened, store, meeting, snapshot)

    def _call_from_opening(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            self.call_from_thread(fn, *args)
        except RuntimeError:  # the app has ended meanwhile
            if fn == self._opened:
                args[0].close()

    def _opened(self, store: Store, meeting: MeetingInfo, snapshot: Snapshot) -> None:
        self.store, self.meeting, self.connected = store, meeting, True
        if isinstance(self.clock, StartupClock):
            self.clock = SystemClock()
        self._first_paint = None
        self.snapshot = snapshot
        self._watcher = self._make_watcher()
        if self._watcher:
            self._watcher.start()
        waiting, self._when_connected = self._when_connected, []
        for fn in waiting:  # keys pressed meanwhile, in their order
            fn()
        self.refresh_screen()
        self.complete_first_screen()

    def complete_first_screen(self) -> None:
        """The core screen painted at start-up gives way to the full one (same picture,
        plus the capabilities' panels and keys); under a dialog it waits for its turn."""
        from kring.screens.agenda import AgendaScreen
        from kring.screens.agenda_core import AgendaScreen as AgendaCore

        if type(self.screen) is AgendaCore and self.connected:
            # The core is the base screen, which Textual cannot switch away from:
            # the full agenda goes over it, and the core, out of sight, stops. (A
            # mode of its own would do too, but Textual parses every rule again when
            # it makes one.)
            self.screen.retire()
            self.push_screen(AgendaScreen())

    def _not_opened(self, exc: Exception) -> None:
        """The quick read found the store fine, yet it would not open (it changed in
        between): end; the command raises `open_error` as the usual path would have."""
        self.open_error = exc
        self.exit(return_code=2)

    def when_connected(self, fn: Callable[[], Any]) -> None:
        """Run `fn` now if the store is open, else as soon as it is."""
        if self.connected:
            fn()
        else:
            self._when_connected.append(fn)

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
        from kring.data.meetings import append_events, new_event

        ev = new_event(kind, self.clock.now(), data, origin=self.role)
        self._pending.append(ev)
        self.outbox.put(partial(append_events, self.store, self.meeting_id, [ev]))
        self.refresh_screen()
        return ev

    def _changed_in_store(self, _token: Any) -> None:
        # runs in the watcher's thread: load there, hand plain data to the UI
        from kring.data.live import load_snapshot

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
        from kring.screens.dialogs.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen(
            ngettext("{n} change is not saved yet ({reason}). Quit anyway? It would be lost.",
                     "{n} changes are not saved yet ({reason}). Quit anyway? They would be lost.",
                     waiting).format(n=waiting, reason=self.write_trouble)), done)
