"""Meetings and their event log: the queries every client uses.

Functions take a Store and return plain data (dataclasses), never live ORM
objects, so they can run in a thread worker and hand results to the UI.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pendulum import DateTime
from sqlalchemy import func
from sqlmodel import col, select

from kring.data.core.clock import Clock
from kring.data.core.events import EventKind
from kring.data.core.steps import FormatSteps
from kring.data.core.timeline import PlannedStep, Timeline, derive
from kring.data.errors import InputError
from kring.data.models import (
    EvaluationReceipt,
    Event,
    Meeting,
    Note,
    NoteRevision,
    Participant,
)
from kring.data.store import Store
from kring.data.core.given import check_place, check_title, clean_names, meeting_title  # noqa: F401 - named here too
from kring.data.core.textgate import shown, shown_tree
from kring.data.i18n import _


@dataclass(frozen=True)
class EventRow:
    at: DateTime
    kind: str
    data: dict[str, Any]
    uid: str
    id: int | None = None
    origin: str = ""


@dataclass
class ParticipantInfo:
    name: str
    seat: int
    roles: list[str] = field(default_factory=list)


@dataclass
class MeetingInfo:
    id: int
    title: str
    werkvorm: str
    format_data: dict[str, Any]
    status: str
    created_at: DateTime
    started_at: DateTime | None
    ended_at: DateTime | None
    place: str
    network_id: int | None
    participants: list[ParticipantInfo]

    @cached_property
    def format(self) -> FormatSteps:
        """The meeting's own copy of its work format, as typed steps."""
        return FormatSteps.of(self.format_data)

    @property
    def plan(self) -> list[PlannedStep]:
        return self.format.plan

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.participants]


def create_meeting(
    store: Store,
    format_data: dict[str, Any],
    participants: list[str],
    clock: Clock,
    *,
    title: str | None = None,
    network_id: int | None = None,
    place: str = "",
    roles: dict[str, list[str]] | None = None,
) -> int:
    names = clean_names(participants)
    title = meeting_title(title, format_data)
    place = check_place(place)
    now = clock.now()
    with store.writing() as s:
        meeting = Meeting(
            title=title,
            werkvorm=format_data["name"],
            format_data=format_data,
            place=place,
            status="live",
            created_at=now,
            network_id=network_id,
        )
        s.add(meeting)
        s.flush()
        for seat, name in enumerate(names):
            s.add(Participant(meeting_id=meeting.id, name=name, seat=seat, roles=(roles or {}).get(name, [])))
        return int(meeting.id)  # type: ignore[arg-type]


def add_participant(store: Store, meeting_id: int, name: str, roles: list[str] | None = None) -> bool:
    """A latecomer joins: a Participant row after the last seat. False if already there
    (so a retried write never adds anyone twice)."""
    name = clean_names([name])[0]
    with store.writing() as s:
        rows = s.exec(select(Participant).where(Participant.meeting_id == meeting_id)).all()
        if any(p.name.casefold() == name.casefold() for p in rows):
            return False
        seat = max((p.seat for p in rows), default=-1) + 1
        s.add(Participant(meeting_id=meeting_id, name=name, seat=seat, roles=list(roles or [])))
        return True


def _info(s: Any, m: Meeting) -> MeetingInfo:
    parts = s.exec(select(Participant).where(Participant.meeting_id == m.id).order_by(Participant.seat)).all()
    # the text gate on the way out: every screen reads the meeting through here
    return MeetingInfo(
        id=m.id, title=shown(m.title), werkvorm=shown(m.werkvorm), format_data=shown_tree(m.format_data),
        status=m.status, created_at=m.created_at, started_at=m.started_at, ended_at=m.ended_at,
        place=shown(m.place), network_id=m.network_id,
        participants=[ParticipantInfo(shown(p.name), p.seat, list(p.roles or [])) for p in parts],
    )


# The largest id any store can hold (PostgreSQL's integer column; SQLite's is wider).
# Every id a person gives passes get_meeting, which says a larger one is no meeting
# instead of letting the driver fail on it.
MAX_ID = 2**31 - 1


def get_meeting(store: Store, meeting_id: int) -> MeetingInfo:
    with store.session() as s:
        m = s.get(Meeting, meeting_id) if 0 < meeting_id <= MAX_ID else None
        if m is None:
            raise InputError(_("no meeting with id {meeting_id} in this store (see: kring sessions)").format(meeting_id=meeting_id))
        return _info(s, m)


def latest_meeting(store: Store, *, live_only: bool = False) -> int:
    with store.session() as s:
        q = select(Meeting.id).order_by(col(Meeting.id).desc()).limit(1)
        if live_only:
            q = q.where(Meeting.status == "live")
        found = s.exec(q).first()
    if found is None:
        raise InputError(
            _("no live meeting in this store (start one with: kring run)")
            if live_only
            else _("no meetings in this store yet (start one with: kring run or kring demo)")
        )
    return int(found)


