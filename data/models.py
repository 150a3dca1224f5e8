"""The report store's tables.

One schema serves every capability (agenda, rounds, notes, evaluation, networks),
so several processes can share one store. Timestamps are stored as ISO 8601 text
with their UTC offset: portable across SQLite and PostgreSQL and never naive.
Lists and small records are JSON columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import uuid

import pendulum
from sqlalchemy import JSON, Column, Index, String, TypeDecorator, UniqueConstraint, func
from sqlmodel import Field, SQLModel


class AwareDateTime(TypeDecorator):
    """A timezone-aware moment stored as ISO 8601 text with its offset."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = pendulum.parse(value)
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: the store keeps only aware moments")
        return value.isoformat()

    def process_result_value(self, value: Any, dialect: Any) -> pendulum.DateTime | None:
        if value is None:
            return None
        return pendulum.parse(value)


def _moment(**kw: Any) -> Any:
    return Field(sa_column=Column(AwareDateTime(), **kw))


def new_uid() -> str:
    """A row's id across stores: a laptop's meeting keeps it on the central store (kring sync)."""
    return uuid.uuid4().hex


def _uid() -> Any:
    return Field(default_factory=new_uid, sa_column=Column(String(64), unique=True, index=True, nullable=False))


def _json(default: Any) -> Any:
    return Field(default_factory=lambda: type(default)(default), sa_column=Column(JSON, nullable=False))


