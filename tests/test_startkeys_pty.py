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
def test_every_key_typed_from_the_start_of_kring_notes_is_in_the_draft_in_order(db_url, tmp_path, every):
    from kring.data.draftjournal import recover
    from kring.data.notes import draft_key
    from kring.data.store import Store

    meeting = _meeting(db_url)
    typed = " ".join(str(n) for n in range(10, 50))
    term = Terminal("notes", str(meeting), "--as", "Lies", env=kring_env(tmp_path, db_url, USER="Lies"), size=(120, 30))
    store = Store(db_url)
    try:
        type_from_start(term, list(typed), every)
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
