"""The history of the store: meetings per network (the search across their notes
is `kring.data.search`).

Confidential notes are never searched, counted or shown here; deleted notes
neither. Everything comes back as plain data for a thread worker to hand to the
screen. The screen's reads cost what it shows: the networks with their counts
(one aggregate statement), and the newest meetings of one network or of all,
handed over by an index in that order and counted for those rows alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, case, false, func, literal_column, null, type_coerce, union_all
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from kring.data.models import EvaluationResponse, Meeting, Network, Note, Participant
from kring.data.store import Store
from kring.data.trends import numeric

WITHOUT_NETWORK = 0  # the "network" of meetings that belong to none
SHOWN_MAX = 2000  # the meetings a screen lists at once: the newest; search or choose a network for the rest


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


def network_filter(q: Any, network: int | None) -> Any:
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


def _roti_per_meeting(s: Any, store: Store, network: int | None, ids: list[int] | None = None) -> dict[int, float]:
    """Mean ROTI of each closed meeting (answers stay in the room until the close),
    of one network's or of the meetings `ids` alone.

    Averaged in the database where it can tell numbers from other JSON values
    (SQLite, PostgreSQL), so a long history does not load every answer."""
    closed = network_filter(
        select(EvaluationResponse.meeting_id).join(Meeting, Meeting.id == EvaluationResponse.meeting_id)
        .where(Meeting.status == "closed"), network)
    if ids is not None:
        closed = closed.where(col(EvaluationResponse.meeting_id).in_(ids))
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


@dataclass(slots=True)
class NetworkCount:
    id: int  # WITHOUT_NETWORK for meetings that belong to none
    name: str | None  # None: the meetings without a network
    theme: str
    meetings: int


def _counts_query() -> Any:
    """Every network with its number of meetings (none is 0), and the number
    of meetings without a network: one statement, counted in the database from
    the narrow index on meeting.network_id."""
    m, n = Meeting.__table__.c, Network.__table__.c
    per = sa_select(m.network_id, func.count().label("n")).group_by(m.network_id).subquery()
    known = sa_select(n.id, n.name, n.theme, func.coalesce(per.c.n, 0)).select_from(
        Network.__table__.outerjoin(per, per.c.network_id == n.id))
    loose = sa_select(null(), null(), null(), func.count()).where(m.network_id.is_(None))
    return union_all(known, loose)


def network_counts(store: Store) -> list[NetworkCount]:
    """What the network chooser needs: each network's name and number of
    meetings (networks by name; meetings without a network last, when there
    are any). One statement, however many meetings there are."""
    with store.session() as s:
        rows = s.connection().execute(_counts_query()).all()
    out = [NetworkCount(nid if nid is not None else WITHOUT_NETWORK, name, theme or "", count)
           for nid, name, theme, count in rows if name is not None or count]
    return sorted(out, key=lambda c: (c.name is None, (c.name or "").casefold(), c.id))


def _moment() -> Any:
    """A meeting's moment as stored: when it started, else when it was made.
    The same expression as the indexes of migration 0004, so the database
    reads the meetings in that order from an index."""
    m = Meeting.__table__.c
    return func.coalesce(m.started_at, m.created_at)


def _listing(network: int | None, roti: str | None, limit: int | None = None) -> Any:
    """The newest `limit` meetings (every one for None) of a network, or of all,
    with their counts: read in the order of an index of migration 0004 and
    stopped at `limit`, then for those rows alone the participants, the visible
    notes and actions, the responses and (closed meetings only) the mean ROTI,
    each counted from an index on meeting_id."""
    m = Meeting.__table__.c
    moment = _moment()
    shown = network_filter(
        sa_select(m.id, m.title, m.werkvorm, m.status, type_coerce(moment, String).label("moment"), m.network_id),
        network).order_by(moment.desc(), m.id.desc())
    if limit is not None:
        shown = shown.limit(limit)
    shown = shown.cte("shown")
    p, t, r = Participant.__table__.c, Note.__table__.c, EvaluationResponse.__table__.c

    def count(table_c: Any, *where: Any) -> Any:
        return sa_select(func.count()).where(table_c.meeting_id == shown.c.id, *where).scalar_subquery()

    visible = (t.deleted == false(), t.confidential == false())
    mean = (case((shown.c.status == "closed",
                  sa_select(func.avg(literal_column(roti))).where(r.meeting_id == shown.c.id).scalar_subquery()))
            if roti else null())
    return sa_select(
        shown.c.id, shown.c.title, shown.c.werkvorm, shown.c.status, shown.c.moment, shown.c.network_id,
        count(p), count(t, *visible), count(t, *visible, t.kind == "action"), count(r), mean,
    )


def recent_meetings(store: Store, network: int | None = None, limit: int | None = SHOWN_MAX) -> list[HistoryMeeting]:
    """The newest `limit` meetings of one network (WITHOUT_NETWORK: of none), or
    of all networks, with their counts; every one for `limit` None. Newest
    first, by the moment they started (else were made).

    One statement (a second for the ROTI where the database cannot average
    JSON), whose cost is that of the rows returned: an index hands the meetings
    over newest first and the counts are made for those rows alone. Moments
    stay stdlib datetimes, parsed from the stored text: the screen formats them.
    The database orders them as stored, with their UTC offset; the rows are put
    in the order of their instants here (they differ only between moments
    written with different offsets, hours apart at most)."""
    roti_sql = _roti_sql(store.engine.dialect.name)
    parse = datetime.fromisoformat
    out: list[HistoryMeeting] = []
    with store.session() as s:
        conn = s.connection()
        # a thousand rows at a time: they never pile up beside the meetings made of them
        for rows in conn.execute(_listing(network, roti_sql, limit)).partitions(1000):
            for mid, title, werkvorm, status, when, nid, people, notes, actions, responses, mean in rows:
                out.append(HistoryMeeting(
                    mid, title, werkvorm, status, parse(when) if when else None, nid,  # type: ignore[arg-type]
                    people or 0, notes or 0, actions or 0, responses or 0, None if mean is None else float(mean),
                ))
        if roti_sql is None and out:
            roti: dict[int, float] = {}
            ids = [m.id for m in out]
            for first in range(0, len(ids), 500):
                roti.update(_roti_per_meeting(s, store, None, ids[first:first + 500]))
            for m in out:
                m.roti = roti.get(m.id)
    out.sort(key=_newest_first, reverse=True)
    return out


ALL = -1  # the screen's choice of every network at once


@dataclass
class HistoryPage:
    """What the history screen shows when it opens or is reloaded."""

    counts: list[NetworkCount]
    network: int  # the network shown: an id, WITHOUT_NETWORK or ALL
    meetings: list[HistoryMeeting]  # its newest, at most the limit asked for

    @property
    def total(self) -> int:
        """How many meetings the network shown has in all."""
        return sum(c.meetings for c in self.counts if self.network in (ALL, c.id))


def history_page(store: Store, network: int | None = None, limit: int = SHOWN_MAX) -> HistoryPage:
    """The counts per network and the newest `limit` meetings of `network`
    (ALL: of every network). Without a network that is there: every network
    (a search then looks through all of them), or the one group there is, so
    its trend shows.

    At most two statements and `limit` meetings, however long the history."""
    counts = network_counts(store)
    if network != ALL and not any(c.id == network for c in counts):
        network = counts[0].id if len(counts) == 1 else ALL
    meetings = recent_meetings(store, None if network == ALL else network, limit) if counts else []
    return HistoryPage(counts, network, meetings)


def list_history(store: Store, network: int | None = None) -> list[NetworkHistory]:
    """Every meeting, grouped per network (networks by name, meetings without a
    network last), newest meeting first. `network` narrows to one group.

    For what needs the whole history at once; a screen shows the newest
    (`network_counts` and `recent_meetings`). Two statements however many
    meetings there are: the networks with their counts, and the meetings."""
    groups = {c.id: NetworkHistory(c.id, c.name, c.theme) for c in network_counts(store)
              if network is None or c.id == network}
    for m in recent_meetings(store, network, limit=None):
        key = m.network_id if m.network_id is not None else WITHOUT_NETWORK
        group = groups.get(key)
        if group is None:  # a network made between the two statements
            group = groups[key] = NetworkHistory(key, None)
        group.meetings.append(m)
    return sorted(groups.values(), key=lambda g: (g.id == WITHOUT_NETWORK, (g.name or "").casefold(), g.id))


def _newest_first(m: HistoryMeeting) -> tuple[float, int]:
    return (m.date.timestamp(), m.id)
