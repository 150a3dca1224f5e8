"""Keys typed as a door starts, in a real pseudo-terminal: every one lands, in order.

The typist starts the moment the process does and keeps a steady pace through the
start-up (the terminal not yet taken, the first screen painting, the store opening,
the hand-over to the full screen). Only the typist is paced; the test then waits
for the store to show what was typed, never for a timer of the app.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.ptyterm import Terminal, kring_env


@pytest.fixture(autouse=True)
def _sqlite(db_url):
    if not db_url.startswith("sqlite:///"):
        pytest.skip("the first paint's quick read is for SQLite files")


def type_from_start(term: Terminal, keys: list[str], every: float) -> None:
    """Write each key to the terminal `every` seconds apart, the first at once, reading the screen between."""
    started = time.monotonic()
    for n, key in enumerate(keys):
        os.write(term.master, key.encode())
        while (left := started + (n + 1) * every - time.monotonic()) > 0:
            term.pump(left)


def until(check, term: Terminal, seconds: float = 30.0):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        term.pump(0.05)
    return check()


def _meeting(db_url: str) -> int:
    from kring.data.core.clock import SystemClock
    from kring.data.meetings import create_meeting
    from kring.data.store import Store
    from kring.workformats.loader import find

    store = Store(db_url)
    try:
        return create_meeting(store, find("standaard").model_dump(mode="json"), ["Anouk", "Bram"], SystemClock(),
                              title="Starttoetsen")
    finally:
        store.close()


@pytest.mark.parametrize("every", [0.06, 0.02, 0.0])
@pytest.mark.parametrize("waiting", ["", "oud "], ids=["first paint", "a draft waits"])
def test_every_key_typed_from_the_start_of_kring_notes_is_in_the_draft_in_order(db_url, tmp_path, every, waiting):
    """A draft that waits to come back takes the usual path (the store opens first): the keys
    follow it, typed after it in the input."""
    from kring.data.core.clock import SystemClock
    from kring.data.draftjournal import recover
    from kring.data.notes import draft_key, save_draft
    from kring.data.store import Store

    meeting = _meeting(db_url)
    if waiting:
        kept = Store(db_url)
        save_draft(kept, meeting, draft_key("Lies", "notulist"), waiting, {}, SystemClock().now())
        kept.close()
    typed = waiting + " ".join(str(n) for n in range(10, 50))
    term = Terminal("notes", str(meeting), "--as", "Lies", env=kring_env(tmp_path, db_url, USER="Lies"), size=(120, 30))
    store = Store(db_url)
    try:
        type_from_start(term, list(typed.removeprefix(waiting)), every)
        key = draft_key("Lies", "notulist")

        def draft() -> str:
            found = recover(store, meeting, key)
            return found.text if found is not None else ""

        until(lambda: draft() == typed, term, 15)
        assert draft() == typed, f"typed {typed!r}, the draft holds {draft()!r}; screen:\n{term.text()}"
    finally:
        term.stop()
        store.close()


# 0: both keys reach the terminal before the interpreter has started, under the shell's settings
@pytest.mark.parametrize("every", [0.1, 0.0])
def test_down_and_enter_typed_as_kring_run_starts_mark_someone_absent(db_url, tmp_path, every):
    from kring.data.meetings import load_events
    from kring.data.store import Store

    Store(db_url).close()  # a store that exists: the new meeting paints first
    env = kring_env(tmp_path, db_url, USER="Moderator")
    term = Terminal("run", "--format", "standaard", "-p", "Anouk", "-p", "Bram", "-p", "Cees", env=env,
                    size=(120, 36))
    store = Store(db_url)
    try:
        type_from_start(term, ["\x1b[B", "\r"], every)  # ↓ Enter: the second person is not here

        def absent() -> list:
            try:
                return [e.data for e in load_events(store, 1) if e.kind == "absent"]
            except Exception:  # noqa: BLE001 - the meeting may not be made yet
                return []

        assert until(absent, term, 15) == [{"name": "Bram", "absent": True}], term.text()
    finally:
        term.stop()
        store.close()


MODERATOR_KEYS = [" ", "n", "n", "+"]  # start, the next step twice, a minute more
RECORDED = ("start", "goto", "adjust", "pause", "resume")


def _moderator_kinds(path: str, meeting: int) -> list[str]:
    """The moderator's events as stored, read without opening the store (the child may be making it)."""
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0)
        try:
            rows = con.execute("SELECT kind FROM event WHERE meeting_id = ? ORDER BY id", (meeting,)).fetchall()
        finally:
            con.close()
    except sqlite3.Error:  # not made yet
        return []
    return [kind for (kind,) in rows if kind in RECORDED]


