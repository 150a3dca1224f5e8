"""Durability per keystroke: the note-taker's `kring notes` in a real pseudo-terminal,
killed with SIGKILL 0, 50, 100 or 200 ms after the last key appeared on screen.

Every character that was on screen must come back on the next start (what
kring.data.draftjournal.recover gives the notes screen, and what the restarted
screen shows). KRING_KEYSTROKE_KILLS sets the number of kills (default 100).
"""

from __future__ import annotations

import os
import random
import time

from tests.crashdriver import Term, say
from tests.ptyterm import kring_env

KILLS = int(os.environ.get("KRING_KEYSTROKE_KILLS", "100"))
DELAYS = (0.0, 0.05, 0.1, 0.2)  # seconds after the last key was seen on screen
WORDS = ["plan", "casus", "vraag", "ronde", "besluit", "actie", "inzicht", "joris", "anouk", "vrijdag"]


def in_input(screen: str, text: str) -> bool:
    """`text` in the note input's line (its tall border), not elsewhere: the line of
    prefixes under the list says "v:vraag", and the input may not show it yet."""
    return any(text in line for line in screen.splitlines() if line.startswith("▊"))


def test_every_key_shown_survives_a_kill(db_url, tmp_path, request):
    from kring.data.draftjournal import recover
    from kring.data.meetings import create_meeting
    from kring.data.notes import draft_key, list_notes
    from kring.data.store import Store
    from kring.data.core.clock import SystemClock
    from kring.workformats.loader import find

    store = Store(db_url)
    meeting = create_meeting(store, find("standaard").model_dump(mode="json"), ["Anouk", "Bram"], SystemClock(),
                             title="Sleutels")
    env = {**kring_env(tmp_path, db_url), "USER": "Notulist"}
    key = draft_key("Notulist", "notulist")
    rng = random.Random(20261202)
    current, lost, kills, restarts, notes = "", 0, 0, 0, 0
    started = time.monotonic()
    while kills < KILLS:
        term = Term("notes", str(meeting), "--as", "Notulist", env=env, size=(120, 30))
        try:
            if not term.until(lambda s: "Stap " in s or "Nog niet begonnen" in s, 30):
                raise AssertionError("kring notes did not start:\n" + term.text())
            if current:
                assert term.until(lambda s: in_input(s, current[-40:]), 10), f"{current!r} did not come back:\n{term.text()}"
                restarts += 1
            if len(current) > 60:  # a full note: save it and begin the next
                term.key("\r")
                deadline = time.monotonic() + 20
                while not any(n.text == current.strip() for n in list_notes(store, meeting)):
                    term.pump(0.05)
                    assert time.monotonic() < deadline, f"the note {current!r} was not stored"
                current, notes = "", notes + 1
            word = (" " if current else "") + rng.choice(WORDS)
            for ch in word:
                term.key(ch)
                term.pump(rng.uniform(0.005, 0.03))
            current += word
            assert term.until(lambda s: in_input(s, current[-40:]), 10), f"{current!r} not shown:\n{term.text()}"
            time.sleep(DELAYS[kills % len(DELAYS)])
            term.kill()
            kills += 1
            term.proc.wait(10)
        finally:
            term.stop()
        draft = recover(store, meeting, key)
        got = draft.text if draft is not None else ""
        common = os.path.commonprefix([got, current])
        lost += len(current) - len(common)
        assert got == current, f"kill {kills}: the screen showed {current!r}, the next start brings back {got!r}"
    store.close()
    say(request, f"keystrokes: {kills} SIGKILLs 0/50/100/200 ms after the last key shown, characters lost: {lost}; "
                 f"{restarts} restarts showed the draft, {notes} notes saved; {time.monotonic() - started:.0f}s")
    assert lost == 0


def _answer_line(screen: str, text: str) -> bool:
    """`text`, all of it, on the open answer "Top"'s line, the one under its question."""
    lines = screen.splitlines()
    return any("Top:" in line and i + 1 < len(lines) and lines[i + 1].strip() == text for i, line in enumerate(lines))


def test_every_answer_key_shown_survives_a_kill(db_url, tmp_path, request):
    """The same for the evaluation form's answers (not anonymous): a digit on the first
    question and the open answer "Top" typed on, killed 0, 50, 100 or 200 ms after its
    last key showed; the next start brings back every character. KRING_KEYSTROKE_KILLS
    sets the kills here too (default 100)."""
    from kring.data.draftjournal import DraftJournal, journal_path
    from kring.data.meetings import create_meeting
    from kring.data.store import Store
    from kring.data.core.clock import SystemClock
    from kring.workformats.loader import find

    store = Store(db_url)
    meeting = create_meeting(store, find("standaard").model_dump(mode="json"), ["Anouk", "Bram"], SystemClock(),
                             title="Antwoorden")
    path = journal_path(store.url, store.path, meeting, "Anouk#evaluate")
    env = {**kring_env(tmp_path, db_url), "USER": "Anouk"}
    rng = random.Random(20261203)
    digit, current, lost, kills, restarts = None, "", 0, 0, 0
    started = time.monotonic()
    while kills < KILLS:
        term = Term("evaluate", str(meeting), "--as", "Anouk", env=env, size=(120, 36))
        try:
            if not term.until(lambda s: "1. " in s and "met je naam" in s, 30):
                raise AssertionError("kring evaluate did not start:\n" + term.text())
            if current:
                assert term.until(lambda s: _answer_line(s, current) and f"[{digit}]" in s, 10), (
                    f"{digit}, {current!r} did not come back:\n{term.text()}")
                restarts += 1
            digit = rng.randint(0, 4)
            term.key(str(digit))
            for _ in range(5):  # on to "Top", which selects what it holds as it gets the focus:
                term.key("\r")  # what is typed there replaces it, so it is typed again, and more
            current = ("" if len(current) > 30 else current + " ") + rng.choice(WORDS)
            for ch in current.lstrip():
                term.key(ch)
                term.pump(rng.uniform(0.005, 0.03))
            current = current.lstrip()
            assert term.until(lambda s: _answer_line(s, current) and f"[{digit}]" in s, 10), (
                f"{digit}, {current!r} not shown:\n{term.text()}")
            time.sleep(DELAYS[kills % len(DELAYS)])
            term.kill()
            kills += 1
            term.proc.wait(10)
        finally:
            term.stop()
        answers = (DraftJournal.read(path) or ("", {}))[1].get("answers", {})
        got = answers.get("top") or ""
        lost += len(current) - len(os.path.commonprefix([got, current])) + (answers.get("roti") != digit)
        assert (answers.get("roti"), got) == (digit, current), (
            f"kill {kills}: the screen showed {digit}, {current!r}; the journal holds {answers}")
    store.close()
    say(request, f"answer keys: {kills} SIGKILLs 0/50/100/200 ms after the last key shown, characters lost: {lost}; "
                 f"{restarts} restarts showed the answers; {time.monotonic() - started:.0f}s")
    assert lost == 0
