"""`kring notes` in a real pseudo-terminal, given what a terminal may send: bytes that are
not UTF-8, a bracketed paste holding escapes and BELs, and keys that arrive in one read
(typed fast, or batched behind Enter). The screen stays up and keys apply in their order."""

from __future__ import annotations

import os

import pytest

from tests.crashdriver import Term
from tests.ptyterm import kring_env, wait_until


@pytest.fixture
def notes(db_url, tmp_path):
    from kring.data.core.clock import SystemClock
    from kring.data.meetings import create_meeting
    from kring.data.store import Store
    from kring.workformats.loader import find

    store = Store(db_url)
    meeting = create_meeting(store, find("standaard").model_dump(mode="json"), ["Anouk", "Bram"], SystemClock(),
                             title="Invoer")
    term = Term("notes", str(meeting), "--as", "Notulist",
                env={**kring_env(tmp_path, db_url), "USER": "Notulist"}, size=(120, 36))
    try:
        assert term.until(lambda s: "Stap " in s or "Nog niet begonnen" in s, 30), term.text()
        yield term, store, meeting
    finally:
        term.stop()
        store.close()


def saved(store, meeting) -> list[tuple[str, bool]]:
    from kring.data.notes import list_notes

    return [(n.text, n.confidential) for n in list_notes(store, meeting)]


def save_and_wait(term, store, meeting, count: int) -> list[tuple[str, bool]]:
    term.key("\r")
    return wait_until(lambda: len(notes := saved(store, meeting)) >= count and notes)


def test_bytes_that_are_not_utf8_do_not_end_the_note_taker(notes):
    term, store, meeting = notes
    for raw in (b"\xe9", b"a", b"x\x9by"):  # Latin-1 "é" then "a"; a raw CSI byte pasted
        os.write(term.master, raw)
        term.pump(0.1)
    assert term.until(lambda s: "xy" in s or "x\ufffdy" in s, 10), term.text()
    assert term.alive() and "Traceback" not in term.text()
    assert save_and_wait(term, store, meeting, 1)[0][0] in ("\ufffdax\ufffdy", "ax\ufffdy", "axy", "\ufffdaxy")


def test_a_paste_with_escapes_is_one_paste_and_no_key(notes):
    term, store, meeting = notes
    term.key("\x1b[200~A\x1b]0;TITEL\x07B\x1b[31mC\x07D\u2026F\rG\x1b[201~")
    assert term.until(lambda s: "G" in "".join(l for l in s.splitlines() if l.startswith("▊")), 10), term.text()
    term.pump(0.3)
    assert saved(store, meeting) == []  # its CR was no Enter
    # the gate took its escape sequences whole and its BELs; its line break is kept; no BEL flipped confidentiality
    assert save_and_wait(term, store, meeting, 1) == [("ABCD\u2026F\nG", False)]


@pytest.mark.parametrize("typed, note", [
    ("abc\x7fd", "abd"),                                  # backspace
    ("Hallo wereld\x17iedereen", "Hallo iedereen"),       # ctrl+w: the word before the cursor
    ("klmnop\x1b[D\x1b[DXY", "klmnXYop"),                 # left, left
])
def test_editing_keys_in_one_read_apply_in_their_order(notes, typed, note):
    term, store, meeting = notes
    term.key(typed)
    assert save_and_wait(term, store, meeting, 1) == [(note, False)]
