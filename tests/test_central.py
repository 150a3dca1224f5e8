"""Many networks, one server: the database itself keeps each facilitator to their networks.

Against a real PostgreSQL server (KRING_TEST_PG): each test has its own
database and makes its own login roles (unique names, dropped afterwards). A
facilitator is checked by connecting as their role and reading every table
with raw SQL, not only through kring. On SQLite `share` says it needs
PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kring.data.errors import InputError, StoreError
from kring.data.store import Store
from tests.test_sync import hold_meetings, run_cli

PG = os.environ.get("KRING_TEST_PG")
needs_pg = pytest.mark.skipif(not PG, reason="needs a PostgreSQL server (KRING_TEST_PG)")


def test_share_on_sqlite_says_it_needs_postgresql(tmp_path):
    db = str(tmp_path / "kring.db")
    assert run_cli("--db", db, "network", "new", "Noord").returncode == 0
    for command in ("share", "unshare"):
        done = run_cli("--lang", "en", "--db", db, "network", command, "Noord", "--with", "anna")
        assert done.returncode == 2, done
        assert done.stderr == f"kring: network {command}: needs a PostgreSQL store (row-level security); " \
                              "this store is a SQLite file\n"


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture
def roles(db_url):
    """Two facilitators' login roles, members of the group role migration 0008 made."""
    store = Store(db_url)  # migrated by the owner (the test server's superuser)
    names = [f"kring_f{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f"CREATE ROLE {name} LOGIN IN ROLE kring_facilitator"))
    yield names
    store.close()
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f"DROP OWNED BY {name}"))  # its privileges in this database
            conn.execute(text(f"DROP ROLE {name}"))
    admin.dispose()


def as_role(db_url: str, role: str) -> str:
    return make_url(db_url).set(username=role).render_as_string(hide_password=False)


def kring_tables(engine) -> list[str]:  # noqa: ANN001
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'alembic_version' ORDER BY tablename")).scalars())


def network_of(conn, table: str) -> list:  # noqa: ANN001
    """Which network (or, outside any, which owner role) every row of `table` this
    connection sees belongs to: read with plain SQL, the way anyone with the role could."""
    via_meeting = "(SELECT coalesce(n.name, 'own:' || m.owner_role) FROM meeting m LEFT JOIN network n " \
                  "ON n.id = m.network_id WHERE m.id = {col})"
    how = {
        "network": "name",
        "network_share": "(SELECT name FROM network WHERE id = network_id)",
        "member": "(SELECT name FROM network WHERE id = network_id)",
        "planned_meeting": "(SELECT name FROM network WHERE id = network_id)",
        "learning_question": "(SELECT n.name FROM member m JOIN network n ON n.id = m.network_id "
                             "WHERE m.id = member_id)",
        "meeting": via_meeting.format(col="t.id"),
        "note_revision": via_meeting.format(col="(SELECT meeting_id FROM note WHERE id = note_id)"),
    }
    expr = how.get(table, via_meeting.format(col="t.meeting_id"))
    return list(conn.execute(text(f"SELECT {expr} FROM {table} t")).scalars())


def fill(db_url: str, clock, standaard) -> None:  # noqa: ANN001
    """Two networks full of meetings (every table holds rows of both), made by the owner."""
    from kring.data.networks import create_network
    from kring.data.notes import save_draft

    store = Store(db_url)
    noord = hold_meetings(store, clock, standaard, count=2)  # Wijkteams Noord, and one meeting outside
    create_network(store, "Zorg Zuid", clock)
    from kring.data.network_meetings import start_meeting
    from kring.data.networks import add_member

    add_member(store, "Zorg Zuid", "Hanna", clock, questions=["Wat is goede zorg?"])
    mid = start_meeting(store, "Zorg Zuid", standaard, clock)
    from kring.data.evaluation import submit
    from kring.data.meetings import append_event
    from kring.data.notes import add_note, edit_note
    from tests.note_helpers import make_note

    append_event(store, mid, "start", clock.now())
    note = make_note(clock, text="vertrouwelijk: casus Zuid", confidential=True)
    add_note(store, mid, note)
    edit_note(store, note.uid, author="Sanne", at=clock.now(), text="casus Zuid, bijgewerkt")
    submit(store, mid, "Hanna", {"roti": 3}, clock)
    for m in (1, mid):
        save_draft(store, m, "Sanne#notulist", "half getypt", {}, clock.now())
    from kring.data.planning import plan_meeting

    plan_meeting(store, "Zorg Zuid", "2027-01-14 19:00", clock)  # Noord's series has one (hold_meetings)
    from kring.data.weblink import token_for

    for m in (noord[-2], mid):  # the live meeting of each network, served to participants' browsers
        token_for(store, m, clock)
    store.close()


