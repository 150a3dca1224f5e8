"""The history listing grows with the store, never faster: the same few
statements whatever the number of meetings, counts that agree with a count
meeting by meeting, indexes that spare the wide rows, and models that match
the migrated schema (so a new index is in both)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from kring.data.history import SHOWN_MAX, WITHOUT_NETWORK, _counts_query, _listing, _roti_sql, list_history
from kring.data.meetings import append_event, create_meeting
from kring.data.models import EvaluationResponse, Meeting, Note, Participant
from kring.data.trends import numeric
from tests.reportdata import add_network, add_note, add_response, held_meeting


def add_meetings(store, clock, fmt, networks: list[int | None], count: int) -> None:
    """`count` meetings spread over `networks`: notes of every kind (one confidential,
    one deleted), answers with and without a numeric ROTI, every fourth one live."""
    for i in range(count):
        mid = create_meeting(store, fmt, ["Anouk", "Bram", "Fatima"][: 1 + i % 3], clock, title=f"Bijeenkomst {i}",
                             network_id=networks[i % len(networks)])
        append_event(store, mid, "start", clock.now())
        for k in range(i % 4):
            add_note(store, mid, f"Notitie {k}", at=clock.now(), kind=("note", "action", "decision")[k % 3],
                     confidential=k == 2, deleted=k == 3)
        if i % 3:
            add_note(store, mid, "Nog een actie", at=clock.now(), kind="action")
        for k, roti in enumerate([[], [1], ["veel"], [True, None], [4, "veel", None, 2.5]][i % 5]):
            add_response(store, mid, f"Deelnemer {k}", {"roti": roti} if roti is not None else {"tip": "x"},
                         at=clock.now())
        if i % 4:
            append_event(store, mid, "close", clock.now())
        clock.advance(minutes=60 * 24 * (7 - i % 3))  # not quite in the order the meetings were made


def counted_one_by_one(store) -> dict[int, tuple]:
    """What the listing must say of each meeting, counted the slow way."""
    out = {}
    with store.session() as s:
        for m in s.exec(select(Meeting)).scalars():
            notes = [n for n in s.exec(select(Note).where(Note.meeting_id == m.id)).scalars()
                     if not n.deleted and not n.confidential]
            answers = [r.answers for r in s.exec(
                select(EvaluationResponse).where(EvaluationResponse.meeting_id == m.id)).scalars()]
            roti = [v for v in (numeric(a.get("roti")) for a in answers) if v is not None]
            people = s.exec(select(Participant).where(Participant.meeting_id == m.id)).scalars().all()
            out[m.id] = (m.title, m.status, m.network_id, len(people), len(notes),
                         sum(n.kind == "action" for n in notes), len(answers),
                         sum(roti) / len(roti) if roti and m.status == "closed" else None)
    return out


def listed(groups) -> dict[int, tuple]:
    return {m.id: (m.title, m.status, m.network_id, m.participants, m.notes, m.actions, m.responses, m.roti)
            for g in groups for m in g.meetings}


def statements(store, fn) -> list[str]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        fn()
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return seen


def test_the_counts_agree_with_counting_meeting_by_meeting(store, clock, standaard):
    wijk = add_network(store, "Wijkzorg", clock=clock)
    jeugd = add_network(store, "Jeugd", clock=clock)
    add_network(store, "Leeg", clock=clock)  # a network without meetings is listed, empty
    add_meetings(store, clock, standaard, [wijk, jeugd, None], 15)
    expected = counted_one_by_one(store)
    groups = list_history(store)
    assert [g.name for g in groups] == ["Jeugd", "Leeg", "Wijkzorg", None]
    assert listed(groups) == expected
    assert {v[7] for v in expected.values()} == {None, 1.0, 3.25}  # ROTI: numbers only, closed meetings only
    assert any(v[1] == "live" and v[6] for v in expected.values())
    for g in groups:  # newest first, the same order one network at a time
        assert [m.id for m in g.meetings] == [m.id for m in sorted(g.meetings, key=lambda m: m.date, reverse=True)]
        one = list_history(store, g.id)
        assert [(x.id, [m.id for m in x.meetings]) for x in one] == [(g.id, [m.id for m in g.meetings])]
        assert listed(one) == {mid: v for mid, v in expected.items() if (v[2] or WITHOUT_NETWORK) == g.id}


def test_the_listing_is_the_same_statements_at_any_size(store, clock, standaard):
    wijk = add_network(store, "Wijkzorg", clock=clock)
    add_meetings(store, clock, standaard, [wijk, None], 3)
    small = statements(store, lambda: list_history(store))
    small_one = statements(store, lambda: list_history(store, wijk))
    add_meetings(store, clock, standaard, [wijk, None], 24)
    large = statements(store, lambda: list_history(store))
    assert small == large and len(large) == 2  # the networks, and the meetings with their counts
    assert statements(store, lambda: list_history(store, wijk)) == small_one and len(small_one) == 2
    assert len(statements(store, lambda: list_history(store, WITHOUT_NETWORK))) == 2


def sqlite_plan(store, query) -> list[str]:
    sql = query.compile(store.engine, compile_kwargs={"literal_binds": True})
    with store.engine.connect() as conn:
        return [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]


@pytest.mark.parametrize("limit", [SHOWN_MAX, None])
def test_the_listing_reads_narrow_indexes_not_the_wide_rows(store, clock, standaard, limit):
    """On SQLite a meeting's row holds its copy of the work format, and a note's
    row its text: the listing reads neither, only indexes (of migrations 0003
    and 0004), and the meetings come newest first from an index, never sorted."""
    if not store.is_sqlite:
        pytest.skip("SQLite's query plan")
    held_meeting(store, clock, standaard, title="Eén", roti=[3, 4])
    wijk = add_network(store, "Wijkzorg", clock=clock)
    for network, index in [(None, "ix_meeting_newest"), (wijk, "ix_meeting_network_newest"),
                           (WITHOUT_NETWORK, "ix_meeting_network_newest")]:
        plan = sqlite_plan(store, _listing(network, _roti_sql("sqlite"), limit))
        assert any(f"meeting USING COVERING INDEX {index}" in step for step in plan), plan
        assert any("note USING COVERING INDEX ix_note_counts" in step for step in plan), plan
        assert any("participant USING COVERING INDEX" in step for step in plan), plan
        assert not any(step.startswith("SCAN meeting") and "INDEX" not in step for step in plan), plan
        assert not any("TEMP B-TREE" in step for step in plan), plan  # the order is the index's
    plan = sqlite_plan(store, _counts_query())
    assert any("meeting USING COVERING INDEX ix_meeting_network_id" in step for step in plan), plan
    assert not any(step.startswith("SCAN meeting") and "INDEX" not in step for step in plan), plan


@pytest.mark.filterwarnings("ignore:.*expression-based index")  # compared below
def test_the_models_match_the_migrated_schema(store):
    """A store is made by its migrations; the models must say the same (a new
    index in a migration is in the models too), so the two never drift apart."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    dialect = store.engine.dialect.name

    def include(obj, name, kind, reflected, _compare_to) -> bool:  # noqa: ANN001
        if kind == "table" and reflected and name.startswith("note_fts"):
            return False  # the full-text index of 0002 has no model
        if kind == "index" and reflected and name == "ix_note_text_fts":
            return False  # nor its expression index on PostgreSQL
        if kind == "table" and reflected and name == "network_share":
            return False  # row security's share table of 0008 (PostgreSQL) has no model: kring.data.share
        if kind == "column" and reflected and name == "owner_role":
            return False  # nor the meeting's owner role of 0008, which the database fills
        ddl_if = getattr(obj, "_ddl_if", None)  # an index for one dialect only
        if kind == "index" and ddl_if is not None and ddl_if.dialect not in (None, dialect):
            return False
        return True

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def _index_definitions(conn, schema: str | None = None) -> dict[str, str]:
    """The meeting table's indexes as the database says them, one spelling for both."""
    from sqlalchemy import text

    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                 "AND tbl_name = 'meeting' AND sql IS NOT NULL")).all()
    else:
        rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'meeting' "
                                 "AND schemaname = coalesce(:schema, current_schema())"), {"schema": schema}).all()
    return {name: " ".join(sql.replace(f"{schema}.", "").replace("public.", "").split()) for name, sql in rows}


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_expression_indexes_match_the_migrated_schema(store):
    """Alembic cannot compare the expression indexes of migration 0004 (it
    skips them): the database's own definitions of a store made from the models
    and of a migrated one must be the same."""
    from sqlalchemy import create_engine, text
    from sqlmodel import SQLModel

    with store.engine.connect() as conn:
        migrated = _index_definitions(conn)
    if store.is_sqlite:
        fresh_engine = create_engine("sqlite://")
        SQLModel.metadata.create_all(fresh_engine)
        with fresh_engine.connect() as conn:
            fresh = _index_definitions(conn)
    else:
        with store.engine.connect() as conn:
            conn.execute(text("CREATE SCHEMA fresh"))
            conn.execute(text("SET search_path TO fresh"))
            SQLModel.metadata.create_all(conn)
            fresh = _index_definitions(conn, "fresh")
            conn.rollback()
    assert {"ix_meeting_newest", "ix_meeting_network_newest"} <= set(migrated)
    assert "coalesce(" in migrated["ix_meeting_newest"].lower()
    assert fresh == migrated


