"""The whole `kring report` command, measured from outside, against the same
command for an empty meeting (and `kring report --network` against an empty
network), alternating in one run; medians.

A report is what the person waits for from the moment they press Enter until
the shell comes back: start-up, store, queries, rendering and writing. The
anchor is that same command on an empty meeting in the same store, so the
figure is what the notes themselves cost.

- meeting: 50, 500 and 5,000 notes (1x, 10x, 100x; one note of 100 KB among
  them) and 12 evaluations, in every format `kring report --format` offers;
- network: 2, 20 and 200 meetings (1x, 10x, 100x) of a network of 12 members,
  each with 40 notes and 12 evaluations, in every format of the network's report.

The target: 5,000 notes, and 20 meetings, within 1.5x of the empty one; the
time beyond the empty one grows at most linearly with the size.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

from bench.common import Figure, isolated_env, median, workdir
from bench.term import KRING

TARGET = 1.5
MEETING_NOTES = (50, 500, 5000)  # 1x, 10x, 100x; 5,000 is the target's size
NETWORK_MEETINGS = (2, 20, 200)  # 1x, 10x, 100x; 20 is the target's size
MEMBERS = 12
NOTES_PER_MEETING = 40
EVALUATIONS = 12
BIG_NOTE = 100_000  # characters
FORMATS = ("md", "html", "json", "csv")
NETWORK_FORMATS = ("md", "html", "json")


def _names(n: int) -> list[str]:
    first = ["Anouk", "Bram", "Fatima", "Joris", "Lotte", "Sanne", "Daan", "Yara", "Milan", "Eva", "Noah", "Sara"]
    return [f"{first[i % len(first)]} {chr(65 + i // len(first))}" for i in range(n)]


def _fill(store, mid: int, fmt: dict[str, Any], clock, notes: int, names: list[str], big: bool) -> None:  # noqa: ANN001
    """Notes, the steps gone through, the meeting closed, evaluations: as a meeting leaves them."""
    from sqlalchemy import insert

    from kring.data.meetings import append_event
    from kring.data.models import EvaluationResponse, Note

    from bench.reports import KINDS, _text

    append_event(store, mid, "start", clock.now())
    start = clock.now()
    steps = len(fmt["steps"])
    rows = []
    for i in range(notes):
        step = i * steps // notes
        text = _text(i)
        if big and i == notes // 2:
            text = (text + " ") * (BIG_NOTE // (len(text) + 1))
        rows.append(dict(
            uid=uuid.uuid4().hex, meeting_id=mid, kind=KINDS[i % 7], text=text, step_index=step,
            step_title=fmt["steps"][step]["title"], speaker=names[i % len(names)], author="notulist",
            at=start.add(seconds=i * 6000 // max(1, notes)), confidential=(i % 10 == 0),
            owner=names[(i + 1) % len(names)] if i % 7 == 3 else None, due="2026-12-18" if i % 7 == 3 else None,
            status="open", deleted=False, revision=1,
        ))
    with store.writing() as s:
        for chunk in range(0, len(rows), 5000):
            s.execute(insert(Note), rows[chunk:chunk + 5000])
    for step in range(1, steps):
        clock.advance(minutes=10)
        append_event(store, mid, "goto", clock.now(), {"step": step})
    clock.advance(minutes=10)
    append_event(store, mid, "close", clock.now())
    if notes:
        with store.writing() as s:
            s.execute(insert(EvaluationResponse), [
                dict(uid=uuid.uuid4().hex, meeting_id=mid, participant=names[i % len(names)], form="standaard",
                     case_bringer=False,
                     answers={"roti": i % 5, "relevance": 1 + i % 5, "safety": i % 11, "goals": 7, "method": 8,
                              "top": _text(i), "tip": _text(i + 1), "tomorrow": _text(i + 2)},
                     at=clock.now())
                for i in range(EVALUATIONS)
            ])


def seed(folder: Path, meeting_sizes: tuple[int, ...], network_sizes: tuple[int, ...]) -> dict[str, Any]:
    """One store: an empty meeting and one per size; an empty network and one per size."""
    from kring.data.core.clock import FakeClock
    from kring.data.meetings import create_meeting
    from kring.data.network_meetings import start_meeting
    from kring.data.networks import add_member, create_network
    from kring.data.store import Store

    from bench.reports import _format

    store = Store(f"sqlite:///{folder / 'kring.db'}")
    fmt = _format()
    clock = FakeClock("2026-01-05T19:00:00+01:00")
    names = _names(MEMBERS)
    meetings: dict[int, int] = {}
    for notes in (0, *meeting_sizes):
        mid = create_meeting(store, fmt, names[:5], clock, title=f"Bijeenkomst met {notes} notities")
        _fill(store, mid, fmt, clock, notes, names[:5], big=notes >= 500)
        meetings[notes] = mid
    networks: dict[int, str] = {}
    for count in (0, *network_sizes):
        name = f"Netwerk {count}"
        net = create_network(store, name, clock, theme="Meten en leren", goal="Samen beter",
                             ground_rules=["We laten elkaar uitpraten", "Wat hier gezegd wordt blijft hier"])
        for member in names:
            add_member(store, net, member, clock, questions=[f"Hoe houden we {member.split()[0]} betrokken?"])
        for _i in range(count):
            clock.advance(minutes=14 * 24 * 60)
            mid = start_meeting(store, net, fmt, clock)
            _fill(store, mid, fmt, clock, NOTES_PER_MEETING, names, big=False)
        networks[count] = name
    store.close()
    return {"meetings": meetings, "networks": networks}


def _time(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one whole command; its output goes to a file, as `-o` would."""
    before = os.times()
    start = time.perf_counter()
    out = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    took = time.perf_counter() - start
    after = os.times()
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[1:])}: exit {out.returncode}: {out.stderr.decode()[-200:]}")
    return took, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def measure(cases: dict[str, list[str]], env: dict[str, str], rounds: int) -> dict[str, tuple[list[float], list[float]]]:
    """Every case once a round, in an order that turns each round, so no case always follows another."""
    names = list(cases)
    times: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in names}
    for argv in cases.values():
        _time(argv, env)  # caches warm, bytecode written
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        if r % 2:
            order.reverse()
        for name in order:
            wall, cpu = _time(cases[name], env)
            times[name][0].append(wall)
            times[name][1].append(cpu)
    return times