@needs_pg
def test_two_facilitators_each_see_only_their_networks_in_every_table(db_url, roles, clock, standaard):
    anna, bram = roles
    fill(db_url, clock, standaard)
    owner = Store(db_url)
    from kring.data.share import share_network

    share_network(owner, "Wijkteams Noord", anna)
    share_network(owner, "Zorg Zuid", bram)
    # each facilitator also holds a meeting of their own, outside any network
    for role in roles:
        from kring.data.meetings import create_meeting

        own = Store(as_role(db_url, role))
        create_meeting(own, standaard, ["Iemand"], clock, title=f"eigen overleg {role}")
        own.close()

    tables = kring_tables(owner.engine)
    with owner.engine.connect() as conn:
        secured = dict(conn.execute(text(
            "SELECT relname, relrowsecurity FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
            "AND relkind = 'r' AND relname <> 'alembic_version'")).all())
        everything = {t: network_of(conn, t) for t in tables}
    assert all(secured.values()), f"tables without row security: {[t for t, on in secured.items() if not on]}"
    for t in tables:  # the owner sees both networks in every table
        if t not in ("network_share",):
            assert {"Wijkteams Noord", "Zorg Zuid"} <= set(everything[t]), (t, everything[t])

    sees = {anna: "Wijkteams Noord", bram: "Zorg Zuid"}
    for role, network in sees.items():
        engine = create_engine(as_role(db_url, role))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == role
            for t in tables:
                mine = network_of(conn, t)
                assert set(mine) <= {network, f"own:{role}"}, (role, t, set(mine))
                expected = [x for x in everything[t] if x == network or x == f"own:{role}"]
                assert len(mine) == len(expected), (role, t)
                if t not in ("network_share", "member", "learning_question", "network", "evaluation_receipt",
                             "evaluation_response", "draft"):
                    assert mine, (role, t)  # not empty: the check above proves something
            # writing another's rows: an UPDATE finds nothing, an INSERT is refused
            other = next(n for r, n in sees.items() if r != role)
            with owner.engine.connect() as o:
                their_meeting = o.execute(text(
                    "SELECT m.id FROM meeting m JOIN network n ON n.id = m.network_id WHERE n.name = :n LIMIT 1"),
                    {"n": other}).scalar()
            assert conn.execute(text("UPDATE note SET text = 'weg' WHERE meeting_id = :m"),
                                {"m": their_meeting}).rowcount == 0
            with pytest.raises(Exception, match="row-level security"):
                conn.execute(text("INSERT INTO event (uid, meeting_id, at, kind, data, origin) "
                                  "VALUES ('x', :m, '2026-01-01T00:00:00+00:00', 'start', '{}', '')"),
                             {"m": their_meeting})
            conn.rollback()
            with pytest.raises(Exception, match="permission denied"):
                conn.execute(text(f"INSERT INTO network_share VALUES (1, '{role}')"))  # only the owner shares
            conn.rollback()
        engine.dispose()

    # and through kring: the facilitator's network list and history
    listed = run_cli("--lang", "en", "--db", as_role(db_url, anna), "network", "list")
    assert "Wijkteams Noord" in listed.stdout and "Zorg Zuid" not in listed.stdout, listed
    sessions = run_cli("--lang", "en", "--db", as_role(db_url, anna), "sessions")
    assert "Zuid" not in sessions.stdout and "Los overleg" not in sessions.stdout, sessions
    assert f"eigen overleg {anna}" in sessions.stdout and f"eigen overleg {bram}" not in sessions.stdout

    # unsharing takes the network away again
    from kring.data.share import unshare_network

    assert unshare_network(owner, "Wijkteams Noord", anna).changed
    engine = create_engine(as_role(db_url, anna))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM note")).scalar() == 0  # not even its own meeting has notes
        assert conn.execute(text("SELECT count(*) FROM network")).scalar() == 0
    engine.dispose()
    owner.close()


@needs_pg
def test_share_and_unshare_from_the_command_line(db_url, roles, clock, standaard):
    anna, _ = roles
    fill(db_url, clock, standaard)
    done = run_cli("--lang", "en", "--db", db_url, "network", "share", "Wijkteams Noord", "--with", anna)
    assert done.returncode == 0 and f"now shared with role '{anna}'" in done.stdout, done.stderr
    again = run_cli("--lang", "en", "--db", db_url, "network", "share", "Wijkteams Noord", "--with", anna)
    assert again.returncode == 0 and "already shared" in again.stdout
    for argv, says in (
        (("--db", db_url, "network", "share", "Wijkteams Noord", "--with", "kring_nobody_here"),
         "there is no database role 'kring_nobody_here'"),
        (("--db", as_role(db_url, anna), "network", "share", "Wijkteams Noord", "--with", anna),
         "only the store's owner can do this"),
        (("--db", db_url, "network", "share", "Nergens", "--with", anna), "unknown network 'Nergens'"),
    ):
        done = run_cli("--lang", "en", *argv)
        assert done.returncode == 2 and says in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr
    done = run_cli("--lang", "en", "--db", db_url, "network", "unshare", "Wijkteams Noord", "--with", anna)
    assert done.returncode == 0 and "no longer shared" in done.stdout


