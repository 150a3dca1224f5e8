"""Disk trouble: a read-only store or a full disk gives a clear message, and what was
typed is kept and retried, not dropped.

* At start-up a store the user may not write is refused in one line (exit 2).
* During a meeting the store turns read-only (SQLite's `query_only`), or the disk
  fills up (SQLite's `max_page_count` for a real "database or disk is full"; in
  a real terminal a file-size limit on the running process, which makes every
  write fail as on a full disk): the screen shows the keys at once and says the
  writes wait; the outbox keeps them in order; quitting asks first; once the disk
  is writable again they land.
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.crashdriver import Term, kring_env, say, without_root_powers
from tests.ptyterm import KRING


@pytest.fixture
def sqlite_only(db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("simulates SQLite's own file trouble; the PostgreSQL variant is below")


def _statements_refused(store, pragma: str):  # noqa: ANN202
    """Every connection the store hands out gets `pragma` (a switch the test flips)."""
    state = {"on": True}

    @event.listens_for(store.engine, "checkout")
    def _apply(dbapi_conn, _record, _proxy):  # noqa: ANN001
        dbapi_conn.execute(pragma.format(on=state["on"], limit=state.get("limit", 1073741823)))

    def lift() -> None:
        state["on"] = False
        state["limit"] = 1073741823

    return state, lift


def read_only(store):  # noqa: ANN201
    state, lift = _statements_refused(store, "PRAGMA query_only={on:d}")
    return lift


def disk_full(store):  # noqa: ANN201
    """No page may be added to the database: as when the disk has no room left."""
    import sqlite3

    conn = sqlite3.connect(store.path, isolation_level=None)
    conn.execute("VACUUM")  # no free pages left inside the file either
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    state, lift = _statements_refused(store, "PRAGMA max_page_count={limit}")
    state["limit"] = pages
    return lift


async def until(pilot, condition, seconds: float = 15.0) -> None:
    """Let the app and its outbox thread work until `condition()` holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the app did not get there in time"
        await pilot.pause(0.05)


def remember_notices(app) -> list[str]:
    seen: list[str] = []
    original = app.notify

    def notify(message, **kw):  # noqa: ANN001, ANN202
        seen.append(str(message))
        return original(message, **kw)

    app.notify = notify
    return seen


# --- at start-up -------------------------------------------------------------------------


@pytest.mark.usefixtures("sqlite_only")
def test_a_store_the_user_may_not_write_is_refused_in_one_line(tmp_path, store, meeting_id):
    path = Path(store.path)
    store.close()
    folder = path.parent
    os.chmod(path, 0o400)
    os.chmod(folder, 0o500)
    env = {**os.environ, **kring_env(tmp_path, str(path))}
    try:
        for args in (["sessions"], ["resume"], ["report", "--format", "json"], ["notes", "--as", "Sanne"]):
            r = subprocess.run([KRING, *args], env=env, capture_output=True, text=True, timeout=60,
                               stdin=subprocess.DEVNULL, preexec_fn=without_root_powers)
            assert r.returncode == 2, (args, r.stderr)
            lines = r.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("kring: "), r.stderr
            assert str(path) in lines[0] and "alleen-lezen" in lines[0], lines[0]
            assert "Traceback" not in r.stderr + r.stdout
    finally:
        os.chmod(folder, 0o700)
        os.chmod(path, 0o600)
    # and nothing was changed
    from kring.data.meetings import load_events
    from kring.data.store import Store

    again = Store(f"sqlite:///{path}")
    assert load_events(again, meeting_id) == []
    again.close()


# --- during a meeting, in the app -------------------------------------------------------------


@pytest.mark.usefixtures("sqlite_only")
async def test_store_turning_read_only_keeps_the_moderator_s_keys_and_writes_them_later(
        store, meeting_id, make_app, request):
    from kring.data.meetings import load_events

    app = make_app(meeting_id)
    async with app.run_test(size=(100, 40)) as pilot:
        seen = remember_notices(app)
        lift = read_only(store)
        await pilot.press("space", "n", "plus")
        await until(pilot, lambda: app.write_trouble is not None)
        # shown at once, said plainly, nothing stored yet
        assert app.timeline().current == 1 and app.timeline().steps[1].adjust_seconds == 60
        assert any("Nog niet opgeslagen" in m and "readonly" in m for m in seen), seen
        app.refresh_screen()
        await pilot.pause()
        assert "nog niet opgeslagen" in str(app.screen.query_one("#status").render())
        assert load_events(store, meeting_id) == []
        # quitting now would lose them: kring asks first, and "no" keeps the meeting going
        await pilot.press("q")
        await pilot.pause()
        from kring.screens.dialogs.confirm import ConfirmScreen

        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        lift()
        assert app.outbox.flush(timeout=15), app.outbox.failing
        await until(pilot, lambda: app.write_trouble is None)
    assert [e.kind for e in load_events(store, meeting_id)] == ["start", "goto", "adjust"]
    assert any("Weer opgeslagen" in m for m in seen)
    say(request, "disk: read-only store during a meeting: 3 keys kept in order, written once writable again")


