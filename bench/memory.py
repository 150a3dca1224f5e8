"""6. Memory: peak resident size after a simulated three-hour meeting with
2,000 notes, for the moderator's agenda and for the note-taker's screen.

Each client runs in a child process of its own (so nothing of the runner is
counted), headless at 120x36 on a fake clock that is moved through three
hours in steps of ten seconds, with a screen refresh at every step. The
moderator steps through the agenda, gives the floor and adds minutes while
another terminal files the notes; the note-taker types and saves one note in
ten itself (Enter), the others arriving from a second note-taker through the
store, as do the moderator's events. (Typing all 2,000 through the input
measures the same memory but takes minutes: the note list is rebuilt each time.)
The anchor is the same client at the start of that meeting.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from bench.common import Figure, workdir

TARGET_MB = 150
STEP_S = 30
TYPED_EVERY = 10  # the note-taker types one note in ten itself


def _status(field: str) -> float | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return None


def peak_mb() -> float:
    """The process's high-water mark of resident memory."""
    return _status("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def current_mb() -> float:
    return _status("VmRSS") or peak_mb()


async def simulate(role: str, folder: Path, hours: float, notes: int) -> dict:
    import os

    os.environ.setdefault("KRING_LANG", "nl")
    from kring.data import i18n

    i18n.setup("nl")
    import pendulum

    from bench.fixtures import PEOPLE, WORDS, add_notes, open_store, standaard
    from kring.data.core.clock import FakeClock
    from kring.data.meetings import append_event, create_meeting

    store = open_store(folder)
    clock = FakeClock(pendulum.now().subtract(hours=hours))
    fmt = standaard()
    meeting_id = create_meeting(store, fmt, PEOPLE, clock, title="Benchmark: geheugen")
    rng = random.Random(6)
    ticks = int(hours * 3600 / STEP_S)
    steps = len(fmt["steps"])
    if role == "moderator":
        from kring.tui.app import KringApp

        app = KringApp(store, meeting_id, clock=clock, watch=False)
    else:
        from kring.tui.notes_app import NotesApp

        append_event(store, meeting_id, "start", clock.now(), origin="bench")
        app = NotesApp(store, meeting_id, clock=clock, author="bench", watch=False)
    result: dict = {"role": role, "ticks": ticks}
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        if role == "moderator":
            app.record("start")
        result["start_mb"] = current_mb()
        filed = typed = 0
        for tick in range(1, ticks + 1):
            clock.advance(STEP_S)
            step = min(steps - 1, tick * steps // ticks)
            due = notes * tick // ticks  # notes filed by now
            if role == "moderator":
                tl = app.timeline()
                if tl.current is not None and step > tl.current:
                    app.record("goto", {"step": step})
                if tick % 12 == 0:
                    app.record("speaker", {"name": rng.choice(PEOPLE)})
                if due > filed:  # the note-taker's terminal filed these
                    add_notes(store, meeting_id, due - filed, clock.now(), 1.0, fmt, rng)
                    filed = due
                    app.outbox.flush()
                    app._changed_in_store(None)
            else:
                if tick % 12 == 0 or (step > 0 and tick == step * ticks // steps + 1):
                    tl = app.timeline()
                    if tl.current is not None and step > tl.current:
                        append_event(store, meeting_id, "goto", clock.now(), {"step": step}, origin="moderator")
                    append_event(store, meeting_id, "speaker", clock.now(), {"name": rng.choice(PEOPLE)},
                                 origin="moderator")
                    app._changed_in_store(None)
                box = app.screen.query_one("#note-input")
                while filed < due:
                    if filed % TYPED_EVERY == 0:  # this terminal types it
                        box.set_text(" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 18))))
                        await pilot.press("enter")
                        typed += 1
                    else:  # a second note-taker's, through the store
                        add_notes(store, meeting_id, 1, clock.now(), 1.0, fmt, rng)
                    filed += 1
                app.outbox.flush()
                if tick % 4 == 0:  # the watcher's reload (every store change, in the real thing)
                    app._changed_in_store(None)
            app.refresh_screen()
            await pilot.pause()
        app.outbox.flush()
        app._changed_in_store(None)
        await pilot.pause()
        result["notes"] = filed
        result["typed"] = typed
        result["end_mb"] = current_mb()
        result["peak_mb"] = peak_mb()
    store.close()
    return result


def child(role: str, folder: str, hours: float, notes: int) -> None:
    print(json.dumps(asyncio.run(simulate(role, Path(folder), hours, notes))))


def measure(role: str, hours: float, notes: int) -> dict:
    folder = workdir(f"memory-{role}")
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bench.memory", "--child", role, str(folder), str(hours), str(notes)],
            capture_output=True, text=True, timeout=1800, cwd=Path(__file__).resolve().parent.parent,
            env={**__import__("os").environ, "KRING_LANG": "nl", "KRING_CONFIG_DIR": str(folder / "config"),
                 "XDG_DATA_HOME": str(folder / "xdg-data"), "XDG_CONFIG_HOME": str(folder / "xdg-config"),
                 "XDG_STATE_HOME": str(folder / "xdg-state"), "HOME": str(folder / "home")},
        )
        if out.returncode != 0:
            raise RuntimeError(f"memory child ({role}) failed: {out.stderr.strip().splitlines()[-1:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(quick: bool = False) -> list[Figure]:
    hours, notes = (0.1, 40) if quick else (3.0, 2000)
    figures = []
    for role, label in (("moderator", "moderator's agenda"), ("notes", "note-taker's screen")):
        r = measure(role, hours, notes)
        peak = r["peak_mb"]
        figures.append(Figure(
            "6 memory", f"peak resident size, {label}", round(peak), "MB", target=f"< {TARGET_MB} MB",
            anchor=f"same client at the start: {round(r['start_mb'])} MB", met=peak < TARGET_MB,
            note=f"{hours:g} h on a fake clock, {r['notes']} notes"
                 + (f" ({r['typed']} typed here)" if r.get("typed") else "") + f", refresh every {STEP_S} s",
            detail=r,
        ))
    return figures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3], float(sys.argv[4]), int(sys.argv[5]))
    else:
        for f in run(quick="--quick" in sys.argv):
            print(f)