def test_the_screens_load_is_the_same_statements_and_rows_at_any_size(store, clock, standaard):
    """What the history screen reads when it opens (the counts per network, and
    the newest meetings of every network) is the same few statements and at most
    `limit` meetings however many there are; the newest, with the counts of
    the full listing."""
    from kring.data.history import ALL, history_page, network_counts, recent_meetings

    wijk = add_network(store, "Wijkzorg", clock=clock)
    jeugd = add_network(store, "Jeugd", clock=clock)
    add_meetings(store, clock, standaard, [wijk, jeugd, None], 4)
    small = statements(store, lambda: history_page(store, limit=5))
    small_all = statements(store, lambda: history_page(store, ALL, limit=5))
    add_meetings(store, clock, standaard, [wijk, jeugd, None], 26)
    pages: list = []
    assert statements(store, lambda: pages.append(history_page(store, limit=5))) == small and len(small) == 2
    assert statements(store, lambda: pages.append(history_page(store, ALL, limit=5))) == small_all
    assert small == small_all  # no network asked for: all of them
    assert len(statements(store, lambda: history_page(store, jeugd, limit=5))) == 2
    assert len(statements(store, lambda: network_counts(store))) == 1
    assert len(statements(store, lambda: recent_meetings(store, wijk, limit=5))) == 1

    default, every = pages
    full = list_history(store)
    everything = sorted((m for g in full for m in g.meetings), key=lambda m: (m.date, m.id), reverse=True)
    assert default.network == ALL and default.meetings == everything[:5] and default.total == len(everything)
    mine = [m for m in everything if m.network_id == jeugd]
    one = history_page(store, jeugd, limit=5)
    assert one.meetings == mine[:5] and one.total == len(mine) > 5
    assert every.network == ALL and every.meetings == everything[:5] and every.total == 30
    assert [(c.name, c.meetings) for c in every.counts] == [(g.name, len(g.meetings)) for g in full]
    assert [c.meetings for c in every.counts] == [10, 11, 9]
    assert recent_meetings(store, WITHOUT_NETWORK, limit=3) == [m for m in everything if m.network_id is None][:3]


def test_the_counts_list_networks_without_meetings(store, clock, standaard):
    from kring.data.history import history_page, network_counts

    assert network_counts(store) == [] and history_page(store).meetings == []
    wijk = add_network(store, "Wijkzorg", clock=clock)
    leeg = add_network(store, "Leeg", clock=clock)
    add_meetings(store, clock, standaard, [wijk], 2)
    assert [(c.id, c.name, c.meetings) for c in network_counts(store)] == [(leeg, "Leeg", 0), (wijk, "Wijkzorg", 2)]
    assert history_page(store, leeg).meetings == []
