"""How fast does the note-taker's screen follow the moderator? A measurement, not a test.

Runs a real `kring notes` App (headless, in its own process, watching the store
the usual way) and, from this process, moves the meeting on step by step the way
the moderator's App does (an event written to the store). For each move it
measures the time from just before the write to the moment the note-taker's
screen shows the new step, and prints the figures.

    .venv/bin/python bench/follow_latency.py [--moves 40] [--db URL]

The note-taker's store watcher polls `change_token` every NotesApp.FOLLOW_EVERY
(0.1 s), so the expected latency is about half that on average and a little over
it at worst, plus one query and one redraw. The goal is under half a second.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time


def follower(db: str, meeting_id: int) -> None:
    """The note-taker: prints `<step> <unix time>` each time its screen shows another step."""
    from kring.data import i18n

    i18n.setup("en")
    from kring.data.store import Store
    from kring.tui.notes_app import NotesApp

    out = sys.__stdout__

    import kring.tui.app

    class Timed(NotesApp):
        CSS_PATH = os.path.join(os.path.dirname(kring.tui.app.__file__), "app.tcss")  # relative to this file otherwise
        shown: int | None = -1

        def refresh_screen(self) -> None:
            super().refresh_screen()
            step = self.timeline().current
            text = str(self.screen.query_one("#notes-step").render()) if self.screen.is_mounted else ""
            expected = "Not started" if step is None else f"Step {step + 1} of"
            if step != self.shown and text.startswith(expected):
                self.shown = step
                out.write(f"{step} {time.time():.6f}\n")
                out.flush()

    app = Timed(Store(db), meeting_id, author="bench")
    app.run(headless=True, size=(80, 24))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=40, help="how many step changes to time")
    parser.add_argument("--db", default=None, help="store URL (default: a fresh SQLite file)")
    parser.add_argument("--follower", nargs=2, metavar=("DB", "MEETING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.follower:
        follower(args.follower[0], int(args.follower[1]))
        return 0

    from kring.data.core.clock import SystemClock
    from kring.data.meetings import append_event, create_meeting
    from kring.data.store import Store
    from kring.tui.notes_app import NotesApp
    from kring.workformats.loader import find

    folder = tempfile.mkdtemp(prefix="kring-bench-")
    db = args.db or f"sqlite:///{os.path.join(folder, 'bench.db')}"
    store = Store(db)
    clock = SystemClock()
    fmt = find("standaard").model_dump(mode="json")
    meeting_id = create_meeting(store, fmt, ["Anouk", "Bram", "Fatima", "Joris", "Lotte"], clock, title="bench")
    steps = len(fmt["steps"])

    proc = subprocess.Popen(
        [sys.executable, __file__, "--follower", db, str(meeting_id)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert proc.stdout is not None
    try:
        first = proc.stdout.readline()  # the screen's first showing (not started: step None)
        if not first:
            print("the follower did not start", file=sys.stderr)
            return 1
        latencies: list[float] = []
        step = 0
        for _ in range(args.moves):
            time.sleep(random.uniform(0.05, 0.6))  # land anywhere in the watcher's polling cycle
            step = (step + 1) % steps
            sent = time.time()
            append_event(store, meeting_id, "goto", clock.now(), {"step": step}, origin="moderator")
            while True:
                line = proc.stdout.readline()
                if not line:
                    print("the follower stopped", file=sys.stderr)
                    return 1
                shown, at = line.split()
                if shown != "None" and int(shown) == step:
                    latencies.append(float(at) - sent)
                    break
    finally:
        proc.terminate()
        proc.wait(10)

    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    interval = NotesApp.FOLLOW_EVERY
    print(f"follow latency, moderator write -> note-taker's screen ({len(ms)} moves, watcher every {interval} s)")
    print(f"  min {ms[0]:6.1f} ms   median {statistics.median(ms):6.1f} ms   mean {statistics.mean(ms):6.1f} ms")
    print(f"  p95 {p95:6.1f} ms   max {ms[-1]:6.1f} ms   goal < 500 ms: {'met' if ms[-1] < 500 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
