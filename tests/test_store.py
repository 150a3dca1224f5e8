"""The store: where it lives, who may read it, WAL, schema versions."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from kring.data.schema import HEAD
from kring.data.store import Store, StoreError, resolve_url


def test_default_location_is_the_users_data_folder(tmp_path):
    url = resolve_url(None)
    assert url == f"sqlite:///{tmp_path / 'xdg-data' / 'kring' / 'kring.db'}"


def test_db_option_beats_environment(monkeypatch, tmp_path):
    from kring.tui.config import Config

    monkeypatch.setenv("KRING_DB", str(tmp_path / "env.db"))
    assert resolve_url(Config.load().settings.db).endswith("env.db")
    assert resolve_url(Config.load({"db": str(tmp_path / "opt.db")}).settings.db).endswith("opt.db")
    assert resolve_url("postgresql+psycopg://u@localhost/k") == "postgresql+psycopg://u@localhost/k"


def test_store_file_and_folder_are_owner_only(tmp_path):
    store = Store.open(None)
    path = store.path
    assert path is not None and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_sqlite_runs_in_wal_mode_with_busy_timeout(store):
    if not store.is_sqlite:
        pytest.skip("SQLite only")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_postgres_store_shares_one_server(store, meeting_id, clock):
    """Two clients on one server (as on two machines) see each other's writes."""
    from kring.data.meetings import append_event, change_token

    if store.is_sqlite:
        pytest.skip("PostgreSQL only")
    other = Store(store.url)
    before = change_token(other, meeting_id)
    append_event(store, meeting_id, "start", clock.now())
    assert change_token(other, meeting_id) != before
    other.close()


def test_postgres_reads_without_the_jit_compiler(store):
    if store.is_sqlite:
        pytest.skip("PostgreSQL only")
    with store.engine.connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"


def test_schema_version_is_recorded(store):
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD


def test_store_from_a_newer_kring_is_refused(tmp_path, english):
    path = tmp_path / "new.db"
    store = Store(f"sqlite:///{path}")
    with store.writing() as s:
        s.exec(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(StoreError, match="newer kring"):
        Store(f"sqlite:///{path}")


def test_foreign_database_is_not_touched(tmp_path, english):
    import sqlite3

    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="no kring store"):
        Store(f"sqlite:///{path}")
    con = sqlite3.connect(path)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["invoices"]


def test_events_keep_their_offset(store, meeting_id, clock):
    from kring.data.meetings import append_event, load_events

    append_event(store, meeting_id, "start", clock.now())
    (ev,) = load_events(store, meeting_id)
    assert ev.at.isoformat() == "2026-11-20T19:00:00+01:00"


def test_retried_event_lands_once(store, meeting_id, clock):
    from kring.data.meetings import append_events, load_events, new_event

    ev = new_event("start", clock.now())
    append_events(store, meeting_id, [ev])
    append_events(store, meeting_id, [ev])
    assert len(load_events(store, meeting_id)) == 1


def test_naive_datetimes_are_refused(store, meeting_id):
    from datetime import datetime

    from kring.data.meetings import append_event

    with pytest.raises(Exception, match="naive"):
        append_event(store, meeting_id, "start", datetime(2026, 1, 1))  # type: ignore[arg-type]


def test_outbox_keeps_and_retries_a_failing_write():
    from kring.data.outbox import Outbox

    attempts, errors, ok = [], [], []

    def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise OSError("disk full")

    box = Outbox(on_error=errors.append, on_ok=lambda: ok.append(1), retry_after=0.01)
    box.put(flaky)
    assert box.flush(timeout=5)
    assert len(attempts) == 3 and errors == ["disk full", "disk full"] and ok == [1]
    box.close()
