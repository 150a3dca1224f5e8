"""The history of the store: meetings per network, and search across their notes.

Confidential notes are never searched, counted or shown here; deleted notes
neither. Everything comes back as plain data for a thread worker to hand to the
screen. The listing is one statement that counts in the database, one pass
over each table, so it grows with the store and no faster.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pendulum import DateTime
from sqlalchemy import String, case, false, func, literal_column, null, text, type_coerce
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from kring.data.models import EvaluationResponse, Meeting, Network, Note, Participant
from kring.data.search import has_fts5
from kring.data.store import Store
from kring.data.trends import numeric

WITHOUT_NETWORK = 0  # the "network" of meetings that belong to none


@dataclass(slots=True)
class HistoryMeeting:
    id: int
    title: str
    werkvorm: str
    status: str
    date: datetime  # aware; the started moment, else when it was made
    network_id: int | None
    participants: int = 0
    notes: int = 0  # not confidential, not deleted
    actions: int = 0
    responses: int = 0
    roti: float | None = None  # closed meetings only


@dataclass
class NetworkHistory:
    id: int  # WITHOUT_NETWORK for meetings that belong to none
    name: str | None
    theme: str = ""
    meetings: list[HistoryMeeting] = field(default_factory=list)


def _network_filter(q: Any, network: int | None) -> Any:
    if network is None:
        return q
    if network == WITHOUT_NETWORK:
        return q.where(col(Meeting.network_id).is_(None))
    return q.where(Meeting.network_id == network)


def _roti_sql(dialect: str) -> str | None:
    """One response's ROTI as the database reads it: the number, else NULL.
    Only SQLite and PostgreSQL can tell numbers from other JSON values there."""
    if dialect == "sqlite":
        return ("CASE WHEN json_type(evaluation_response.answers, '$.roti') IN ('integer', 'real') "
                "THEN json_extract(evaluation_response.answers, '$.roti') END")
    if dialect == "postgresql":
        return ("CASE WHEN json_typeof(evaluation_response.answers -> 'roti') = 'number' "
                "THEN (evaluation_response.answers ->> 'roti')::float END")
    return None


def _roti_per_meeting(s: Any, store: Store, network: int | None) -> dict[int, float]:
    """Mean ROTI of each closed meeting (answers stay in the room until the close).

    Averaged in the database where it can tell numbers from other JSON values
    (SQLite, PostgreSQL), so a long history does not load every answer."""
    closed = _network_filter(
        select(EvaluationResponse.meeting_id).join(Meeting, Meeting.id == EvaluationResponse.meeting_id)
        .where(Meeting.status == "closed"), network)
    value = _roti_sql(store.engine.dialect.name)
    if value is not None:
        q = closed.add_columns(func.avg(literal_column(value))).group_by(EvaluationResponse.meeting_id)
        return {mid: float(mean) for mid, mean in s.execute(q).all() if mean is not None}
    sums: dict[int, float] = {}
    counts: dict[int, int] = {}
    for mid, answers in s.execute(closed.add_columns(EvaluationResponse.answers)).all():
        value = numeric((answers or {}).get("roti"))
        if value is not None:
            sums[mid] = sums.get(mid, 0.0) + value
            counts[mid] = counts.get(mid, 0) + 1
    return {mid: sums[mid] / counts[mid] for mid in sums}


def _listing(network: int | None, roti: str | None) -> Any:
    """Every meeting with its counts, in one statement and one pass over each
    table: participants, visible notes and actions, responses and (closed
    meetings only) the mean ROTI, each aggregated once per table and joined to
    the meetings. The meeting columns come from a covering index, so the
    listing never reads the meetings' copies of their work formats."""
    m = Meeting.__table__.c
    mine = _network_filter(sa_select(m.id), network) if network is not None else None

    def per_meeting(meeting_id: Any, *columns: Any, where: tuple[Any, ...] = ()) -> Any:
        q = sa_select(meeting_id.label("meeting_id"), *columns).where(*where).group_by(meeting_id)
        if mine is not None:
            q = q.where(meeting_id.in_(mine))
        return q.subquery()

    t = Participant.__table__.c
    people = per_meeting(t.meeting_id, func.count().label("n"))
    t = Note.__table__.c
    notes = per_meeting(t.meeting_id, func.count().label("n"),
                        func.sum(case((t.kind == "action", 1), else_=0)).label("actions"),
                        where=(t.deleted == false(), t.confidential == false()))
    t = EvaluationResponse.__table__.c
    answers = per_meeting(t.meeting_id, func.count().label("n"),
                          *([func.avg(literal_column(roti)).label("roti")] if roti else []))
    q = (
        sa_select(m.id, m.title, m.werkvorm, m.status,
                  type_coerce(func.coalesce(m.started_at, m.created_at), String),  # as stored: parsed below
                  m.network_id, people.c.n, notes.c.n, notes.c.actions, answers.c.n,
                  case((m.status == "closed", answers.c.roti)) if roti else null())
        .select_from(Meeting.__table__
                     .outerjoin(people, people.c.meeting_id == m.id)
                     .outerjoin(notes, notes.c.meeting_id == m.id)
                     .outerjoin(answers, answers.c.meeting_id == m.id))
    )
    return _network_filter(q, network)


