"""Participants' pages (`kring serve`): how fast a phone follows, how many answers a second.

Two figures, each against a real server in a process of its own (the
participants' server as `kring serve` runs it), from a client in this process:

- follow: the moderator's key (an event written to the store, as the agenda
  writes it) to the participant's page hearing the new step on its event
  stream; p95 over many moves, each at a random moment of the follower's cycle.
  Target < 300 ms.
- answers: participants each open the form and send it, 16 at a time; answers
  stored a second, every one committed before its 303. The server's flood guard
  is widened for this (every client is one address here); the client shares the
  machine's cores with the server, so the figure is a floor.

    .venv/bin/python -m bench.web_serve [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, percentile, workdir  # noqa: E402

BENCH = "8 browser"
FOLLOW_TARGET_MS = 300
CONCURRENT = 16


def server(db: str, meeting_id: int) -> None:
    """The participants' server with the flood guard widened; prints its link."""
    from kring.data import i18n

    i18n.setup("en")
    from kring.data.core.clock import SystemClock
    from kring.data.store import Store
    from kring.web.app import Limits
    from kring.web.server import serve

    asyncio.run(serve(Store(db), meeting_id, "127.0.0.1", 0, SystemClock(),
                      announce=lambda url: print(url, flush=True), limits=Limits(rate=1e6, burst=1e6)))


def _start(db: str, meeting_id: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "bench.web_serve", "--server", db, str(meeting_id)],
                            cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    link = proc.stdout.readline().strip()
    if not link.startswith("http://"):
        proc.kill()
        raise RuntimeError("the server printed no link")
    return proc, link


async def follow(store, meeting_id: int, link: str, steps: int, moves: int) -> list[float]:  # noqa: ANN001
    import aiohttp

    from kring.data.core.clock import SystemClock
    from kring.data.meetings import append_event

    clock = SystemClock()
    latencies: list[float] = []
    async with aiohttp.ClientSession() as session, session.get(f"{link}/events") as stream:

        async def step_shown() -> int | None:
            while True:
                line = (await stream.content.readline()).decode()
                if line.startswith("data: "):
                    step = json.loads(line[6:])["step"]
                    return step["number"] if step else None

        await step_shown()
        step = 0
        for _ in range(moves):
            await asyncio.sleep(random.uniform(0.05, 0.6))  # anywhere in the follower's cycle
            step = (step + 1) % (steps - 1)  # never the evaluation step: the page would become the form
            sent = time.perf_counter()
            await asyncio.to_thread(append_event, store, meeting_id, "goto", clock.now(), {"step": step},
                                    origin="moderator")
            while await step_shown() != step + 1:
                pass
            latencies.append((time.perf_counter() - sent) * 1000)
    return latencies


async def answers(link: str, names: list[str]) -> float:
    """Answers a second: each participant opens the form and sends it."""
    import aiohttp

    seal_re = re.compile(r'name="seal" value="([^"]+)"')
    gate = asyncio.Semaphore(CONCURRENT)

    async def one(i: int, name: str) -> None:
        async with gate, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
            async with phone.get(f"{link}/form") as r:
                seal = seal_re.search(await r.text()).group(1)
            form = {"seal": seal, "who": name, "roti": str(i % 5), "relevance": str(1 + i % 5), "top": f"top {i}"}
            async with phone.post(f"{link}/form", data=form, allow_redirects=False) as r:
                if r.status != 303:
                    raise RuntimeError(f"answer {i} refused: {r.status}")

    began = time.perf_counter()
    await asyncio.gather(*(one(i, n) for i, n in enumerate(names)))
    return len(names) / (time.perf_counter() - began)


def run(quick: bool = False) -> list[Figure]:
    from kring.data.core.clock import SystemClock
    from kring.data.evaluation import progress
    from kring.data.meetings import append_event, create_meeting
    from kring.data.store import Store
    from kring.workformats.loader import find

    folder = workdir("web")
    db = f"sqlite:///{folder / 'bench.db'}"
    store = Store(db)
    clock = SystemClock()
    fmt = find("standaard").model_dump(mode="json")
    steps = len(fmt["steps"])
    figures: list[Figure] = []

    meeting = create_meeting(store, fmt, ["Anouk", "Bram", "Fatima", "Joris", "Lotte"], clock, title="bench")
    append_event(store, meeting, "start", clock.now())
    proc, link = _start(db, meeting)
    try:
        moves = 8 if quick else 60
        ms = asyncio.run(follow(store, meeting, link, steps, moves))
    finally:
        proc.terminate()
        proc.wait(20)
    p95 = percentile(ms, 95)
    figures.append(Figure(
        BENCH, "moderator key to participant's page (p95)", round(p95, 1), "ms", f"< {FOLLOW_TARGET_MS} ms",
        f"median {percentile(ms, 50):.1f} ms, max {max(ms):.1f} ms", p95 < FOLLOW_TARGET_MS,
        f"{len(ms)} moves, one event stream, SQLite", detail={"ms": [round(x, 1) for x in ms]}))

    people = 40 if quick else 400
    names = [f"Deelnemer{i:03d}" for i in range(people)]
    meeting = create_meeting(store, fmt, names, clock, title="bench answers")
    append_event(store, meeting, "goto", clock.now(), {"step": steps - 1})
    proc, link = _start(db, meeting)
    try:
        rate = asyncio.run(answers(link, names))
    finally:
        proc.terminate()
        proc.wait(20)
    stored = progress(store, meeting)["answered"]
    figures.append(Figure(
        BENCH, "answers the server takes a second", round(rate, 1), "answers/s", "", f"{os.cpu_count()} cores",
        None if stored == people else False,
        f"{people} participants, {CONCURRENT} at a time (form + send); {stored} of {people} in the store"))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--server", nargs=2, metavar=("DB", "MEETING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.server:
        server(args.server[0], int(args.server[1]))
        return 0
    for f in run(args.quick):
        print(f"{f.name}: {f.value} {f.unit}  ({f.anchor}; {f.note})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