@pytest.mark.usefixtures("sqlite_only")
async def test_full_disk_keeps_a_pasted_note_and_files_it_when_there_is_room(store, clock, meeting_id, request):
    from kring.data.meetings import append_event
    from kring.data.notes import list_notes
    from kring.tui.notes_app import NotesApp
    from kring.tui.widgets.noteinput import NoteInput

    append_event(store, meeting_id, "start", clock.now())
    app = NotesApp(store, meeting_id, clock=clock, author="Sanne", watch=False)
    text = "Verslag van de casus: " + " ".join(f"zin {i} over de wijk en het netwerk." for i in range(120))
    async with app.run_test(size=(100, 40)) as pilot:
        seen = remember_notices(app)
        lift = disk_full(store)
        box = app.screen.query_one(NoteInput)
        box.insert_text_at_cursor(text)  # as a paste
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: app.write_trouble is not None)
        assert "database or disk is full" in app.write_trouble
        assert any("Nog niet opgeslagen" in m and "full" in m for m in seen), seen
        assert list_notes(store, meeting_id) == []
        shown = app.screen.query_one("#notes-floor").render()
        assert "nog niet opgeslagen" in str(shown)
        lift()
        assert app.outbox.flush(timeout=15)
        await until(pilot, lambda: app.write_trouble is None)
    notes = list_notes(store, meeting_id)
    assert [n.text for n in notes] == [text]
    say(request, f"disk: full disk: a {len(text)}-character note kept and filed once there was room")


@pytest.mark.usefixtures("sqlite_only")
async def test_evaluation_sent_to_a_read_only_store_stays_on_screen_and_can_be_sent_again(
        store, clock, meeting_id):
    from kring.data.evaluation import open_evaluation, progress
    from kring.tui.evaluate_app import EvaluateApp

    context = open_evaluation(store, meeting_id)
    app = EvaluateApp(store, context, participant="Bram", clock=clock, watch=False)
    async with app.run_test(size=(100, 40)) as pilot:
        seen = remember_notices(app)
        lift = read_only(store)
        await pilot.press("3", "enter", "4", "enter", "ctrl+s")
        await until(pilot, lambda: any("Niet verstuurd" in m for m in seen))
        await app.workers.wait_for_complete()
        assert progress(store, meeting_id)["answered"] == 0
        assert app.is_running  # the form and its answers are still there
        lift()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not app.is_running)
    assert progress(store, meeting_id)["names"] == ["Bram"]


# --- during a meeting, in a real terminal ------------------------------------------------------


def _file_size_limit(pid: int, limit: int) -> None:
    """The soft limit only: it may be raised again without any privilege."""
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))


@pytest.mark.usefixtures("sqlite_only")
def test_disk_full_in_a_real_terminal_then_room_again(tmp_path, store, meeting_id, request):
    """The running process may not grow any file (as on a full disk): keys are kept, said, then written."""
    from kring.data.meetings import load_events

    term = Term("resume", str(meeting_id), env=kring_env(tmp_path, store.url), size=(100, 40))
    try:
        term.wait_for("Klaar:")
        term.press("space")
        term.wait_for("Stap 1 van 5")
        deadline = time.monotonic() + 10
        while len(load_events(store, meeting_id)) < 1 and time.monotonic() < deadline:
            term.pump()
        _file_size_limit(term.proc.pid, 1)
        term.press("n", "+")
        term.wait_for("Stap 2 van 5")
        term.wait_for("nog niet opgeslagen")
        assert [e.kind for e in load_events(store, meeting_id)] == ["start"]
        term.press("q")
        term.wait_for("Toch stoppen?")
        term.press("n")
        _file_size_limit(term.proc.pid, resource.RLIM_INFINITY)
        term.wait_for("Weer opgeslagen")
        assert [e.kind for e in load_events(store, meeting_id)] == ["start", "goto", "adjust"]
        term.press("q")
        term.proc.wait(15)
        assert term.proc.returncode == 0
    finally:
        term.stop()
    say(request, "disk: file-size limit on a running moderator: keys kept, quitting asked first, written after")


# --- PostgreSQL: the server turns read-only, connections drop ------------------------------------


async def test_postgres_going_read_only_and_dropping_connections_loses_no_key(db_url, store, meeting_id, make_app,
                                                                             request):
    """The database is made read-only and every connection to it is cut (a fail-over, a
    maintenance window): the moderator's keys wait in the outbox and land afterwards."""
    import os

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from kring.data.meetings import load_events

    if db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL only")
    name = make_url(db_url).database
    admin = create_engine(os.environ["KRING_TEST_PG"], isolation_level="AUTOCOMMIT")

    def cut_connections() -> None:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :db AND pid <> pg_backend_pid()"), {"db": name})

    app = make_app(meeting_id)
    try:
        async with app.run_test(size=(100, 40)) as pilot:
            seen = remember_notices(app)
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
            cut_connections()
            await pilot.press("space", "n", "plus")
            await until(pilot, lambda: app.write_trouble is not None)
            assert "read-only" in app.write_trouble
            assert any("Nog niet opgeslagen" in m for m in seen), seen
            assert load_events(store, meeting_id) == []
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only'))
            cut_connections()
            assert app.outbox.flush(timeout=20), app.outbox.failing
            await until(pilot, lambda: app.write_trouble is None)
    finally:
        admin.dispose()
    assert [e.kind for e in load_events(store, meeting_id)] == ["start", "goto", "adjust"]
    say(request, "disk: PostgreSQL read-only and connections cut: 3 keys kept in order, written afterwards")
