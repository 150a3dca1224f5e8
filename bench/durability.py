"""10. Durability per keystroke: `kring notes` killed with SIGKILL 0, 50, 100 and
200 ms after the last key appeared on screen; the characters the next start does
not bring back are counted (target: 0). The reliability suite runs the same at
100 kills (tests/test_reliability_keystrokes.py)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import time

from bench.common import Figure, isolated_env, workdir
from bench.startup import agenda_shown
from bench.term import KRING, Term

DELAYS = (0.0, 0.05, 0.1, 0.2)
WORDS = ["plan", "casus", "vraag", "ronde", "besluit", "actie", "inzicht", "vrijdag"]


def in_input(screen: str, text: str) -> bool:
    """`text` in the note input's line (its tall border), not elsewhere: the line of
    prefixes under the list says "v:vraag", and the input may not show it yet."""
    return any(text in line for line in screen.splitlines() if line.startswith("▊"))


def run(quick: bool = False) -> list[Figure]:
    from kring.data.draftjournal import recover
    from kring.data.meetings import latest_meeting
    from kring.data.notes import draft_key, list_notes
    from kring.data.store import Store

    folder = workdir("durability")
    try:
        env = isolated_env(folder)
        first = Term([KRING, "demo"], env=env, size=(100, 30))
        first.wait_until(agenda_shown, timeout=60)
        first.stop()
        store = Store.open(env["KRING_DB"])
        meeting = latest_meeting(store)
        key = draft_key("Sanne", "notulist")
        rng = random.Random(17)
        kills = 4 if quick else 40
        current, lost = "", 0
        for n in range(kills):
            term = Term([KRING, "notes", str(meeting), "--as", "Sanne"], env=env, size=(120, 30))
            try:
                term.wait_until(lambda t: "Stap " in t and (not current or in_input(t, current[-40:])), timeout=60)
                if len(current) > 60:  # a full note: Enter saves it, the next begins
                    term.send("\r")
                    deadline = time.monotonic() + 30
                    while not any(n.text == current for n in list_notes(store, meeting)):
                        term.pump(0.05)
                        if time.monotonic() > deadline:
                            raise RuntimeError(f"the note {current!r} was not stored")
                    current = ""
                word = (" " if current else "") + rng.choice(WORDS)
                for ch in word:
                    term.send(ch)
                    term.pump(rng.uniform(0.005, 0.03))
                current += word
                term.wait_until(lambda t: in_input(t, current[-40:]), timeout=30)
                time.sleep(DELAYS[n % len(DELAYS)])
                os.killpg(term.proc.pid, signal.SIGKILL)
                term.proc.wait(10)
            finally:
                term.stop()
            draft = recover(store, meeting, key)
            got = draft.text if draft is not None else ""
            lost += len(current) - len(os.path.commonprefix([got, current]))
        store.close()
        return [Figure("10 durability", "characters lost, kill -9 0/50/100/200 ms after the last key shown", lost,
                       "chars", target="0", anchor=f"{kills} kills of kring notes in a real terminal", met=lost == 0,
                       note="the draft journal: each key written before its echo is painted")]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    import sys

    for f in run(quick="--quick" in sys.argv):
        print(f)
