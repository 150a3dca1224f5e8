"""7. Timer truth: with the other cores fully loaded by busy loops, the big
countdown read off the pseudo-terminal's screen never differs from what the
event log says by more than one second.

Every few milliseconds the screen is read (pyte) and compared with the
countdown derived from the stored event log for that same instant. The run
presses keys as a moderator would (pause, resume, next step, a minute more),
so the truth moves by events as well as by time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pendulum

from bench.common import Figure, isolated_env, percentile, workdir
from bench.screenread import read_countdown, seconds_of
from bench.term import KRING, Term

TARGET = 1  # seconds
SIZE = (120, 36)  # the window: its clock is the scaled block-glyph one
# A key takes a moment to reach the screen; that is key latency, not timer
# truth. For this long after an event the screen may still show the state
# before it (counting correctly).
GRACE = 0.5
BUSY = "while True:\n    pass\n"


def busy_loops(count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(count)]


def truth_at(plan, events, wall: float, known_until: float | None = None) -> int:  # noqa: ANN001
    """Seconds the countdown should show at wall-clock time `wall`, as the screen writes them,
    from the events recorded up to `known_until` (default: `wall`)."""
    from kring.data.core.timeline import derive
    from kring.data.labels import countdown

    cut = wall if known_until is None else known_until
    tl = derive(plan, [e for e in events if e.at.timestamp() <= cut], pendulum.from_timestamp(wall))
    live = tl.live
    return seconds_of(countdown(live.remaining if live else tl.steps[0].remaining))


def difference(plan, events, wall: float, shown: str) -> int:  # noqa: ANN001
    value = seconds_of(shown)
    diff = abs(value - truth_at(plan, events, wall))
    if diff and any(wall - GRACE < e.at.timestamp() <= wall for e in events):
        diff = min(diff, abs(value - truth_at(plan, events, wall, wall - GRACE)))
    return diff


def run(quick: bool = False) -> list[Figure]:
    folder = workdir("timer")
    seconds = 6.0 if quick else 40.0
    loaders = busy_loops(max(1, (os.cpu_count() or 2) - 1))
    samples: list[tuple[float, str]] = []  # (wall time, shown)
    try:
        env = isolated_env(folder)
        with Term([KRING, "demo"], env=env, size=SIZE) as term:
            # the big clock, read at the scale this window gives it (as the projector draws it)
            term.wait_until(lambda t: read_countdown(t.splitlines(), SIZE) is not None, timeout=60)
            keys = {0.25: "space", 0.40: "space", 0.55: "n", 0.70: "plus", 0.85: "n"}
            begin = time.monotonic()
            while (elapsed := time.monotonic() - begin) < seconds:
                for at, key in list(keys.items()):
                    if elapsed >= at * seconds:
                        term.send({"plus": "+"}.get(key, key))
                        del keys[at]
                term.pump(0.01)
                shown = read_countdown(term.screen.display, SIZE)
                if shown is not None:
                    samples.append((time.time(), shown))
            term.send("q")
            try:
                term.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
    finally:
        for p in loaders:
            p.kill()
            p.wait()
    try:
        from kring.data.meetings import get_meeting, latest_meeting, load_events
        from kring.data.store import Store

        store = Store.open(env["KRING_DB"])
        meeting_id = latest_meeting(store)
        plan = get_meeting(store, meeting_id).plan
        events = load_events(store, meeting_id)
        store.close()
        diffs = [difference(plan, events, wall, shown) for wall, shown in samples]
        worst = max(diffs) if diffs else None
        return [
            Figure("7 timer truth", "largest difference, shown vs event log", worst, "s",
                   target=f"<= {TARGET} s", anchor="the event log's countdown for the same instant",
                   met=None if worst is None else worst <= TARGET,
                   note=f"{len(samples)} screen readings over {seconds:.0f} s, {len(loaders)} busy loop(s), "
                        f"keys: pause, resume, next, +1 min ({GRACE} s grace after each)",
                   detail={"samples": len(samples), "p99_diff": percentile(diffs, 99) if diffs else None,
                           "off_by_one": sum(1 for d in diffs if d == 1)}),
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for f in run(quick="--quick" in sys.argv):
        print(f)
