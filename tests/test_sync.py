"""kring sync: a laptop's meetings join the central store, and a network comes down.

The laptop is always a SQLite file; the central store is `db_url` (SQLite, or a
fresh PostgreSQL database when KRING_TEST_PG is set), so the SQLite pass covers
sync as well.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import MetaData, select

from kring.data.meetings import append_event, create_meeting, load_events
from kring.data.store import Store
from tests.note_helpers import make_note

pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index")  # reflected below

SYNCED = ("network", "member", "planned_meeting", "learning_question", "meeting", "participant", "event", "note", "note_revision",
          "evaluation_response", "evaluation_receipt")
# what identifies a row across stores, per table (ids are each store's own)
KEYS = {"participant": ("name",), "evaluation_receipt": ("participant",)}


def rows_by_identity(store: Store) -> dict[str, list[tuple]]:
    """Every synced row as (its identity, its values less the store's own ids), sorted."""
    meta = MetaData()
    meta.reflect(store.engine, only=list(SYNCED))
    out = {}
    with store.engine.connect() as conn:
        for name in SYNCED:
            t = meta.tables[name]
            rows = []
            for r in conn.execute(select(t)):
                d = {k: v for k, v in r._mapping.items()
                     if k not in ("id", "meeting_id", "network_id", "member_id", "note_id", "owner_role")}
                rows.append(tuple(sorted((k, repr(v)) for k, v in d.items())))
            out[name] = sorted(rows)
    return out


@pytest.fixture
def laptop(tmp_path):
    s = Store(f"sqlite:///{tmp_path / 'laptop' / 'kring.db'}")
    yield s
    s.close()


@pytest.fixture
def central(db_url):
    s = Store(db_url)
    yield s
    s.close()


def hold_meetings(store: Store, clock, standaard, count: int = 3) -> list[int]:
    """A network with members and `count` meetings, and one meeting outside it: events,
    notes edited once, an action, evaluation answers; all but the last one closed."""
    from kring.data.evaluation import submit
    from kring.data.network_meetings import start_meeting
    from kring.data.networks import add_member, create_network
    from kring.data.notes import add_note, edit_note

    create_network(store, "Wijkteams Noord", clock, theme="Samenwerking")
    for name in ("Anouk", "Bram", "Fatima"):
        add_member(store, "Wijkteams Noord", name, clock, questions=[f"Hoe werkt {name} samen?"])
    ids = [start_meeting(store, "Wijkteams Noord", standaard, clock) for _ in range(count)]
    from kring.data.planning import plan_meeting

    plan_meeting(store, "Wijkteams Noord", "2027-01-14 19:00", clock, place="Buurthuis")
    ids.append(create_meeting(store, standaard, ["Joris", "Lotte"], clock, title="Los overleg"))
    for n, mid in enumerate(ids):
        append_event(store, mid, "start", clock.now())
        for i in range(3):
            note = make_note(clock, text=f"notitie {n}.{i}")
            add_note(store, mid, note)
            if i == 0:
                edit_note(store, note.uid, author="Sanne", at=clock.now(), text=f"notitie {n}.{i}, bijgewerkt")
        add_note(store, mid, make_note(clock, kind="action", text=f"actie {n}", owner="Bram"))
        append_event(store, mid, "goto", clock.now(), {"index": 1})
        if mid != ids[-2]:
            first = "Joris" if mid == ids[-1] else "Anouk"
            submit(store, mid, first, {"roti": 4}, clock)
            append_event(store, mid, "close", clock.now())
    return ids


def test_a_laptops_meetings_reach_the_central_store_whole(laptop, central, clock, standaard):
    from kring.data.sync import push

    hold_meetings(laptop, clock, standaard)
    report = push(laptop, central)
    assert report.meetings == 4 and not report.conflicts
    assert rows_by_identity(central) == rows_by_identity(laptop)
    assert report.added["meeting"] == 4 and report.added["network"] == 1 and report.added["member"] == 3


def test_syncing_twice_changes_nothing_the_second_time(laptop, central, clock, standaard):
    from kring.data.sync import push

    hold_meetings(laptop, clock, standaard)
    push(laptop, central)
    first = rows_by_identity(central)
    again = push(laptop, central)
    assert not again.changed and again.meetings == 4
    assert rows_by_identity(central) == first


def test_later_work_on_the_laptop_follows_on_the_next_sync(laptop, central, clock, standaard):
    from kring.data.notes import add_note
    from kring.data.sync import push

    ids = hold_meetings(laptop, clock, standaard)
    push(laptop, central)
    live = ids[-2]
    add_note(laptop, live, make_note(clock, text="na de pauze"))
    append_event(laptop, live, "close", clock.now())
    report = push(laptop, central)
    assert report.added == {"note": 1, "note_revision": 1, "event": 1}
    assert rows_by_identity(central) == rows_by_identity(laptop)
    with central.session() as s:
        from kring.data.models import Meeting

        assert {m.status for m in s.exec(select(Meeting)).scalars()} == {"closed"}


class Cut(Exception):
    pass


def test_a_sync_cut_off_half_way_leaves_whole_meetings_and_the_next_one_finishes(laptop, central, clock,
                                                                                    standaard):
    from kring.data.sync import push

    ids = hold_meetings(laptop, clock, standaard)
    seen = []

    def step(where: str) -> None:
        seen.append(where)
        if len(seen) == 4:  # the second meeting: its events are in, its notes are being sent
            raise Cut()

    with pytest.raises(Cut):
        push(laptop, central, step=step)
    partial = rows_by_identity(central)
    assert len(partial["meeting"]) == 1  # the first meeting, whole; nothing of the second
    assert len(partial["event"]) == len(load_events(laptop, ids[0]))
    push(laptop, central)
    assert rows_by_identity(central) == rows_by_identity(laptop)


KILLER = textwrap.dedent("""
    import os, signal, sys
    from kring.data.store import Store
    from kring.data import sync

    seen = []
    def step(where):
        seen.append(where)
        if len(seen) == int(sys.argv[3]):
            os.kill(os.getpid(), signal.SIGKILL)  # mid-transaction, as a power cut would

    sync.push(Store(sys.argv[1]), Store(sys.argv[2]), step=step)
""")


@pytest.mark.parametrize("at_step", [1, 5])
def test_a_sync_killed_half_way_loses_nothing_and_doubles_nothing(laptop, central, clock, standaard, at_step):
    from kring.data.sync import push

    hold_meetings(laptop, clock, standaard)
    done = subprocess.run([sys.executable, "-c", KILLER, laptop.url, central.url, str(at_step)], timeout=120,
                          capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert len(rows_by_identity(central)["meeting"]) == (at_step - 1) // 2
    push(laptop, central)
    assert rows_by_identity(central) == rows_by_identity(laptop)
    assert not push(laptop, central).changed


def test_a_note_edited_in_both_places_keeps_both_versions_and_says_so(laptop, central, clock, standaard):
    from kring.data.models import Meeting
    from kring.data.notes import edit_note, list_notes, note_history
    from kring.data.sync import push

    ids = hold_meetings(laptop, clock, standaard)
    push(laptop, central)
    with central.session() as s:
        uid = laptop_uid = s.exec(select(Meeting.uid).where(Meeting.title == "Los overleg")).scalars().one()
    with laptop.session() as s:
        assert s.exec(select(Meeting.uid).where(Meeting.id == ids[-1])).scalars().one() == laptop_uid
    target = list_notes(laptop, ids[-1])[1]
    clock.advance(60)
    edit_note(central, target.uid, author="Coördinator", at=clock.now(), text="centraal verbeterd")
    clock.advance(60)
    edit_note(laptop, target.uid, author="Sanne", at=clock.now(), text="op de laptop verbeterd")

    report = push(laptop, central)
    assert report.conflicts == ["op de laptop verbeterd"]
    texts = [r.text for r in note_history(central, target.uid)]
    assert texts == ["notitie 3.1", "centraal verbeterd", "op de laptop verbeterd"]
    # the laptop now holds the same history; the next sync finds nothing to settle
    assert [r.text for r in note_history(laptop, target.uid)] == texts
    assert not push(laptop, central).changed
    assert uid


def test_a_pulled_network_keeps_its_id_and_brings_its_open_actions(laptop, central, clock, standaard, tmp_path):
    from kring.data.actions import open_actions
    from kring.data.models import Network
    from kring.data.network_meetings import start_meeting
    from kring.data.networks import get_network, network_id_by_name
    from kring.data.sync import pull, push

    hold_meetings(central, clock, standaard, count=2)
    report = pull(central, laptop, "Wijkteams Noord")
    info = get_network(laptop, network_id_by_name(laptop, "Wijkteams Noord"))
    assert [m.name for m in info.members] == ["Anouk", "Bram", "Fatima"]
    assert info.members[0].questions == ["Hoe werkt Anouk samen?"]
    assert sorted(a.text for a in open_actions(laptop, info.id, include_confidential=False)) == [
        "actie 0", "actie 1"]
    from kring.data.planning import planned_meetings

    assert [p.place for p in planned_meetings(laptop, info.id)] == ["Buurthuis"]
    assert report.added["network"] == 1
    assert not pull(central, laptop, "Wijkteams Noord").changed  # pulling again changes nothing

    # a meeting held on the laptop lands in the same network on the central store
    mid = start_meeting(laptop, "Wijkteams Noord", standaard, clock)
    append_event(laptop, mid, "start", clock.now())
    report = push(laptop, central)
    assert report.added["network"] == 0 and report.added["member"] == 0 and report.added["meeting"] == 1
    with central.session() as s:
        assert len(s.exec(select(Network)).all()) == 1
    assert len(rows_by_identity(central)["meeting"]) == 4


def test_a_network_made_in_both_places_is_matched_by_name_once_then_by_id(laptop, central, clock, standaard):
    from kring.data.models import Network
    from kring.data.networks import create_network
    from kring.data.sync import push

    create_network(central, "Wijkteams Noord", clock)
    hold_meetings(laptop, clock, standaard, count=1)
    push(laptop, central)
    with central.session() as s, laptop.session() as t:
        assert s.exec(select(Network.uid)).scalars().all() == t.exec(select(Network.uid)).scalars().all()


def run_cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kring.tui.cli", *argv], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "KRING_DB": ""})


def test_the_command_line_pushes_and_pulls(laptop, central, clock, standaard, tmp_path):
    hold_meetings(laptop, clock, standaard)
    done = run_cli("--lang", "en", "--db", laptop.url, "sync", "--to", central.url)
    assert done.returncode == 0, done.stderr
    assert "4 meeting(s) pushed to" in done.stdout and "4 meetings" in done.stdout
    again = run_cli("--lang", "en", "--db", laptop.url, "sync", "--to", central.url)
    assert again.returncode == 0 and again.stdout.rstrip().endswith("nothing new."), again.stdout
    other = tmp_path / "other.db"
    pulled = run_cli("--lang", "en", "--db", str(other), "sync", "--from", central.url, "Wijkteams Noord")
    assert pulled.returncode == 0 and "Network 'Wijkteams Noord' pulled" in pulled.stdout, pulled.stderr
    shown = run_cli("--lang", "en", "--db", str(other), "network", "show", "Wijkteams Noord")
    assert "actie 0" in shown.stdout and "Anouk" in shown.stdout


@pytest.mark.parametrize("argv, says", [
    (("sync",), "one of the arguments --to --from is required"),
    (("sync", "--from", "x.db"), "name the network to pull"),
    (("sync", "--to", "x.db", "Noord"), "name a network only with --from"),
    (("sync", "--from", "{central}", "Nergens"), "unknown network 'Nergens'"),
])
def test_bad_sync_commands_say_one_line_and_exit_2(laptop, central, argv, says):
    done = run_cli("--lang", "en", "--db", laptop.url, *(a.format(central=central.url) for a in argv))
    assert done.returncode == 2 and says in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