def next_live_meeting(store: Store, after: int) -> int | None:
    """The newest live meeting begun after meeting `after`, if any: where a note-taker
    whose meeting closed goes next."""
    with store.session() as s:
        found = s.exec(
            select(Meeting.id).where(Meeting.status == "live", col(Meeting.id) > after)
            .order_by(col(Meeting.id).desc()).limit(1)
        ).first()
    return None if found is None else int(found)


def resolve_meeting(store: Store, meeting_id: int | None, *, live_only: bool = False) -> MeetingInfo:
    info = get_meeting(store, meeting_id if meeting_id is not None else latest_meeting(store, live_only=live_only))
    if live_only and info.status != "live":
        raise InputError(_("meeting {id} is closed; open its report with: kring report {id}").format(id=info.id))
    return info


@dataclass
class MeetingSummary:
    id: int
    title: str
    werkvorm: str
    status: str
    created_at: DateTime
    started_at: DateTime | None
    ended_at: DateTime | None
    participants: int
    network_id: int | None


def list_meetings(store: Store, network_id: int | None = None) -> list[MeetingSummary]:
    with store.session() as s:
        counts = (
            select(Participant.meeting_id, func.count().label("n")).group_by(Participant.meeting_id).subquery()
        )
        q = (
            select(Meeting, counts.c.n)
            .join(counts, counts.c.meeting_id == Meeting.id, isouter=True)
            .order_by(col(Meeting.id))
        )
        if network_id is not None:
            q = q.where(Meeting.network_id == network_id)
        return [
            MeetingSummary(m.id, m.title, m.werkvorm, m.status, m.created_at, m.started_at, m.ended_at, n or 0, m.network_id)
            for m, n in s.exec(q).all()
        ]


# --- the event log --------------------------------------------------------------


def new_event(kind: str, at: DateTime, data: dict[str, Any] | None = None, origin: str = "") -> EventRow:
    return EventRow(at=at, kind=kind, data=dict(data or {}), uid=uuid.uuid4().hex, origin=origin)


def append_events(store: Store, meeting_id: int, events: list[EventRow]) -> list[int]:
    """Write events; a uid already stored is skipped, so a retry never doubles one."""
    ids: list[int] = []
    with store.writing() as s:
        known = set(
            s.exec(select(Event.uid).where(col(Event.uid).in_([e.uid for e in events]))).all()
        ) if events else set()
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise InputError(_("no meeting with id {meeting_id}").format(meeting_id=meeting_id))
        for e in events:
            if e.uid in known:
                continue
            row = Event(uid=e.uid, meeting_id=meeting_id, at=e.at, kind=e.kind, data=e.data, origin=e.origin)
            s.add(row)
            s.flush()
            ids.append(int(row.id))  # type: ignore[arg-type]
            # keep the listing columns in step with the log
            if e.kind in (EventKind.START, EventKind.RESUME, EventKind.GOTO) and meeting.started_at is None:
                meeting.started_at = e.at
            if e.kind == EventKind.CLOSE:
                meeting.status, meeting.ended_at = "closed", e.at
            s.add(meeting)
    return ids


def append_event(store: Store, meeting_id: int, kind: str, at: DateTime, data: dict[str, Any] | None = None,
                 origin: str = "") -> EventRow:
    ev = new_event(kind, at, data, origin)
    append_events(store, meeting_id, [ev])
    return ev


def load_events(store: Store, meeting_id: int, after_id: int = 0) -> list[EventRow]:
    with store.session() as s:
        rows = s.exec(
            select(Event).where(Event.meeting_id == meeting_id, col(Event.id) > after_id).order_by(col(Event.id))
        ).all()
        return [EventRow(r.at, r.kind, dict(r.data or {}), r.uid, r.id, r.origin) for r in rows]


def change_token(store: Store, meeting_id: int) -> tuple[Any, ...]:
    """A cheap fingerprint of everything a follower shows; it changes when anyone writes.

    Works the same on SQLite and PostgreSQL: newest ids of the append-only tables.
    """
    with store.session() as s:
        return tuple(
            s.exec(
                select(
                    select(func.max(Event.id)).where(Event.meeting_id == meeting_id).scalar_subquery(),
                    select(func.max(NoteRevision.id)).join(Note, Note.id == NoteRevision.note_id)
                    .where(Note.meeting_id == meeting_id).scalar_subquery(),
                    select(func.count(EvaluationReceipt.id)).where(EvaluationReceipt.meeting_id == meeting_id)
                    .scalar_subquery(),
                )
            ).one()
        )


def timeline(store: Store, meeting_id: int, clock: Clock) -> Timeline:
    info = get_meeting(store, meeting_id)
    return derive(info.plan, load_events(store, meeting_id), clock.now())