@pytest.mark.parametrize("door", ["resume", "demo"])
@pytest.mark.parametrize("every", [0.05, 0.0])
def test_the_moderators_keys_typed_as_the_agenda_starts_are_recorded_in_order(db_url, tmp_path, door, every):
    path = db_url.removeprefix("sqlite:///")
    if door == "resume":
        meeting, args = _meeting(db_url), ["resume"]
    else:  # the demo on a new store: it makes its meeting after the first paint
        meeting, args = 1, ["demo"]
        if os.path.exists(path):
            os.remove(path)
    term = Terminal(*args, env=kring_env(tmp_path, db_url, USER="Moderator"), size=(120, 36))
    try:
        type_from_start(term, MODERATOR_KEYS, every)
        # the demo's meeting is made running: its space pauses
        want = ["start", "goto", "goto", "adjust"] if door == "resume" else ["start", "pause", "goto", "goto", "adjust"]
        until(lambda: _moderator_kinds(path, meeting) == want, term, 15)
        assert _moderator_kinds(path, meeting) == want, term.text()
    finally:
        term.stop()


@pytest.mark.parametrize("every", [0.06, 0.0])
def test_answers_typed_as_kring_evaluate_starts_are_each_on_their_question(db_url, tmp_path, every):
    from sqlmodel import select

    from kring.data.models import EvaluationResponse
    from kring.data.store import Store

    meeting = _meeting(db_url)
    term = Terminal("evaluate", str(meeting), "--as", "Anouk", env=kring_env(tmp_path, db_url, USER="Anouk"),
                    size=(120, 40))
    store = Store(db_url)

    def stored() -> list[dict]:
        with store.session() as s:
            return [dict(r.answers) for r in s.exec(select(EvaluationResponse))]

    try:
        type_from_start(term, ["3", "\r", "4", "\r", "5", "\r", "6", "\r", "7", "\r", *"Goed gesprek"], every)
        # ctrl+s once the form shows: typed before the interpreter starts, the shell's terminal
        # takes it as "stop the output" and no program ever reads it
        until(lambda: "Versturen" in term.text(), term, 15)
        os.write(term.master, b"\x13")
        until(stored, term, 15)
        assert stored() == [{"roti": 3, "relevance": 4, "safety": 5, "goals": 6, "method": 7, "top": "Goed gesprek"}], \
            term.text()
    finally:
        term.stop()
        store.close()


@pytest.mark.parametrize("how", ["refused", "quit"])
def test_the_terminal_has_its_own_settings_again_after_kring(db_url, tmp_path, monkeypatch, how):
    """Taken as the door starts (no echo, no line editing), the terminal's settings are the
    shell's again when kring ends: refused before any screen, or quit from the screen."""
    import shlex

    import tests.ptyterm

    meeting = _meeting(db_url)
    kring = [tests.ptyterm.KRING, "notes", str(meeting if how == "quit" else 999), "--as", "Lies"]
    monkeypatch.setattr(tests.ptyterm, "KRING", "/bin/sh")
    term = Terminal("-c", f"{shlex.join(kring)}; echo status $?; stty -a",
                    env=kring_env(tmp_path, db_url, USER="Lies"), size=(200, 40))
    try:
        if how == "quit":
            until(lambda: "Notitie" in term.text(), term, 15)
            os.write(term.master, b"\x11")  # ctrl+q
        until(lambda: term.proc.poll() is not None, term, 15)
        term.pump(0.2)
        said = term.text()
        assert ("status 0" if how == "quit" else "status 2") in said, said
        flags = said.split()
        assert {"icanon", "echo", "icrnl", "isig", "ixon"} <= set(flags), said
    finally:
        term.stop()
