"""The command-line contract: exit 0 on success, 2 with one line on bad input, never a traceback."""

from __future__ import annotations

import json

import pytest

from tests.cli_helpers import one_line_error, run


def test_formats_list_shows_builtins_with_duration(capsys, db):
    code, out, _ = run(capsys, "formats", "list")
    assert code == 0
    assert "standaard" in out and "1 uur 40 minuten" in out
    assert "kickoff" in out


def test_formats_list_in_english(capsys, db):
    code, out, _ = run(capsys, "--lang", "en", "formats", "list")
    assert code == 0 and "1 hour 40 minutes" in out


def test_formats_check_good_and_broken(capsys, db, tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("name: g\ntitle: G\nsource: s\nsteps:\n  - title: A\n    minutes: 5\n    mode: round\n")
    code, out, _ = run(capsys, "formats", "check", str(good))
    assert code == 0 and "geldige werkvorm" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: g\ntitle: G\nsource: s\nsteps:\n  - title: A\n    minutes: -5\n    mode: round\n")
    code, _, err = run(capsys, "formats", "check", str(bad))
    assert code == 2
    assert one_line_error(err) == f"kring: {bad}:6: steps[1].minutes: moet meer dan 0 zijn, niet -5"


def test_formats_check_names_a_mistyped_field_and_what_it_meant(capsys, db, tmp_path):
    """`minuten:` for `minutes:` names the unknown field, not the one it leaves missing."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: g\ntitle: G\nsource: s\nsteps:\n  - title: A\n    minuten: 5\n    mode: round\n")
    code, _, err = run(capsys, "formats", "check", str(bad))
    assert code == 2
    assert one_line_error(err) == f"kring: {bad}:6: steps[1].minuten: onbekend veld; bedoel je minutes?"
    bad.write_text("name: g\ntitle: G\nsource: s\nsteps:\n  - title: A\n    minutes: 5\n    mode: round\n"
                   "    wortel: 1\n")
    code, _, err = run(capsys, "formats", "check", str(bad))
    assert one_line_error(err) == f"kring: {bad}:8: steps[1].wortel: onbekend veld"


def test_formats_list_lists_the_good_ones_and_one_line_per_broken_file(capsys, db):
    from kring.workformats.loader import user_dir

    user_dir().mkdir(parents=True)
    (user_dir() / "kapot.yaml").write_text("name: kapot\ntitle: K\nsource: s\nsteps:\n  - title: A\n"
                                           "    minuten: 5\n    mode: round\n")
    (user_dir() / "leeg.yaml").write_text("")
    code, out, err = run(capsys, "formats", "list")
    assert code == 2  # as every command with bad input; the good ones are still all there
    assert "standaard" in out and "incidentmethode" in out and "kapot" not in out
    lines = err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("kring: ") for line in lines), err
    assert any("kapot.yaml:6: steps[1].minuten: onbekend veld; bedoel je minutes?" in line for line in lines)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["resume"], "no live meeting"),
        (["resume", "42"], "no meeting with id 42"),
        (["report", "7", "--format", "json"], "no meeting with id 7"),
        (["report", "--format", "json"], "no meetings in this store"),
        (["run", "--format", "bestaatniet", "-p", "A"], "unknown work format 'bestaatniet'"),
        (["run", "--format", "standaard"], "--participant"),
        (["run", "--format", "standaard", "-p", "Anouk", "-p", "anouk"], "named twice"),
        (["run", "--format", "standaard", "-p", " "], "empty"),
        (["--lang", "fr", "sessions"], "--lang fr"),
        (["resume", "abc"], "invalid int value"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, db, argv, words, english):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert words in one_line_error(err)


def test_unreadable_store_is_bad_input(capsys, tmp_path, monkeypatch, english):
    folder = tmp_path / "adir.db"
    folder.mkdir()
    code, _, err = run(capsys, "--db", str(folder), "sessions")
    assert code == 2 and "is a folder" in one_line_error(err)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    code, _, err = run(capsys, "--db", str(junk), "sessions")
    assert code == 2 and str(junk) in one_line_error(err)
    assert junk.read_bytes() == b"this is not a database at all" * 100  # nothing changed


def test_sessions_and_json_report(capsys, db, clock):
    from kring.data.meetings import append_event, create_meeting
    from kring.data.store import Store
    from kring.workformats.loader import find

    store = Store.open(str(db))
    mid = create_meeting(store, find("standaard").model_dump(mode="json"), ["Anouk", "Bram"], clock)
    append_event(store, mid, "start", clock.now())
    clock.advance(minutes=12)
    append_event(store, mid, "goto", clock.now(), {"step": 1})
    clock.advance(minutes=3)
    append_event(store, mid, "close", clock.now())
    code, out, _ = run(capsys, "sessions")
    assert code == 0 and "afgesloten" in out and "standaard" in out
    code, out, _ = run(capsys, "report", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert set(report) >= {"session", "participants", "agenda", "notes", "actions", "evaluation", "speaking"}
    s = report["session"]
    assert s["id"] == mid and s["werkvorm"] == "standaard" and s["status"] == "closed"
    assert s["started_at"] == "2026-11-20T19:00:00+01:00"
    assert s["ended_at"] == "2026-11-20T19:15:00+01:00"
    assert [p["name"] for p in report["participants"]] == ["Anouk", "Bram"]
    agenda = report["agenda"]
    assert agenda[0]["planned_seconds"] == 600 and agenda[0]["actual_seconds"] == 720
    assert agenda[1]["actual_seconds"] == 180 and agenda[2]["actual_seconds"] == 0
    assert agenda[0]["mode"] == "round"


def test_report_to_unwritable_path(capsys, db, clock, tmp_path, english):
    from kring.data.meetings import create_meeting
    from kring.data.store import Store
    from kring.workformats.loader import find

    create_meeting(Store.open(str(db)), find("standaard").model_dump(mode="json"), ["Anouk"], clock)
    code, _, err = run(capsys, "report", "--format", "json", "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert code == 2 and "does not exist" in one_line_error(err)
    out = tmp_path / "r.json"
    code, _, _ = run(capsys, "report", "--format", "json", "-o", str(out))
    assert code == 0 and json.loads(out.read_text())["session"]["werkvorm"] == "standaard"
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def _subparsers(parser):
    import argparse

    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices


def test_each_command_alone_parses_as_in_the_whole_command_line():
    """Start-up builds only the asked command's group; it must read the same."""
    from kring.tui.cli import COMMANDS, build_parser

    whole = _subparsers(build_parser())
    assert list(whole) == list(COMMANDS)
    for command in COMMANDS:
        alone = _subparsers(build_parser(command))
        assert command in alone
        assert alone[command].format_help() == whole[command].format_help()


@pytest.mark.parametrize("argv,command", [
    (["demo"], "demo"),
    (["--db", "demo", "report", "3"], "report"),  # an option's value is not the command
    (["--lang=en", "resume", "2"], "resume"),
    (["--shared-group", "staff", "notes"], "notes"),
    (["--help"], None),
    ([], None),
    (["nonsense"], "nonsense"),
])
def test_the_command_word_is_found_after_the_common_options(argv, command):
    from kring.tui.cli import command_in

    assert command_in(argv) == command


def test_an_unknown_command_still_lists_them_all(capsys, english):
    from kring.tui.cli import main

    assert main(["nonsense"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'nonsense'" in err and "'network'" in err and "'demo'" in err


@pytest.mark.parametrize("argv", [
    ["run", "--format", "standaard", "-p", "Anouk", "-p", "Bram"],
    ["resume"], ["notes"], ["evaluate"], ["demo"], ["history"], ["network", "edit"],
])
def test_without_a_terminal_the_screens_refuse_in_one_line(tmp_path, argv):
    """Standard input a pipe or nothing: one line, exit 2, and no meeting made (it used to spin at full CPU)."""
    import sqlite3
    import subprocess
    import sys

    from kring.data.core.clock import SystemClock
    from kring.data.meetings import create_meeting
    from kring.data.store import Store
    from kring.workformats.loader import find

    db = tmp_path / "kring.db"
    store = Store.open(str(db))
    create_meeting(store, find("standaard").model_dump(mode="json"), ["Anouk", "Bram"], SystemClock())
    store.close()
    done = subprocess.run([sys.executable, "-m", "kring.tui.cli", "--lang", "en", "--db", str(db), *argv],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "needs a terminal" in done.stderr and "Traceback" not in done.stderr
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM meeting").fetchone()[0] == 1  # the one made here


def test_a_reader_that_stops_early_ends_kring_quietly(tmp_path):
    """`kring formats list | head -2`, `kring report | head`: the reader closing the pipe is
    no crash (it used to say 'an unexpected error' and leave a traceback in the crash log)."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # the reader has gone before kring writes its first line
    try:
        done = subprocess.run([sys.executable, "-m", "kring.tui.cli", "formats", "list"], stdout=write,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, timeout=60)
    finally:
        os.close(write)
    assert done.stderr == ""
    assert done.returncode == 141  # as a shell says of a writer the pipe stopped (128 + SIGPIPE)
    assert not (tmp_path / "xdg-state" / "kring" / "crash.log").exists()


def test_sessions_keeps_its_columns_for_a_long_work_format_name(capsys, db, clock):
    """'vijfstappenmethode Vijfstappenmethode' ran the work format into the title."""
    from kring.data.meetings import create_meeting
    from kring.data.store import Store
    from kring.workformats.loader import find

    store = Store.open(str(db))
    for name in ("standaard", "vijfstappenmethode", "what-so-what-now-what"):
        create_meeting(store, find(name).model_dump(mode="json"), ["Anouk", "Bram"], clock)
    code, out, _ = run(capsys, "sessions")
    lines = out.splitlines()
    starts = {line.index(title) for line, title in zip(lines[1:], ("Standaardbijeenkomst", "Vijfstappenmethode", "Wat?"))}
    assert code == 0 and len(starts) == 1, out  # every title in one column
    assert lines[0].index("titel") in starts
