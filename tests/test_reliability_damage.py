"""A damaged or foreign store: one line naming the file and what is wrong, exit 2, never SQL.

The damaged files are real: a store with a few hundred notes whose middle pages are
overwritten, as a failing disk or a copy broken off half-way leaves it. Damage found
while a screen is open (the history) is a kind message, without SQL, too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import one_line_error, run
from tests.crashdriver import say
from tests.note_helpers import make_note

NOTES = 300


def damaged_store(path: Path, clock, standaard) -> int:
    """A real store, its middle overwritten with rubbish: the meeting table reads, the notes do not."""
    from kring.data.meetings import create_meeting
    from kring.data.notes import add_note
    from kring.data.store import Store

    store = Store(f"sqlite:///{path}")
    mid = create_meeting(store, standaard, ["Anouk", "Bram", "Fatima"], clock, title="Wijkoverleg")
    for i in range(NOTES):
        add_note(store, mid, make_note(clock, text=f"notitie {i}: " + "wat er gezegd is " * 12))
    store.close()  # the -wal folded into the file
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\xff" * 8192)
    return mid


def no_sql(line: str) -> None:
    for word in ("SELECT", "[SQL", "sqlalche", "Error:", "Traceback", "FROM "):
        assert word not in line, line


def test_a_store_damaged_in_the_middle_is_named_in_one_line(capsys, tmp_path, clock, standaard, request):
    path = tmp_path / "kring.db"
    mid = damaged_store(path, clock, standaard)
    seen = []
    for argv in (["report", str(mid)], ["report", str(mid), "--format", "json"], ["report", "--format", "csv"]):
        code, out, err = run(capsys, "--db", str(path), *argv)
        line = one_line_error(err)
        assert code == 2 and out == "", (argv, err)
        assert str(path) in line and "damaged" in line and "malformed" in line, line
        no_sql(line)
        seen.append(line)
    say(request, f"damaged store: {NOTES} notes, 8 KiB overwritten in the middle; "
                 f"{len(seen)} reports refused in one line (exit 2): \"{seen[0].replace(str(path), 'FILE')}\"")


@pytest.mark.parametrize("case", ["text file", "other program", "newer kring", "empty file", "half a header"])
def test_a_foreign_store_is_named_in_one_line(capsys, tmp_path, case, english):
    import sqlite3

    path = tmp_path / "kring.db"
    if case == "text file":
        path.write_text("# Verslag: Wijkoverleg\n\nDit is Markdown, geen store.\n" * 50)
    elif case == "other program":
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE alembic_version (version_num TEXT)")
        con.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        con.commit()
        con.close()
    elif case == "newer kring":
        from kring.data.store import Store

        Store(f"sqlite:///{path}").close()
        con = sqlite3.connect(path)
        con.execute("UPDATE alembic_version SET version_num = '9999'")
        con.commit()
        con.close()
    elif case == "empty file":
        path.touch()
    elif case == "half a header":
        path.write_bytes(b"SQLite for")
    os.chmod(path, 0o640)
    before = path.read_bytes()
    code, out, err = run(capsys, "--db", str(path), "sessions")
    line = one_line_error(err)
    assert code == 2 and str(path) in line, line
    no_sql(line)
    expected = {"text file": "not a kring store", "other program": "no kring store", "newer kring": "newer kring",
                "empty file": "empty", "half a header": "not a kring store"}[case]
    assert expected in line, line
    if case == "other program":  # SQLite's journal mode may change on opening; the tables do not
        con = sqlite3.connect(path)
        assert [r[0] for r in con.execute("SELECT name FROM sqlite_master ORDER BY name")] == \
            ["alembic_version", "photos"]
        con.close()
    else:
        assert path.read_bytes() == before  # nothing written: an empty file does not become a store
        if case != "newer kring":  # a kring store is closed to others; a file that is none is left alone
            assert path.stat().st_mode & 0o777 == 0o640


def test_only_a_missing_file_becomes_a_new_store(capsys, tmp_path):
    path = tmp_path / "nieuw" / "kring.db"
    code, _, err = run(capsys, "--db", str(path), "sessions")
    assert code == 0, err
    assert path.stat().st_size > 0
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_postgresql_url_without_its_driver_says_what_to_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if `kring[postgres]` was never installed
    code, _, err = run(capsys, "--db", "postgresql+psycopg://kring:geheim@db.example/kring", "sessions")
    line = one_line_error(err)
    assert code == 2 and "pip install 'kring[postgres]'" in line and "psycopg" in line, line
    assert "geheim" not in line and "ModuleNotFoundError" not in line
    code, _, err = run(capsys, "--db", "postgresql://kring@db.example/kring", "sessions")
    line = one_line_error(err)
    assert code == 2 and "kring[postgres]" in line and "postgresql+psycopg://" in line, line


def test_an_unreachable_server_is_one_line(capsys):
    code, _, err = run(capsys, "--db", "postgresql+psycopg://kring@127.0.0.1:1/kring", "sessions")
    line = one_line_error(err)
    assert code == 2 and "cannot reach the database server" in line and "127.0.0.1" in line, line
    no_sql(line)


@pytest.mark.parametrize("command", ["report", "resume", "notes", "evaluate"])
def test_an_id_out_of_range_is_no_meeting(capsys, monkeypatch, store, meeting_id, command, english):
    store.close()
    monkeypatch.setenv("KRING_DB", store.url)
    for wrong in ("99999999999999999999", "2147483648", "0"):
        code, out, err = run(capsys, command, wrong)
        line = one_line_error(err)
        assert code == 2 and line == f"kring: no meeting with id {wrong} in this store (see: kring sessions)", line


def test_the_unexpected_error_handler_never_shows_sql_or_an_exception_name(capsys, db, monkeypatch):
    from sqlalchemy.exc import OperationalError

    import kring.data.meetings as meetings

    def broken(*_a, **_kw):  # noqa: ANN002, ANN003, ANN202
        raise OperationalError("SELECT meeting.id FROM meeting WHERE secret = 'x'", {}, Exception("boom"))

    monkeypatch.setattr(meetings, "list_meetings", broken)
    code, _, err = run(capsys, "sessions")
    line = one_line_error(err)
    assert code == 1 and "crash.log" in line, line
    no_sql(line)
    assert "OperationalError" not in line and "boom" not in line


async def test_damage_found_on_the_history_screen_is_a_kind_message(tmp_path, clock, standaard):
    from kring.data.store import Store
    from kring.screens.report import ReportScreen
    from kring.tui.history_app import HistoryApp
    from tests.test_history import settle

    path = tmp_path / "kring.db"
    damaged_store(path, clock, standaard)
    store = Store(f"sqlite:///{path}")
    app = HistoryApp(store, clock=clock)
    said: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
        await settle(app, pilot)
        await pilot.press("enter")  # the meeting's report: its notes are where the damage is
        await settle(app, pilot)
        assert isinstance(app.screen, ReportScreen)
        await pilot.press("escape", "slash", *"notitie", "enter")  # a search reads the notes too
        await settle(app, pilot)
    store.close()
    assert said, "no message about the damage"
    for message in said:
        assert str(path) in message and "beschadigd" in message, message
        no_sql(message)


def test_a_damaged_full_text_index_is_damage_too(english):
    """Rubbish in the pages of note_fts makes SQLite say its virtual table cannot be built:
    that is a damaged store, said in one line, like a malformed page."""
    import sqlite3

    from kring.data.store import damage

    err = damage("kring.db", sqlite3.DatabaseError("vtable constructor failed: note_fts"))
    assert err is not None and "kring.db" in str(err) and "damaged" in str(err)
    no_sql(str(err))
