"""The moderator's App: a thin client over the store for one meeting.

Each concern has a home of its own, and the App puts them together:
the meeting as this process knows it (`kring.tui.session.LiveMeeting`: the event
log, the clock, the outbox), following other processes (`kring.tui.follow`, a
thread worker that posts `StoreChanged`), painting before the store opens
(`kring.tui.firstpaint`), a dropped connection (`kring.tui.hangup`), and the
themes, help and quit every client shares (`kring.tui.base`). Screens get the
LiveMeeting when they are made and derive everything they show from it.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, Callable

from textual.binding import Binding

from kring.data.core.clock import Clock, StartupClock, SystemClock
from kring.data.i18n import _, ngettext
from kring.data.outbox import Outbox
from kring.screens.live import LiveScreen
from kring.tui import csscache, startgc
from kring.tui.base import KringBaseApp
from kring.tui.follow import StoreFollower
from kring.tui.hangup import HangUp
from kring.tui.messages import FollowTrouble, ScreenShown, StoreChanged, WriteTrouble
from kring.tui.session import LiveMeeting

if TYPE_CHECKING:
    from kring.data.live import Snapshot
    from kring.data.meetings import EventRow, MeetingInfo
    from kring.data.store import Store
    from kring.data.core.timeline import Timeline
    from kring.tui.config import Config
    from kring.tui.firstpaint import FirstPaint

# The store's modules (SQLAlchemy, SQLModel) are imported where they are used, so
# that `kring demo` and `kring resume` can paint before loading them (firstpaint).


class KringApp(KringBaseApp):
    BINDINGS = [
        Binding("question_mark,f1", "help", _("Keys"), id="help", key_display="?"),
        Binding("q", "quit", _("Quit"), id="quit", show=False),
        Binding("ctrl+t", "toggle_theme", _("Theme"), show=False, id="theme"),
    ]
    # How often the store is asked whether anything changed (seconds).
    FOLLOW_EVERY = 0.2

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
        confirm_roles: bool = False,
        check_first: bool = False,
        config: Config | None = None,
    ) -> None:
        """`store` is open, or None with `first_paint`: what a quick read found, shown
        at once while a thread opens the store (`connected` says when it is).
        `confirm_roles`: a network's meeting shows the proposed roles before the first step.
        `check_first`: a new meeting opens with the check before the first step (who is here, the end).
        `config`: the settings' layers (default: the user's config file)."""
        super().__init__(config)
        author = author or os.environ.get("USER") or role
        if store is not None:
            from kring.data.draftjournal import keys_key, replay_events
            from kring.data.live import load_snapshot
            from kring.data.meetings import get_meeting

            meeting: MeetingInfo = get_meeting(store, meeting_id)
            replay_events(store, meeting_id, keys_key(author, role))  # what a killed process showed
            snapshot = load_snapshot(store, meeting_id)
        elif first_paint is not None:
            meeting, snapshot = first_paint.meeting, first_paint.snapshot  # type: ignore[assignment]
        else:
            raise ValueError("KringApp needs an open store, or a first paint to show while it opens")
        outbox = Outbox(
            on_error=lambda msg: self.post_message(WriteTrouble(msg)),
            on_ok=lambda: self.post_message(WriteTrouble(None)),
            check=lambda: self.live.check_names(),
        )
        # Painting before the store opens, the clock is Python's own (no pendulum
        # yet, see StartupClock) until the store is open.
        self.live = LiveMeeting(
            store, meeting_id, meeting, snapshot,
            clock=clock or (StartupClock() if store is None else SystemClock()),
            role=role, author=author, outbox=outbox,
            changed=self.refresh_screen,
        )
        self.confirm_roles = confirm_roles
        self.check_first = check_first
        # keys typed before the check shows wait for it: an early space must not start the meeting unchecked
        self.keys_before_check: list[tuple[str, str | None]] | None = [] if check_first else None
        self._first_paint = first_paint if store is None else None
        self.open_error: Exception | None = None  # the store would not open after the first paint
        self._opening_thread: threading.Thread | None = None
        self._watch = watch
        self.follower: StoreFollower | None = None
        self._hang_up = HangUp(self.exit)

    # --- what the screens and the commands read (the meeting lives in self.live) ------

    @property
    def store(self) -> Store | None:
        return self.live.store

    @property
    def meeting_id(self) -> int:
        return self.live.meeting_id

    @property
    def meeting(self) -> MeetingInfo:
        return self.live.meeting

    @property
    def snapshot(self) -> Snapshot:
        return self.live.snapshot

    @property
    def clock(self) -> Clock:
        return self.live.clock

    @property
    def role(self) -> str:
        return self.live.role

    @property
    def author(self) -> str:
        return self.live.author

    @property
    def outbox(self) -> Outbox:
        return self.live.outbox

    @property
    def write_trouble(self) -> str | None:
        return self.live.write_trouble

    @property
    def connected(self) -> bool:
        return self.live.connected

    @property
    def events(self) -> list[EventRow]:
        return self.live.events

    def timeline(self) -> Timeline:
        return self.live.timeline()

    def record(self, kind: str, data: dict[str, Any] | None = None) -> EventRow:
        return self.live.record(kind, data)

    # --- life cycle -------------------------------------------------------------

    @property
    def _first_screen_is_base(self) -> bool:
        """The moderator's agenda is the App's base screen, not pushed over Textual's
        blank one, which would be composed, sized and painted first (some 15 ms of
        the projector's start-up). The other clients push their first screen once
        the App is mounted: their screens focus an input in on_mount, and keys
        typed at once wait for that."""
        return self.live.role == "moderator"

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
        if self.connected:
            self._start_following()
        else:
            # The store opens once the first frame is out: the first screen says when
            # (ScreenShown); this is only in case it never does.
            self.set_timer(2.0, self.first_frame_shown)
        self._hang_up.install()

    def first_screen(self):  # noqa: ANN201 - a Screen; kept lazy for start-up time
        if not self.connected:
            from kring.screens.agenda_core import AgendaScreen as AgendaCore

            return AgendaCore(self.live)
        from kring.screens.agenda import AgendaScreen

        return AgendaScreen(self.live, confirm_roles=self.confirm_roles, check_first=self.check_first)

    def on_unmount(self) -> None:
        if self.follower is not None:
            self.follower.stop()
        all_written = self.live.outbox.close(timeout=5.0)
        self.live.close_journals(all_written)  # with everything stored, the journals go
        self._hang_up.restore()

    # --- following other processes --------------------------------------------------

    def _start_following(self) -> None:
        from kring.data.live import load_snapshot
        from kring.data.notes import FollowToken  # change_token's figures, cheaper a poll

        if not self._watch:
            return
        store, meeting_id = self.live.store, self.live.meeting_id
        from kring.data.notify import meeting_bell  # LISTEN/NOTIFY on PostgreSQL, else the poll

        self.follower = StoreFollower(FollowToken(store, meeting_id), lambda: load_snapshot(store, meeting_id),
                                      self.post_message, interval=self.FOLLOW_EVERY,
                                      bell=lambda: meeting_bell(store, meeting_id))
        self.run_worker(self.follower.follow, name="store follower", group="follow", thread=True,
                        exit_on_error=False)

    def _changed_in_store(self, _token: Any = None) -> None:
        """Load the meeting now and hand it to the UI, as the follower does on a change."""
        from kring.data.live import load_snapshot

        self.post_message(StoreChanged(load_snapshot(self.live.store, self.live.meeting_id)))

    def on_store_changed(self, message: StoreChanged) -> None:
        from kring.data.forgotten import people, told

        before = self.live.snapshot
        self.live.take(message.snapshot)
        news = told(message.snapshot.events, self.live.forgets_seen)
        if news:
            self.live.forgets_seen.update(e.uid for e in news)
            self.run_worker(lambda: self._read_names_again(news, people(self.live.meeting, before)),
                            thread=True, group="forgotten", exit_on_error=False)

    def _read_names_again(self, news: list[EventRow], before: list[str]) -> None:
        """In a thread: someone was forgotten; the meeting's names as the store has them now."""
        from kring.data.live import load_snapshot
        from kring.data.meetings import get_meeting

        store, meeting_id = self.live.store, self.live.meeting_id
        meeting, snapshot = get_meeting(store, meeting_id), load_snapshot(store, meeting_id)
        try:
            self.call_from_thread(self._names_forgotten, news, before, meeting, snapshot)
        except RuntimeError:  # the app has ended meanwhile
            pass

    def _names_forgotten(self, news: list[EventRow], before: list[str], meeting: MeetingInfo,
                         snapshot: Snapshot) -> None:
        from kring.data.forgotten import people

        if meeting.id != self.live.meeting_id:
            return  # moved on to another meeting meanwhile: that one is read fresh (LiveMeeting.switch)
        live = self.live
        after = people(meeting, snapshot)
        me = False
        for event in news:
            placeholder = str(event.data.get("placeholder") or "")
            scrubber = live.forgotten.learn(before, after, placeholder, first_name=event.data.get("first_name", True))
            sessions = event.data.get("sessions") or []
            mine = bool(self.session and self.session in sessions)
            if mine or (scrubber is not None and scrubber.is_name(live.author)):
                me = True
                live.author = placeholder or live.forgotten.text(live.author)
        live.meeting, live.snapshot = meeting, snapshot
        live.forget_pending()
        live.forgets_learnt += len(news)  # the writes held back go on, without the names
        self.names_forgotten(me)
        for screen in self.screen_stack:
            hook = getattr(screen, "names_forgotten", None)
            if hook is not None:
                hook(me)
            else:
                _forget_in(screen, live.forgotten)
        self.refresh_screen()
        if me:
            self.notify(_("You have been forgotten in this network: what you write from now on is kept as "
                          "'{placeholder}', without your name.").format(placeholder=live.author),
                        timeout=10)

    def names_forgotten(self, me: bool) -> None:
        """Someone was forgotten (`me`: the person this client was opened as): the App's own
        part (the note-taker's presence row, say)."""

    session = ""  # a client that announces itself: its random token (kring.data.presence)

    def on_follow_trouble(self, message: FollowTrouble) -> None:
        if message.reason:
            self.notify(_("Cannot read the store: {reason}. kring keeps trying.").format(reason=message.reason),
                        severity="warning", timeout=4)

    def on_write_trouble(self, message: WriteTrouble) -> None:
        before, self.live.write_trouble = self.live.write_trouble, message.reason
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
        screen = self.screen if self.is_running or self._screen_stack else None
        if isinstance(screen, LiveScreen):
            screen.refresh_state()

    # --- opening the store after the first paint ------------------------------------

    def on_screen_shown(self, message: ScreenShown) -> None:
        startgc.release()  # the first screen is out
        if self.connected:
            self.call_later(self.complete_first_screen)
        else:
            self.first_frame_shown()

    def first_frame_shown(self) -> None:
        """The first screen is on the terminal: now open the store, in a thread."""
        if self.connected or self._opening_thread is not None:
            return
        self._opening_thread = threading.Thread(target=self._opening, name="kring-open", daemon=True)
        self._opening_thread.start()

    def _opening(self) -> None:
        """In a thread: open the store the usual way, read the meeting, load the screens."""
        assert self._first_paint is not None
        csscache.keep(self.stylesheet, self.styles_kept)  # the first frame's rules, parsed if new: for the next start
        self.styles_kept_at_start = True
        try:
            settings = self.config.settings  # the typed settings, confirming what the first frame peeked at
            from kring.data.live import load_snapshot
            from kring.data.meetings import get_meeting
            from kring.data.store import Store

            from kring.data.draftjournal import keys_key, replay_events

            store = Store(self._first_paint.url, shared_group=settings.shared_group)  # created if new
            make = self._first_paint.make  # a meeting not made yet: made now
            meeting_id = make(store) if make is not None else self.live.meeting_id
            meeting = get_meeting(store, meeting_id)
            replay_events(store, meeting_id, keys_key(self.live.author, self.live.role))
            snapshot = load_snapshot(store, meeting_id)
            self.prepare(store, meeting_id)
            self.load_screens()  # here, not in the UI
        except Exception as exc:  # noqa: BLE001 - said to the person as the app ends
            self._call_from_opening(self._not_opened, exc)
            return
        self._call_from_opening(self._opened, store, meeting, snapshot)

    def prepare(self, store: Store, meeting_id: int) -> None:
        """In the opening thread: read what the hand-over needs beyond the meeting; an
        exception ends the App as a store that would not open does."""

    def load_screens(self) -> None:
        """In the opening thread: import the screens the hand-over shows."""
        import kring.screens.agenda  # noqa: F401 - the capabilities

    def _call_from_opening(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            self.call_from_thread(fn, *args)
        except RuntimeError:  # the app has ended meanwhile
            if fn == self._opened:
                args[0].close()

    def _opened(self, store: Store, meeting: MeetingInfo, snapshot: Snapshot) -> None:
        self._first_paint = None
        self.live.connect(store, meeting, snapshot)  # keys pressed meanwhile are recorded now
        self._start_following()
        self.refresh_screen()
        self.complete_first_screen()

    def complete_first_screen(self) -> None:
        """The core screen painted at start-up gives way to the full one (same picture,
        plus the capabilities' panels and keys); under a dialog it waits for its turn."""
        from kring.screens.agenda_core import AgendaScreen as AgendaCore

        if type(self.screen) is AgendaCore and self.connected:
            from kring.screens.agenda import AgendaScreen

            # The core is the base screen, which Textual cannot switch away from:
            # the full agenda goes over it, and the core, out of sight, stops. (A
            # mode of its own would do too, but Textual parses every rule again when
            # it makes one.)
            self.screen.retire()
            self.push_screen(AgendaScreen(self.live, confirm_roles=self.confirm_roles,
                                          check_first=self.check_first))

    def _not_opened(self, exc: Exception) -> None:
        """The quick read found the store fine, yet it would not open (it changed in
        between): end; the command raises `open_error` as the usual path would have."""
        self.open_error = exc
        self.exit(return_code=2)

    async def on_event(self, event: Any) -> None:
        from textual import events

        if (self.keys_before_check is not None and isinstance(event, (events.Key, events.Paste))
                and not event.is_forwarded and getattr(event, "key", "") not in ("ctrl+q", "ctrl+c")):
            from kring.tui.heldkeys import held

            self.keys_before_check.append(held(event))
            return
        await super().on_event(event)

    def check_is_up(self) -> None:
        """The check before the first step is on screen (or not needed): the keys that waited
        go to it, in the App's turn; any key queued before that still waits, behind them."""
        if self.keys_before_check is not None:
            self.call_later(self._release_keys_before_check)

    async def _release_keys_before_check(self) -> None:
        from kring.tui.heldkeys import replay

        if self.keys_before_check is not None:
            await replay(self.keys_before_check, super().on_event)
            self.keys_before_check = None

    # --- actions -------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Leave. While writes are failing (disk full, store read-only), ask first:
        what is not saved yet would be lost with the process."""
        waiting = self.live.outbox.waiting
        if not (self.live.write_trouble and waiting):
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
                     waiting).format(n=waiting, reason=self.live.write_trouble)), done)


def _forget_in(screen: Any, forgotten: Any) -> None:
    """A screen without a hook of its own (a dialog: the roles, who is here, the case-bringer)
    holds names as plain data it was given: those lose the forgotten names, and it shows
    itself again from them."""
    changed = False
    for name, value in list(vars(screen).items()):
        if name.startswith("_") or not isinstance(value, (str, list, dict, tuple)):
            continue
        clean = forgotten.data(value)
        if clean != value:
            setattr(screen, name, clean)
            changed = True
    for again in ("refresh_state", "_show"):  # (a dialog that reads the meeting's names shows them afresh)
        if callable(getattr(screen, again, None)) and screen.is_mounted:
            getattr(screen, again)()
            return
    if changed:
        screen.refresh(recompose=True)
