"""The live meeting as this process knows it: what the screens read and how they record.

One object holds the meeting, its event log (what is stored plus what this
process has just recorded and the outbox is still writing), the injected clock
and the outbox. The App makes it and hands it to each screen it opens; a screen
never reaches into the App for these.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from kring.data.core.clock import Clock, StartupClock, SystemClock
from kring.data.outbox import Outbox
from kring.data.core.timeline import Timeline, derive

if TYPE_CHECKING:
    from kring.data.core.steps import FormatSteps
    from kring.data.live import Snapshot
    from kring.data.meetings import EventRow, MeetingInfo
    from kring.data.store import Store

# The store's modules (SQLAlchemy, SQLModel) are imported where they are used, so
# that `kring demo` and `kring resume` can paint before loading them (firstpaint).


class LiveMeeting:
    """`store` is open, or None while it opens after the first paint (`connected`
    says when it is); `changed` is called whenever what is shown should follow."""

    def __init__(self, store: Store | None, meeting_id: int, meeting: MeetingInfo, snapshot: Snapshot, *,
                 clock: Clock, role: str, author: str, outbox: Outbox,
                 changed: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.meeting_id = meeting_id
        self.meeting = meeting
        self.snapshot = snapshot
        self.clock = clock
        self.role = role
        self.author = author
        self.outbox = outbox
        self.composers: list = []  # the note composers of this process, each with its draft journal
        self.changed = changed
        self.write_trouble: str | None = None  # why the outbox cannot write now, if it cannot
        self._pending: list[EventRow] = []  # recorded here, not yet confirmed stored
        self._keys_journal: Any = None  # the pending events, kept per key (kring.data.draftjournal)
        self._when_connected: list[Callable[[], Any]] = []
        self._format_key: tuple | None = None
        self._format: Any = None
        from kring.data.forgotten import Forgotten

        self.forgotten = Forgotten()  # names forgotten while this process ran (kring.data.forgotten)
        self.forgets_seen: set[str] = {e.uid for e in snapshot.events if e.kind == "forgotten"}
        self.forgets_learnt = len(self.forgets_seen)  # ... and acted upon (the names dropped)
        # the outbox's check: the meeting and (the newest event id looked at, forgets counted up to it)
        self._forgets_checked_in: int | None = None
        self._forgets_checked = (0, 0)

    # --- the store opening after the first paint ------------------------------------

    @property
    def connected(self) -> bool:
        return self.store is not None

    def connect(self, store: Store, meeting: MeetingInfo, snapshot: Snapshot) -> None:
        """The store is open: read from it from now on, and run the keys pressed meanwhile, in their order."""
        self.store, self.meeting, self.snapshot = store, meeting, snapshot
        self.meeting_id = meeting.id  # a meeting made after the first paint has its id now
        if isinstance(self.clock, StartupClock):
            self.clock = SystemClock()
        waiting, self._when_connected = self._when_connected, []
        for fn in waiting:
            fn()

    def when_connected(self, fn: Callable[[], Any]) -> None:
        """Run `fn` now if the store is open, else as soon as it is."""
        if self.connected:
            fn()
        else:
            self._when_connected.append(fn)

    def switch(self, meeting_id: int, meeting: MeetingInfo, snapshot: Snapshot) -> None:
        """Follow another meeting from now on (a note-taker whose meeting closed). What this
        process recorded for the old one is in the outbox already, addressed to it."""
        self.meeting_id, self.meeting, self.snapshot = meeting_id, meeting, snapshot
        self.forgets_seen = {e.uid for e in snapshot.events if e.kind == "forgotten"}  # its names are read fresh
        self.forgets_learnt = len(self.forgets_seen)
        self._pending = []
        self.changed()

    # --- the event log -------------------------------------------------------------

    @property
    def events(self) -> list[EventRow]:
        stored = {e.uid for e in self.snapshot.events}
        merged = self.snapshot.events + [e for e in self._pending if e.uid not in stored]
        return sorted(merged, key=lambda e: e.at)

    @property
    def format(self) -> FormatSteps:
        """The meeting's steps and those of each sub-agenda its log started (as the timeline's)."""
        events = self.events
        key = (id(self.meeting), len(events), events[-1].uid if events else None)
        if self._format_key != key:
            self._format_key, self._format = key, self.meeting.format.with_subagendas(events)
        return self._format

    def timeline(self) -> Timeline:
        return derive(self.meeting.plan, self.events, self.clock.now())

    def record(self, kind: str, data: dict[str, Any] | None = None) -> EventRow:
        """Record a live event: shown at once, written in order by the outbox."""
        from kring.data.meetings import append_events, new_event

        ev = new_event(kind, self.clock.now(), self.forgotten.data(data), origin=self.role)
        self._pending.append(ev)
        self._keep_pending()  # before its effect is shown: a kill now cannot lose it
        self.outbox.put(partial(append_events, self.store, self.meeting_id, [ev]))
        self.changed()
        return ev

    def _keep_pending(self) -> None:
        if self.store is None:
            return
        from kring.data.draftjournal import DraftJournal, event_state, journal_path, keys_key

        if self._keys_journal is None:
            if not self._pending:
                return
            self._keys_journal = DraftJournal(journal_path(self.store.url, self.store.path, self.meeting_id,
                                                           keys_key(self.author, self.role)))
        self._keys_journal.write("", event_state(self._pending))

    def check_names(self) -> None:
        """Before each write (the outbox's check): someone forgotten in the store since this
        process last dropped names holds the writes back until it has, so that a note, draft
        or event made from the old names is written only once they are gone from it."""
        if self.store is None:
            return
        from kring.data.forgotten import forgets_since
        from kring.data.outbox import NotYet

        mid, (after, total) = self.meeting_id, self._forgets_checked
        if self._forgets_checked_in != mid:
            mid, after, total = self.meeting_id, 0, 0  # another meeting: counted from its start
        found, newest = forgets_since(self.store, mid, after)
        self._forgets_checked_in, self._forgets_checked = mid, (newest, total + found)
        if total + found > self.forgets_learnt:
            raise NotYet("someone was forgotten: this client reads the names again first")

    def forget_pending(self) -> None:
        """Names forgotten meanwhile leave the events recorded here and not stored yet (the
        outbox writes these very rows) and their journal."""
        for ev in self._pending:
            clean = self.forgotten.data(ev.data)
            ev.data.clear()
            ev.data.update(clean)
        if self._keys_journal is not None:
            self._keys_journal.close(remove=True)
            self._keys_journal = None
        self._keep_pending()

    def close_journals(self, all_written: bool) -> None:
        """The process ends: with everything in the store, the journals have nothing more to say."""
        if self._keys_journal is not None:
            self._keys_journal.close(remove=all_written)
        for composer in self.composers:
            composer.close_journal(all_written)

    def take(self, snapshot: Snapshot) -> None:
        """What the store holds now: the events it has are no longer pending here."""
        self.snapshot = snapshot
        stored = {e.uid for e in snapshot.events}
        before = len(self._pending)
        self._pending = [e for e in self._pending if e.uid not in stored]
        if len(self._pending) != before:
            self._keep_pending()
        self.changed()
