"""3. Typing: key-to-screen time in the note-taker's input with 10,000 notes in
the meeting, against the same meeting with none.

Two `kring notes` processes run in pseudo-terminals of 120x36, one on each
store. Keys go to one at a time (the other is stopped with SIGSTOP, so it
takes no CPU), in alternating blocks, at a fast typist's pace; each key is
timed from the write to the pseudo-terminal until the screen shows it.
"""

from __future__ import annotations

import random
import shutil
import signal
import sys
import time
from pathlib import Path

from bench.common import Figure, isolated_env, median, percentile, workdir
from bench.term import KRING, Term

TARGET_RATIO = 1.2
TARGET_P95_MS = 16.0
NOTES = 10_000
LETTERS = "bfghjkmnortuvwxyz"  # no kind prefix (d, a, i, q, p, c) begins a note


def prepare(folder: Path, notes: int) -> int:
    from bench.fixtures import long_meeting, open_store

    store = open_store(folder)
    try:
        return long_meeting(store, hours=3.0, notes=notes)
    finally:
        store.close()


def notes_screen_ready(text: str) -> bool:
    return "Typ een notitie" in text or "Type a note" in text


def type_block(term: Term, keys: int, rng: random.Random) -> list[float]:
    """Type `keys` letters, a fresh word every 24; returns each key's latency in seconds."""
    out: list[float] = []
    typed = ""
    for _ in range(keys):
        if len(typed) >= 24:
            term.send("\x15")  # ctrl+u: clear the input (not timed)
            term.wait_until(lambda t, old=typed: old not in t, timeout=10)
            typed = ""
        time.sleep(rng.uniform(0.03, 0.09))  # a fast typist: 11 to 33 keys a second
        typed += rng.choice(LETTERS)
        sent = term.send(typed[-1])
        shown = term.wait_until(lambda t, now=typed: now in t, timeout=10)
        out.append(shown - sent)
    term.send("\x15")
    return out


def run(quick: bool = False) -> list[Figure]:
    try:
        import kring.screens.notes  # noqa: F401
    except ImportError as exc:
        return [Figure("3 typing", "key to screen in the note input", None, "ms",
                       target=f"p95 < {TARGET_P95_MS:.0f} ms; <= {TARGET_RATIO}x", note=f"not measured: {exc}")]
    notes = 500 if quick else NOTES
    blocks, per_block = (2, 8) if quick else (6, 40)
    folder = workdir("typing")
    rng = random.Random(3)
    terms: dict[str, Term] = {}
    try:
        envs = {}
        ids = {}
        for name, count in (("empty", 0), ("full", notes)):
            envs[name] = isolated_env(folder / name)
            ids[name] = prepare(folder / name, count)
        for name in ("empty", "full"):
            terms[name] = Term([KRING, "notes", str(ids[name]), "--as", "bench"], env=envs[name], size=(120, 36))
            terms[name].wait_until(notes_screen_ready, timeout=120)
            terms[name].drain(1.0)
            terms[name].proc.send_signal(signal.SIGSTOP)
        latencies: dict[str, list[float]] = {"empty": [], "full": []}
        for block in range(blocks):
            for name in (("empty", "full") if block % 2 == 0 else ("full", "empty")):
                term = terms[name]
                term.proc.send_signal(signal.SIGCONT)
                term.drain(0.5)
                latencies[name] += type_block(term, per_block, rng)
                term.drain(0.3)
                term.proc.send_signal(signal.SIGSTOP)
        for term in terms.values():
            term.proc.send_signal(signal.SIGCONT)
        ms = {k: [v * 1000 for v in vals] for k, vals in latencies.items()}
        empty_med, full_med = median(ms["empty"]), median(ms["full"])
        full_p95, empty_p95 = percentile(ms["full"], 95), percentile(ms["empty"], 95)
        ratio = full_med / empty_med
        n = len(ms["full"])
        many = f"{notes:,}".replace(",", " ")
        return [
            Figure("3 typing", f"key to screen, {many} notes: median", round(full_med, 1), "ms",
                   anchor=f"empty meeting: {empty_med:.1f} ms", note=f"{n} keys each, 120x36",
                   detail={"full_ms": ms["full"], "empty_ms": ms["empty"]}),
            Figure("3 typing", f"key to screen, {many} notes: p95", round(full_p95, 1), "ms",
                   target=f"< {TARGET_P95_MS:.0f} ms", anchor=f"empty meeting: {empty_p95:.1f} ms",
                   met=full_p95 < TARGET_P95_MS),
            Figure("3 typing", "median ratio, full to empty meeting", round(ratio, 2), "x",
                   target=f"<= {TARGET_RATIO}x", anchor="empty meeting = 1.0x", met=ratio <= TARGET_RATIO),
        ]
    finally:
        for term in terms.values():
            try:
                term.proc.send_signal(signal.SIGCONT)
            except ProcessLookupError:
                pass
            term.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for f in run(quick="--quick" in sys.argv):
        print(f)
