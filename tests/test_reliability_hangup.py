"""Hang-up: the terminal goes away (a dropped SSH connection) and kring ends cleanly.

The test closes the master side of a pseudo-terminal that is the process's
controlling terminal, which is what sshd does when a connection drops: the
kernel sends SIGHUP. Each client must write what it has, exit within a few
seconds, and not spin at full CPU meanwhile (its CPU time is measured from the
moment of the hang-up to its exit).
"""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from kring.data.core.clock import SystemClock
from kring.data.meetings import create_meeting, load_events
from kring.data.store import Store
from tests.crashdriver import Term, cpu_seconds, kring_env, reap, say

EXIT_WITHIN = 5.0  # seconds from hang-up to exit
CPU_AT_MOST = 1.5  # CPU seconds used meanwhile: flushing and tearing down, not spinning

PEOPLE = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]


@pytest.fixture
def setup(tmp_path, db_url, standaard):
    store = Store(db_url)
    meeting = create_meeting(store, standaard, PEOPLE, SystemClock(), title="Ophangproef")
    yield store, meeting, kring_env(tmp_path, db_url)
    store.close()


def hang_up(term: Term, request, who: str) -> tuple[float, float, int | None]:
    before = cpu_seconds(term.proc.pid)
    term.hang_up()
    seconds, total_cpu, status = reap(term, timeout=20)
    if status is None:
        term.stop()
        pytest.fail(f"{who}: still running {seconds:.1f}s after the hang-up")
    cpu = total_cpu - before
    say(request, f"hang-up ({who}): exited after {seconds:.2f}s using {cpu:.2f} CPU seconds, status {status}")
    assert seconds < EXIT_WITHIN, f"{who} took {seconds:.1f}s to exit after the hang-up"
    assert cpu < CPU_AT_MOST, f"{who} used {cpu:.1f} CPU seconds after the hang-up"
    return seconds, cpu, status


def test_moderator_hang_up_saves_the_last_keys(setup, request):
    store, meeting, env = setup
    term = Term("resume", str(meeting), env=env)
    try:
        term.wait_for("Klaar:")
        term.press("space", "n", "+")
        term.wait_for("Stap 2 van 5")
        term.wait_for("11:00")  # shown: and hang up at once, the writes may still be on their way
        hang_up(term, request, "moderator")
    finally:
        term.stop()
    kinds = [e.kind for e in load_events(store, meeting)]
    assert kinds == ["start", "goto", "adjust"]


def test_moderator_hang_up_with_a_dialog_open(setup, request):
    store, meeting, env = setup
    term = Term("resume", str(meeting), env=env)
    try:
        term.wait_for("Klaar:")
        term.press("space")
        term.wait_for("Stap 1 van 5")
        term.press("x")  # "close the meeting?" is asked
        term.wait_for("bijeenkomst afsluiten")
        hang_up(term, request, "moderator, a question open")
    finally:
        term.stop()
    kinds = [e.kind for e in load_events(store, meeting)]
    assert kinds == ["start"]  # the question was not answered: the meeting goes on


def test_moderator_hang_up_while_the_store_is_busy_waits_for_it(setup, request, db_url):
    """Another process holds the write lock for two seconds: the last key still lands."""
    store, meeting, env = setup
    if not store.is_sqlite:
        pytest.skip("the SQLite write lock")
    term = Term("resume", str(meeting), env=env)
    try:
        term.wait_for("Klaar:")
        blocker = Store(db_url)
        with blocker.writing() as s:
            s.connection()  # BEGIN IMMEDIATE: the write lock is ours
            term.press("space")
            term.wait_for("Stap 1 van 5")
            before = cpu_seconds(term.proc.pid)
            hung_up = time.monotonic()
            term.hang_up()
            time.sleep(2.0)  # the other process's transaction, not a timer of ours
        _seconds, total_cpu, status = reap(term, timeout=20)
        seconds = time.monotonic() - hung_up
        blocker.close()
        assert status is not None, "still running after the hang-up"
        cpu = total_cpu - before
        say(request, f"hang-up (moderator, store locked 2s): exited after {seconds:.2f}s, {cpu:.2f} CPU seconds")
        assert seconds < 2.0 + EXIT_WITHIN
        assert cpu < CPU_AT_MOST
    finally:
        term.stop()
    assert [e.kind for e in load_events(store, meeting)] == ["start"]


def test_note_taker_hang_up_keeps_what_was_typed(setup, request):
    from kring.data.notes import draft_key, list_notes, load_draft

    store, meeting, env = setup
    term = Term("notes", str(meeting), "--as", "Notulist", env=env)
    try:
        term.wait_for("Nog niet begonnen")
        for ch in "b: we starten in maart":
            term.press(ch)
        term.press("enter")
        term.wait_for("starten in maart")
        # typed just now, sooner than the draft is written: the hang-up must write it
        for ch in "i: half af":
            term.press(ch)
        term.wait_for("half af")
        hang_up(term, request, "note-taker")
    finally:
        term.stop()
    notes = list_notes(store, meeting)
    assert [(n.kind, n.text) for n in notes] == [("decision", "we starten in maart")]
    draft = load_draft(store, meeting, draft_key("Notulist", "notulist"))
    assert draft is not None and draft.text == "i: half af"


def test_evaluator_hang_up_leaves_no_half_answers(setup, request):
    from kring.data.evaluation import progress

    store, meeting, env = setup
    term = Term("evaluate", str(meeting), "--as", "Bram", env=env)
    try:
        term.wait_for("Versturen")
        term.press("3", "enter", "4", "enter")
        term.wait_for("[4]")
        hang_up(term, request, "evaluator")
    finally:
        term.stop()
    assert progress(store, meeting)["answered"] == 0  # not sent: nothing half-stored
    # and Bram can fill it in later
    term = Term("evaluate", str(meeting), "--as", "Bram", env=env)
    try:
        term.wait_for("Versturen")
        term.press("3")
        term.wait_for("[3]")
        term.press("enter", "\x13")
        seconds, _cpu, status = reap(term, timeout=15)
        assert status == 0
    finally:
        term.stop()
    assert progress(store, meeting)["names"] == ["Bram"]


def test_evaluator_hang_up_just_after_sending_stores_all_or_nothing(setup, request):
    from kring.data.evaluation import progress
    from kring.data.evaluation_summary import meeting_summary

    store, meeting, env = setup
    term = Term("evaluate", str(meeting), "--as", "Lotte", env=env)
    try:
        term.wait_for("Versturen")
        term.press("4", "enter", "5", "enter", "9", "enter")
        term.wait_for("[ 9]")
        term.press("\x13")
        hang_up(term, request, "evaluator, just sent")
    finally:
        term.stop()
    answered = progress(store, meeting)["names"]
    with store.session() as s:
        rows = s.exec(text("SELECT answers FROM evaluation_response")).all()
    assert answered in ([], ["Lotte"])
    assert len(rows) == len(answered)
    if answered:
        assert meeting_summary(store, meeting) is not None
