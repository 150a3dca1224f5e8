"""Migrations: a store made by an earlier kring opens in this one without loss; a store
made by a newer kring is refused with a clear message.

The old store is built the way an old kring built it: Alembic up to revision 0001
only, then filled through the tables as they were then (reflected from the
database, not from today's models). Opening it with `Store` upgrades it to the
newest revision; every row of every table must still be there, unchanged, and
the data functions must read it.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from sqlalchemy import MetaData, create_engine, insert, select, text

from kring.data import schema
from kring.data.store import Store, StoreError
from tests.crashdriver import kring_env, say
from tests.ptyterm import KRING

T0 = "2026-10-20T19:00:00+02:00"


def at(minutes: int) -> str:
    import pendulum

    return pendulum.parse(T0).add(minutes=minutes).isoformat()


def fill_old_store(engine) -> dict[str, int]:  # noqa: ANN001
    """A network, two meetings with events, notes (edited, deleted, confidential), a draft
    and evaluations, written into the tables of revision 0001."""
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    standaard = {"name": "standaard", "title": "Standaardbijeenkomst", "source": "test",
                 "steps": [{"title": "Inchecken", "minutes": 10, "mode": "round"},
                           {"title": "Casus", "minutes": 30, "mode": "case"}]}
    with engine.begin() as conn:
        net = conn.execute(insert(t["network"]).values(
            name="Wijkzorg Noord", theme="Samenwerken in de wijk", goal="", form="process", kind="practice",
            rhythm="maandelijks", ground_rules=["Wat hier gezegd wordt, blijft hier"],
            roles=["moderator", "notulist"], evaluation_form="standaard", anonymous_evaluation=False,
            round_order="seating", created_at=at(-60 * 24 * 30))).inserted_primary_key[0]
        member = conn.execute(insert(t["member"]).values(
            network_id=net, name="Fatima El Amrani", email="fatima@example.org", expertise="jeugdzorg", seat=0,
            created_at=at(-60 * 24 * 30))).inserted_primary_key[0]
        conn.execute(insert(t["learning_question"]).values(member_id=member, text="Hoe betrek ik ouders eerder?",
                                                           created_at=at(-60 * 24 * 30)))
        ids = {}
        for n, status in ((1, "closed"), (2, "live")):
            mid = conn.execute(insert(t["meeting"]).values(
                network_id=net, title=f"Bijeenkomst {n}", werkvorm="standaard", format_data=standaard,
                place="Buurthuis", status=status, created_at=at(n), started_at=at(n + 1),
                ended_at=at(n + 100) if status == "closed" else None)).inserted_primary_key[0]
            ids[f"meeting{n}"] = mid
            for seat, name in enumerate(["Anouk", "Bram", "Fatima El Amrani", "Jörg Ünal"]):
                conn.execute(insert(t["participant"]).values(meeting_id=mid, name=name, seat=seat, roles=[]))
            for i, (kind, data) in enumerate([("start", {}), ("speaker", {"name": "Anouk"}),
                                              ("goto", {"step": 1}), ("adjust", {"step": 1, "seconds": 300})]):
                conn.execute(insert(t["event"]).values(uid=f"ev-{n}-{i}", meeting_id=mid, at=at(n + 2 + i),
                                                      kind=kind, data=data, origin="moderator"))
            for i, (kind, body, confidential, deleted) in enumerate([
                ("decision", "We nodigen de wijkagent uit voor coördinatie", False, False),
                ("action", "Sociale kaart rondsturen", False, False),
                ("note", "Casus over een gezin met schulden 💶", True, False),
                ("insight", "Eerst vragen, dan adviseren", False, True),
            ]):
                nid = conn.execute(insert(t["note"]).values(
                    uid=f"note-{n}-{i}", meeting_id=mid, kind=kind, text=body, step_index=i % 2,
                    step_title="Casus", speaker="Anouk", author="Sanne", at=at(n + 10 + i), confidential=confidential,
                    owner="Bram" if kind == "action" else None, due="2026-11-04" if kind == "action" else None,
                    status="open", deleted=deleted, revision=2 if deleted else 1,
                    updated_at=at(n + 20))).inserted_primary_key[0]
                for rev in range(1, (3 if deleted else 2)):
                    conn.execute(insert(t["note_revision"]).values(
                        note_id=nid, revision=rev, kind=kind, text=body, confidential=confidential,
                        owner=None, due=None, status="open", deleted=deleted and rev == 2, author="Sanne",
                        at=at(n + 10 + i + rev)))
            conn.execute(insert(t["draft"]).values(meeting_id=mid, author="Sanne#notulist", text="half getyp",
                                                   data={"begun": {"uid": "x"}}, updated_at=at(n + 30)))
            for name, answers in (("Anouk", {"roti": 3, "top": "Fijne sfeer"}), ("Bram", {"roti": 4})):
                conn.execute(insert(t["evaluation_response"]).values(
                    meeting_id=mid, participant=name, form="standaard", case_bringer=False, answers=answers,
                    at=at(n + 90)))
                conn.execute(insert(t["evaluation_receipt"]).values(meeting_id=mid, participant=name, at=at(n + 90)))
    ids["network"] = net
    return ids


def every_row(engine) -> dict[str, list[dict]]:  # noqa: ANN001
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            if name == "alembic_version" or name.startswith("note_fts"):
                continue
            out[name] = sorted((dict(r._mapping) for r in conn.execute(select(table))), key=repr)
    return out


def without_new_ids(rows: list[dict], old: list[dict], *drop: str) -> list[dict]:
    """`rows` with only the columns `old` had (less `drop`): what a later migration added is left out."""
    keep = set(old[0]) - set(drop) if old else set()
    return sorted(({k: v for k, v in r.items() if k in keep} for r in rows), key=repr)


def test_a_store_from_revision_0001_upgrades_to_the_newest_without_loss(db_url, request):
    engine = create_engine(db_url)
    schema.upgrade(engine, "0001")
    assert schema.current_revision(engine) == "0001"
    ids = fill_old_store(engine)
    before = every_row(engine)
    engine.dispose()

    store = Store(db_url)  # opening upgrades
    assert schema.current_revision(store.engine) == schema.HEAD
    after = every_row(store.engine)
    for name, rows in before.items():
        assert without_new_ids(after[name], rows) == rows, f"table {name} changed in the upgrade"
        uids = [r["uid"] for r in after[name] if "uid" in r]
        assert all(uids) and len(set(uids)) == len(uids), f"table {name}: uids not filled and unique (0007)"

    # and today's code reads it
    from kring.data.evaluation import progress
    from kring.data.meetings import get_meeting, load_events
    from kring.data.notes import list_notes, load_draft, note_history
    from kring.data.search import search_notes

    live = ids["meeting2"]
    info = get_meeting(store, live)
    assert info.names == ["Anouk", "Bram", "Fatima El Amrani", "Jörg Ünal"] and info.status == "live"
    assert [e.kind for e in load_events(store, live)] == ["start", "speaker", "goto", "adjust"]
    notes = list_notes(store, live, include_deleted=True)
    assert len(notes) == 4 and sum(n.deleted for n in notes) == 1
    assert len(note_history(store, "note-2-3")) == 2
    assert load_draft(store, live, "Sanne#notulist").text == "half getyp"
    assert progress(store, live)["names"] == ["Anouk", "Bram"]
    # the search added by a later revision finds the notes stored before it existed
    hits = search_notes(store, "wijkagent", ids["network"])
    assert {h.text for h in hits} == {"We nodigen de wijkagent uit voor coördinatie"}
    store.close()

    # opening again changes nothing
    again = Store(db_url)
    assert every_row(again.engine) == after
    again.close()
    rows = sum(len(r) for r in before.values())
    say(request, f"migrations: a 0001 store with {rows} rows in {len(before)} tables upgraded to {schema.HEAD} "
                 "without loss")


def test_downgrade_and_upgrade_again_keep_the_data(db_url):
    from alembic import command

    store = Store(db_url)
    engine = store.engine
    before = every_row(engine)
    command.downgrade(schema.alembic_config(engine), "0001")
    assert schema.current_revision(engine) == "0001"
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.HEAD
    after = every_row(engine)
    # the uids 0007 gives rows are random, so a downgrade cannot bring the same ones back
    assert {name: without_new_ids(rows, before[name], "uid") for name, rows in after.items()} == \
        {name: without_new_ids(rows, rows, "uid") for name, rows in before.items()}
    store.close()


@pytest.fixture
def newer_store(db_url):
    store = Store(db_url)
    with store.writing() as s:
        s.exec(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    return db_url


def test_a_store_from_a_newer_kring_is_refused_and_left_alone(newer_store, english):
    with pytest.raises(StoreError) as caught:
        Store(newer_store)
    message = str(caught.value)
    assert "newer kring" in message and "9999" in message and schema.HEAD in message and "\n" not in message
    engine = create_engine(newer_store)
    assert schema.current_revision(engine) == "9999"  # untouched
    engine.dispose()


def test_the_command_line_says_so_in_one_line(newer_store, tmp_path):
    env = {**os.environ, **kring_env(tmp_path, newer_store)}
    for args in (["sessions"], ["resume"], ["report", "--format", "json"]):
        r = subprocess.run([KRING, *args], env=env, capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        assert r.returncode == 2, (args, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "nieuwere kring" in lines[0] and lines[0].startswith("kring: "), r.stderr