@needs_pg
def test_a_facilitators_kring_refuses_to_migrate_and_says_whom_to_ask(db_url, roles, english):
    anna, _ = roles
    owner = Store(db_url)
    with owner.writing() as s:
        s.exec(text("UPDATE alembic_version SET version_num = '0007'"))  # as if kring was upgraded since
    with pytest.raises(StoreError, match="ask the store's owner to run kring once to upgrade it"):
        Store(as_role(db_url, anna))
    done = run_cli("--lang", "en", "--db", as_role(db_url, anna), "sessions")
    assert done.returncode == 2 and "ask the store's owner to run kring once to upgrade it" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    with owner.session() as s:
        assert s.exec(text("SELECT version_num FROM alembic_version")).scalar() == "0007"  # left alone
    owner.close()


@needs_pg
def test_a_facilitator_pulls_their_network_holds_a_meeting_offline_and_pushes_it(db_url, roles, clock, standaard,
                                                                                  tmp_path, english):
    from kring.data.meetings import append_event, create_meeting, list_meetings
    from kring.data.network_meetings import start_meeting
    from kring.data.networks import network_id_by_name
    from kring.data.share import share_network
    from kring.data.sync import pull, push

    anna, bram = roles
    fill(db_url, clock, standaard)
    owner = Store(db_url)
    share_network(owner, "Wijkteams Noord", anna)
    central = Store(as_role(db_url, anna))
    laptop = Store(f"sqlite:///{tmp_path / 'laptop.db'}")
    pull(central, laptop, "Wijkteams Noord")
    with pytest.raises(InputError, match="unknown network 'Zorg Zuid'"):
        pull(central, laptop, "Zorg Zuid")  # not hers: as if it did not exist
    mid = start_meeting(laptop, "Wijkteams Noord", standaard, clock, title="In de bibliotheek, zonder wifi")
    append_event(laptop, mid, "start", clock.now())
    create_meeting(laptop, standaard, ["Anna"], clock, title="Voorbereiding")
    report = push(laptop, central)
    assert report.added["meeting"] == 2 and report.added["network"] == 0
    noord = network_id_by_name(owner, "Wijkteams Noord")
    assert "In de bibliotheek, zonder wifi" in [m.title for m in list_meetings(owner, noord)]
    bram_store = Store(as_role(db_url, bram))
    assert not {"In de bibliotheek, zonder wifi", "Voorbereiding"} & {m.title for m in list_meetings(bram_store)}
    with owner.engine.connect() as conn:
        assert conn.execute(text("SELECT owner_role FROM meeting WHERE title = 'Voorbereiding'")).scalar() == anna

    # a network nobody shared with her is refused by the database, in one line
    from kring.data.networks import create_network
    from kring.data.sync import sync_failure

    other = Store(f"sqlite:///{tmp_path / 'other.db'}")
    hold_meetings(other, clock, standaard, count=1)
    create_network(owner, "Wijkteams Noord 2", clock)
    with owner.writing() as s:
        s.exec(text("UPDATE network SET name = 'Geheim' WHERE name = 'Wijkteams Noord 2'"))
    with pytest.raises(Exception) as caught:
        push(other, Store(as_role(db_url, bram)))
    message = str(sync_failure(caught.value, 0, 2))
    assert "not shared with your role" in message
    for s in (central, laptop, bram_store, owner, other):
        s.close()


@needs_pg
def test_a_sync_whose_connection_is_cut_loses_nothing(db_url, clock, standaard, tmp_path):
    from kring.data.sync import push
    from tests.test_sync import rows_by_identity

    laptop = Store(f"sqlite:///{tmp_path / 'laptop.db'}")
    hold_meetings(laptop, clock, standaard)
    central = Store(db_url)
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    seen = []

    def step(where: str) -> None:
        seen.append(where)
        if len(seen) == 4:  # the second meeting is half-way: the server drops the connection
            with admin.connect() as conn:
                cut = conn.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'")).scalars().all()
            assert cut == [True]

    with pytest.raises(Exception) as caught:
        push(laptop, central, step=step)
    from kring.data.sync import sync_failure

    said = str(sync_failure(caught.value, 1, 4))
    # in the interface's language, Dutch by default, the count included
    assert said.startswith("sync: de verbinding viel weg na 1 van 4 bijeenkomsten"), said
    assert "geef hetzelfde commando nog eens" in said
    assert len(rows_by_identity(central)["meeting"]) == 1
    push(laptop, central)
    assert rows_by_identity(central) == rows_by_identity(laptop)
    admin.dispose()
    central.close()
    laptop.close()


@needs_pg
def test_the_owner_forgets_a_member_across_every_network_the_server_holds(db_url, roles, clock, standaard):
    """Row security binds the facilitators, not the owner: forgetting reaches every row."""
    from kring.data.forget import forget_member
    from kring.data.networks import network_id_by_name
    from kring.data.share import share_network

    fill(db_url, clock, standaard)
    owner = Store(db_url)
    share_network(owner, "Wijkteams Noord", roles[0])
    done = forget_member(owner, network_id_by_name(owner, "Wijkteams Noord"), "Bram", apply=True)
    assert done.member == "Bram"
    with owner.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM participant WHERE name = 'Bram'")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM member WHERE name = 'Bram'")).scalar() == 0
    owner.close()
