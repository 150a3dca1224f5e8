"""An open client learns that someone was forgotten, and forgets them too.

`kring network forget` rewrites the store and then appends a `forgotten` event
to each of the network's meetings (kring.data.forget). The event holds no name:
it reaches every client the way every change does (the store follower), and
tells it to read the meeting's names again. The names that were there before
and are gone now are the forgotten ones; this process knew them already, so
nothing new is learnt from the store. From then on the client drops them from
what it keeps and writes: the event log it has not stored yet, the note being
typed (its draft and journal), the evaluation form's open answers, and every
note, draft and event it writes later (`Forgotten.text`, `Forgotten.data`).

`kring serve` does the same with the evaluation's names (kring.web.app): an
answer typed in a page loaded before the forget is stored without the name.

A client opened as the forgotten person (`--as Karel` for "Karel Appel", or the
note-taker whose presence row carried the session token the event names) goes on
as the placeholder ("voormalig lid"), as forgetting made of their earlier notes,
and says so in one line: the meeting's notes are not lost, and nothing written
later carries the name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kring.data.forget_names import Scrubber, fold

if TYPE_CHECKING:
    from kring.data.live import Snapshot
    from kring.data.meetings import EventRow, MeetingInfo


def people(meeting: MeetingInfo, snapshot: Snapshot) -> list[str]:
    """The names this client knows: the meeting's participants and the network's members
    with a learning question (the network panel's)."""
    names = [p.name for p in meeting.participants]
    network = snapshot.extra.get("network") if snapshot is not None else None
    if isinstance(network, dict):
        for item in network.get("questions") or []:
            if isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
                names.append(item[0])
    return names


def told(events: list[EventRow], seen: set[str]) -> list[EventRow]:
    """The `forgotten` events not handled yet."""
    from kring.data.core.events import EventKind

    return [e for e in events if e.kind == EventKind.FORGOTTEN and e.uid not in seen]


@dataclass
class Forgotten:
    """Who this client forgot (kept in this process only, as it knew them before), and the
    placeholder each one's name gives way to."""

    scrubbers: list[tuple[Scrubber, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.scrubbers)

    def learn(self, before: list[str], after: list[str], placeholder: str, *,
              first_name: bool = True) -> Scrubber | None:
        """The names in `before` and not in `after` are forgotten (with their first names when
        those went too, as the event says). None when no name this client knew went."""
        now = {fold(n) for n in after}
        gone = [n for n in dict.fromkeys(before) if fold(n) not in now and fold(n)]
        if not gone:
            return None
        names = list(gone)
        if first_name:
            names += [n.split()[0] for n in gone]
        scrubber = Scrubber(names, [n for n in after])
        self.scrubbers.append((scrubber, placeholder))
        return scrubber

    def is_name(self, value: str | None) -> bool:
        return bool(value) and any(s.is_name(value) for s, _ph in self.scrubbers)

    def placeholder_for(self, value: str) -> str | None:
        for s, ph in self.scrubbers:
            if s.is_name(value):
                return ph
        return None

    def text(self, value: Any) -> Any:
        """`value` with every forgotten name replaced (a name field given whole too)."""
        if not isinstance(value, str) or not self.scrubbers:
            return value
        for s, ph in self.scrubbers:
            value = s.field(value, ph)[0]
        return value

    def data(self, value: Any) -> Any:
        if not self.scrubbers:
            return value
        for s, ph in self.scrubbers:
            if isinstance(value, str):
                value = s.field(value, ph)[0]
            else:
                value = s.data(value, ph)[0]
        return value



def forgets_since(store: Any, meeting_id: int, after_id: int) -> tuple[int, int]:
    """How many `forgotten` events the meeting got after event id `after_id`, and its newest
    event id: a seek in the meeting's index past the events looked at before, cheap per write."""
    from sqlalchemy import case, func
    from sqlmodel import col, select

    from kring.data.core.events import EventKind
    from kring.data.models import Event

    with store.session() as s:
        count, newest = s.exec(
            select(func.coalesce(func.sum(case((Event.kind == EventKind.FORGOTTEN, 1), else_=0)), 0),
                   func.max(Event.id))
            .where(Event.meeting_id == meeting_id, col(Event.id) > after_id)).one()
    return int(count), int(newest or after_id)