def list_history(store: Store, network: int | None = None) -> list[NetworkHistory]:
    """Every meeting, grouped per network (networks by name, meetings without a
    network last), newest meeting first. `network` narrows to one group.

    Two statements however many meetings there are (the networks, and the
    meetings with their counts; a third for the ROTI where the database cannot
    average JSON), read as plain rows without the ORM. Moments stay stdlib
    datetimes, parsed from the stored text: the screen formats them."""
    roti_sql = _roti_sql(store.engine.dialect.name)
    parse = datetime.fromisoformat
    with store.session() as s:
        conn = s.connection()
        roti = _roti_per_meeting(s, store, network) if roti_sql is None else None
        nq = select(Network.id, Network.name, Network.theme)
        if network is not None:
            nq = nq.where(Network.id == network)
        networks = {nid: NetworkHistory(nid, name, theme or "") for nid, name, theme in conn.execute(nq).all()}
        # a thousand rows at a time: they never pile up beside the meetings made of them
        for rows in conn.execute(_listing(network, roti_sql)).partitions(1000):
            for mid, title, werkvorm, status, when, nid, people, notes, actions, responses, mean in rows:
                key = nid if nid is not None else WITHOUT_NETWORK
                group = networks.get(key)
                if group is None:
                    group = networks[key] = NetworkHistory(key, None)
                if roti is not None:
                    mean = roti.get(mid)
                group.meetings.append(HistoryMeeting(
                    mid, title, werkvorm, status, parse(when) if when else None, nid,  # type: ignore[arg-type]
                    people or 0, notes or 0, actions or 0, responses or 0, None if mean is None else float(mean),
                ))
    for group in networks.values():
        # the rows come nearly in date order (the index's, or the order they were made):
        # the sort finds those runs and stays close to linear
        group.meetings.sort(key=_newest_first, reverse=True)
    return sorted(networks.values(), key=lambda g: (g.id == WITHOUT_NETWORK, (g.name or "").casefold(), g.id))


def _newest_first(m: HistoryMeeting) -> tuple[float, int]:
    return (m.date.timestamp(), m.id)


@dataclass
class NoteHit:
    note_id: int
    meeting_id: int
    meeting_title: str
    date: DateTime
    network_id: int | None
    kind: str
    text: str
    step_title: str
    speaker: str | None
    at: DateTime


def fold(value: str) -> str:
    """Lower case without diacritics: 'coordinatie' finds 'Coördinatie'."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms_of(query: str) -> list[str]:
    """The words of a query, folded; no operator of any search engine survives."""
    return list(dict.fromkeys(re.findall(r"[^\W_]+", fold(query))))[:12]


def _like(term: str) -> str:
    """A LIKE pattern that finds every text the folded `term` may stand for: a
    letter that may carry a diacritic (or any non-ASCII one) matches any single
    character, so 'coordinatie' also narrows to 'Coördinatie'."""
    loose = "".join("_" if c in "aeiouycn" or not c.isascii() else c for c in term)
    return "%" + re.sub(r"([\\%])", r"\\\1", loose) + "%"


def search_notes(store: Store, query: str, network: int | None = None, limit: int = 200) -> list[NoteHit]:
    """Notes that hold every word of `query` (case and diacritics ignored),
    newest meeting first. Confidential and deleted notes are never searched.

    The database narrows the candidates: the full-text index where the store
    has one (it finds words by their beginning), else a loose LIKE; every word
    is then checked here on the folded text."""
    terms = terms_of(query)
    if not terms:
        return []
    q = (
        select(Note.id, Note.meeting_id, Meeting.title, Meeting.started_at, Meeting.created_at, Meeting.network_id,
               Note.kind, Note.text, Note.step_title, Note.speaker, Note.at)
        .join(Meeting, Meeting.id == Note.meeting_id)
        .where(Note.deleted == False, Note.confidential == False)  # noqa: E712
        .order_by(col(Meeting.id).desc(), col(Note.at), col(Note.id))
    )
    q = _network_filter(q, network)
    params: dict[str, Any] = {}
    if has_fts5(store):
        params["fts_query"] = " ".join('"' + t + '"*' for t in terms)
        q = q.where(text("note.id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH :fts_query)"))
    else:
        for term in terms:
            q = q.where(col(Note.text).ilike(_like(term), escape="\\"))
    hits: list[NoteHit] = []
    with store.session() as s:
        for row in s.exec(q.execution_options(yield_per=500), params=params):
            nid, mid, title, started, created, net, kind, body, step, speaker, at = row
            folded = fold(body or "")
            if all(t in folded for t in terms):
                hits.append(NoteHit(nid, mid, title, started or created, net, kind, body or "", step or "", speaker, at))
                if len(hits) >= limit:
                    break
    return hits


def snippet(text: str, terms: list[str], width: int = 60) -> str:
    """One line of `text` around the first matching term, at most `width` long."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    low = fold(flat) if len(fold(flat)) == len(flat) else flat.casefold()
    found = [low.find(t) for t in terms if low.find(t) >= 0]
    at = min(found) if found else 0
    start = max(0, min(at - width // 3, len(flat) - width + 1))
    piece = flat[start:start + width - 1]
    if start > 0:
        piece = "…" + piece[1:]
    return piece + ("…" if start + width - 1 < len(flat) else "")