class Network(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = _uid()
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    theme: str = ""
    goal: str = ""
    form: str = ""  # structure | process | activity (seed 000)
    kind: str = ""  # task | practice | knowledge (seed 003)
    rhythm: str = ""
    ground_rules: list = _json([])  # spelregels agreed at the kick-off
    roles: list = _json(["moderator", "notulist", "tijdbewaker"])
    evaluation_form: str = "standaard"
    anonymous_evaluation: bool = False
    round_order: str = "seating"  # seating | shuffle: the network remembers
    created_at: Optional[datetime] = _moment(nullable=True)


class Member(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("network_id", "name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = _uid()
    network_id: int = Field(foreign_key="network.id", index=True)
    name: str
    email: str = ""
    expertise: str = ""
    seat: int = 0
    created_at: Optional[datetime] = _moment(nullable=True)


class LearningQuestion(SQLModel, table=True):
    __tablename__ = "learning_question"
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = _uid()
    member_id: int = Field(foreign_key="member.id", index=True)
    text: str
    created_at: Optional[datetime] = _moment(nullable=True)


class Meeting(SQLModel, table=True):
    """One bijeenkomst. Its live state is not here but in its event log."""

    # The history's columns without the work format's copy (SQLite only: see migration 0003).
    __table_args__ = (
        Index("ix_meeting_history", "network_id", "status", "created_at", "started_at", "werkvorm", "title")
        .ddl_if(dialect="sqlite"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = _uid()
    network_id: Optional[int] = Field(default=None, foreign_key="network.id", index=True)
    title: str
    werkvorm: str  # the work format's name
    # A copy of the work format as it was when the meeting began, so editing a
    # YAML file later never changes a meeting already held.
    format_data: dict = _json({})
    place: str = ""
    status: str = Field(default="live", index=True)  # live | closed
    created_at: Optional[datetime] = _moment(nullable=False)
    started_at: Optional[datetime] = _moment(nullable=True)
    ended_at: Optional[datetime] = _moment(nullable=True)


def _newest_indexes() -> None:
    """The history's newest meetings first, read in index order and stopped at
    the rows shown (migration 0004): by the meeting's moment (started, else
    made) as stored, then id; one index for every network, one per network.
    On SQLite they also hold the columns the history shows, so it never reads
    the rows with their work-format copies (PostgreSQL keeps those apart and
    limits an index entry's size, which a long title could pass)."""
    c = Meeting.__table__.c  # type: ignore[attr-defined]
    moment = func.coalesce(c.started_at, c.created_at)
    shown = (c.status, c.werkvorm, c.title, c.started_at, c.created_at)
    Index("ix_meeting_newest", moment, c.id, c.network_id, *shown).ddl_if(dialect="sqlite")
    Index("ix_meeting_network_newest", c.network_id, moment, c.id, *shown).ddl_if(dialect="sqlite")
    Index("ix_meeting_newest", moment, c.id).ddl_if(dialect="postgresql")
    Index("ix_meeting_network_newest", c.network_id, moment, c.id).ddl_if(dialect="postgresql")


_newest_indexes()


class Participant(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("meeting_id", "name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    name: str
    seat: int = 0
    member_id: Optional[int] = Field(default=None, foreign_key="member.id")
    roles: list = _json([])  # moderator, notulist, tijdbewaker, ...


class Event(SQLModel, table=True):
    """Append-only live log: position, timers and speaking time derive from it."""

    id: Optional[int] = Field(default=None, primary_key=True)
    # Written by the client that made it, so a retried write can never land twice.
    uid: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    at: Optional[datetime] = _moment(nullable=False)
    kind: str
    data: dict = _json({})
    origin: str = ""  # which client wrote it (moderator, notes, evaluate)


class Note(SQLModel, table=True):
    """The current version of a note; every version is kept in note_revision."""

    # The history counts visible notes and actions per meeting from this index alone (migration 0003).
    __table_args__ = (Index("ix_note_counts", "meeting_id", "deleted", "confidential", "kind"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    kind: str = "note"  # note | decision | action | insight | question | parking | quote
    text: str = ""
    step_index: Optional[int] = None
    step_title: str = ""
    speaker: Optional[str] = None
    author: str = ""
    at: Optional[datetime] = _moment(nullable=False)  # when the note was begun
    confidential: bool = False
    owner: Optional[str] = None  # actions
    due: Optional[str] = None  # actions: ISO date
    status: str = "open"  # actions: open | done | kept | dropped
    deleted: bool = False
    revision: int = 1
    updated_at: Optional[datetime] = _moment(nullable=True)


class NoteRevision(SQLModel, table=True):
    __tablename__ = "note_revision"
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = _uid()
    note_id: int = Field(foreign_key="note.id", index=True)
    revision: int
    kind: str
    text: str
    confidential: bool
    owner: Optional[str] = None
    due: Optional[str] = None
    status: str = "open"
    deleted: bool = False
    author: str = ""
    at: Optional[datetime] = _moment(nullable=False)


class Draft(SQLModel, table=True):
    """The note being typed, saved as it is typed so a dead terminal loses nothing."""

    __table_args__ = (UniqueConstraint("meeting_id", "author"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    author: str
    text: str = ""
    data: dict = _json({})  # kind, step and speaker captured when the draft began
    updated_at: Optional[datetime] = _moment(nullable=True)


class EvaluationResponse(SQLModel, table=True):
    """One filled-in form. `participant` is empty when the network evaluates anonymously."""

    __tablename__ = "evaluation_response"
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = _uid()
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    participant: Optional[str] = None
    form: str = "standaard"
    case_bringer: bool = False
    answers: dict = _json({})
    at: Optional[datetime] = _moment(nullable=True)


class EvaluationReceipt(SQLModel, table=True):
    """Who has answered, kept apart from what they answered (anonymity, no double votes)."""

    __tablename__ = "evaluation_receipt"
    __table_args__ = (UniqueConstraint("meeting_id", "participant"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    participant: str
    at: Optional[datetime] = _moment(nullable=True)


class PlannedMeeting(SQLModel, table=True):
    """A meeting of a network's series on the calendar, before it is held.

    `uid` stays the same however often the calendar is exported, so a calendar
    program updates the event rather than adding it twice. `meeting_id` is set
    when `kring run --network` starts it."""

    __tablename__ = "planned_meeting"
    id: Optional[int] = Field(default=None, primary_key=True)
    uid: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    network_id: int = Field(foreign_key="network.id", index=True)
    starts_at: Optional[datetime] = _moment(nullable=False)
    minutes: int = 120
    place: str = ""
    werkvorm: str = ""  # the work format to run; empty: the network's default
    meeting_id: Optional[int] = Field(default=None, foreign_key="meeting.id")
    created_at: Optional[datetime] = _moment(nullable=True)


class WebLink(SQLModel, table=True):
    """A meeting's link for participants' browsers (`kring serve`): an unguessable
    token, valid while the meeting is live, and the address it was last served at."""

    __tablename__ = "web_link"
    id: Optional[int] = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    token: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    url: str = ""  # where it is served now; empty once the server has stopped
    created_at: Optional[datetime] = _moment(nullable=False)
    served_at: Optional[datetime] = _moment(nullable=True)  # the server's last start