FLOOR_S = 0.01  # CPU seconds: below this, the time beyond the empty one is the machine's noise


def _many(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _figures(kind: str, sizes: tuple[int, ...], unit_word: str, fmt: str, times, target_size: int,
             rounds: int) -> list[Figure]:
    """The target size against the empty one (wall clock, medians; CPU in the note), and the
    growth of the CPU seconds beyond the empty one from the smallest size to the largest:
    CPU, which a busy machine disturbs far less than the wall clock, for a difference of two
    figures."""
    wall = {n: median(times[f"{fmt} {n}"][0]) for n in (0, *sizes)}
    cpu = {n: median(times[f"{fmt} {n}"][1]) for n in (0, *sizes)}
    what = f"kring report {kind}--format {fmt}"
    empty = "network" if kind else "meeting"
    ratio = wall[target_size] / wall[0]
    figures = [Figure(
        "5 reports", f"{what}, {_many(target_size)} {unit_word}", round(ratio, 2), "x", target=f"<= {TARGET}x",
        anchor=f"empty {empty} = 1.0x ({round(wall[0] * 1000)} ms)", met=ratio <= TARGET,
        note=f"{round(wall[target_size] * 1000)} ms; CPU {cpu[target_size]:.2f} s vs {cpu[0]:.2f} s "
             f"({cpu[target_size] / cpu[0]:.2f}x); medians of {rounds}, alternating",
        detail={"seconds": {n: times[f"{fmt} {n}"][0] for n in (0, *sizes)},
                "cpu_seconds": {n: times[f"{fmt} {n}"][1] for n in (0, *sizes)}})]
    first, last = sizes[0], sizes[-1]
    beyond = {n: max(cpu[n] - cpu[0], 0.0) for n in sizes}
    factor = last / first
    grew = beyond[last] / max(beyond[first], FLOOR_S)
    figures.append(Figure(
        "5 reports", f"{what}: growth, {_many(first)} to {_many(last)} {unit_word}", round(grew, 1), "x",
        target=f"<= {factor:g}x (linear)",
        anchor="CPU beyond the empty one: " + ", ".join(f"{_many(n)}: +{beyond[n] * 1000:.0f} ms" for n in sizes),
        met=grew <= factor, note=f"wall: " + ", ".join(f"{_many(n)}: {wall[n] / wall[0]:.2f}x" for n in sizes)
        + f" the empty {empty}"))
    return figures


def run(quick: bool = False) -> list[Figure]:
    from bench.startup import compile_bytecode

    compile_bytecode()
    folder = workdir("report-command")
    meeting_sizes = (50, 500) if quick else MEETING_NOTES
    network_sizes = (2, 4) if quick else NETWORK_MEETINGS
    rounds = 2 if quick else 7
    try:
        env = {**os.environ, **isolated_env(folder)}
        ids = seed(folder, meeting_sizes, network_sizes)
        db = str(folder / "kring.db")
        figures: list[Figure] = []
        for fmt in FORMATS:
            cases = {f"{fmt} {n}": [KRING, "--db", db, "report", str(mid), "--format", fmt]
                     for n, mid in ids["meetings"].items()}
            times = measure(cases, env, rounds)
            figures += _figures("", meeting_sizes, "notes", fmt, times, meeting_sizes[-1], rounds)
        for fmt in NETWORK_FORMATS:
            cases = {f"{fmt} {n}": [KRING, "--db", db, "report", "--network", name, "--format", fmt]
                     for n, name in ids["networks"].items()}
            times = measure(cases, env, rounds)
            figures += _figures("--network ", network_sizes, "meetings", fmt, times, network_sizes[1], rounds)
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    import sys

    from bench.run import table

    print(table(run(quick="--quick" in sys.argv)))
