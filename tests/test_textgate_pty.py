"""Finding 4 of issue 12 in real terminals: a title, a place and a note-taker's name given
on the command line, and a title stored raw, reach no terminal as escape sequences.
Every byte kring writes to the pseudo-terminal is kept and searched."""

from __future__ import annotations

import time

import pytest

from tests.ptyterm import Terminal, kring_env, open_store, wait_until

OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # writes "hello" into the terminal's clipboard
RESET = "\x1bc"  # resets the terminal
RED = "\x1b[31m\x1b]0;gehackt\x07"  # colours the screen red, renames the terminal
SEQUENCES = [s.encode() for s in (OSC52, "\x1b]52;", RESET + "Zaal", RESET + "Titel", "\x1b]0;gehackt", "\u202e")]


class Recording(Terminal):
    def __init__(self, *args: str, env: dict[str, str], size: tuple[int, int] = (120, 36)) -> None:
        self.bytes = bytearray()
        super().__init__(*args, env=env, size=size)

    def received(self, data: bytes) -> None:
        self.bytes += data

    def assert_no_hostile_sequence(self) -> None:
        for sequence in SEQUENCES:
            assert sequence not in self.bytes, f"{sequence!r} reached the terminal"


@pytest.fixture
def env(tmp_path):
    return kring_env(tmp_path, str(tmp_path / "kring.db"))


def test_a_hostile_title_place_and_note_taker_reach_no_terminal(env):
    from kring.data.meetings import get_meeting, latest_meeting
    from kring.data.notes import list_notes

    mod = Recording("run", "--format", "standaard", "-p", "Anouk", "-p", "Bram",
                    "--title", f"{OSC52} x Titel", "--place", f"{RESET}Zaal {RED}3", env=env)
    notes = None
    try:
        mod.wait_for("Titel")
        store = open_store(env)
        meeting = get_meeting(store, latest_meeting(store))
        assert "\x1b" not in meeting.title + meeting.place
        notes = Recording("notes", "--as", f"{OSC52}Eve{RED}", env=env)
        notes.wait_for("Titel")
        notes.press(*"i: goed gesprek", "enter")
        [note] = wait_until(lambda: list_notes(store, meeting.id))
        assert note.author == "]52;c;aGVsbG8=Eve[31m]0;gehackt" and "\x1b" not in note.author
        mod.pump(0.3)
        notes.pump(0.3)
        mod.assert_no_hostile_sequence()
        notes.assert_no_hostile_sequence()
        store.close()
    finally:
        mod.stop()
        if notes is not None:
            notes.stop()


def test_a_title_stored_raw_does_not_reset_the_terminal_through_the_report(env, clock, standaard):
    from kring.data.meetings import create_meeting
    from kring.data.models import Meeting
    from tests.reportdata import add_note

    store = open_store(env)
    mid = create_meeting(store, standaard, ["Anouk"], clock)
    with store.writing() as s:  # as an older kring, or a hand-edited store, would hold it
        m = s.get(Meeting, mid)
        m.title, m.place = f"{RESET}Titel {OSC52}", f"{RESET}Zaal"
        s.add(m)
    add_note(store, mid, f"notitie {OSC52}", at=clock.now(), author=f"Eve{RESET}")
    store.close()
    for argv, needle in ((("report",), b"Titel"), (("report", "--format", "csv"), b"Eve"), (("sessions",), b"Titel")):
        term = Recording(*argv, env=env)
        deadline = time.monotonic() + 20
        while term.proc.poll() is None and time.monotonic() < deadline:
            term.pump()
        for _ in range(5):
            term.pump(0.05)
        assert term.proc.returncode == 0
        assert needle in term.bytes
        term.assert_no_hostile_sequence()
        assert b"\x1b" not in term.bytes  # a command's output has no escape at all
        term.stop()
