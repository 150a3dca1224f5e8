"""Fifty live meetings on one PostgreSQL server: its load from their followers.

Every live meeting has a note-taker whose kring follows it (the note-taker's
check runs ten times a second, NotesApp.FOLLOW_EVERY). Polling, fifty meetings
ask the server 500 times a second whether anything changed, written to or not.
With LISTEN/NOTIFY (migration 0010) a follower asks only when the server tells
it a meeting changed, and every few seconds besides.

Both designs run in the same process on the same server, one after the other:
fifty meetings, one follower each with its own connection (its own Store, as
its own process would have), and a moderator writing an event to one of the
meetings every tenth of a second (every meeting changes every five seconds). The
server's load is measured four ways over the run: the statements kring sends
(counted in this process), the database's transactions and buffer pages
touched (`pg_stat_database`; a read ends in a rollback, so both count), and
the CPU time of its backends (when the server runs on this machine). The
transactions alone mislead: each NOTIFY wakes every backend listening in the
database, which reads the notification queue in a short transaction of its
own, touching no table. The latency is from a write's commit to its follower
having loaded the meeting again.

Needs a server: KRING_BENCH_PG, else KRING_TEST_PG (a SQLAlchemy URL of a
database the benchmark may create databases from); without one it is skipped
with a note.

    python -m bench.central_load [--quick]
"""

from __future__ import annotations

import json
import os
import random
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, median, percentile  # noqa: E402

BENCH = "11 one server, many meetings"
MEETINGS = 50
FOLLOW_EVERY = 0.1  # the note-taker's check (kring.tui.notes_app.NotesApp.FOLLOW_EVERY)
STATS_SETTLE = 11.0  # seconds: PostgreSQL's statistics interval for an idle backend (10 s), and a margin
CHANGE_EVERY = 5.0  # seconds between two writes to one meeting, on average (a step, a note, a speaker)


def _server() -> str | None:
    return os.environ.get("KRING_BENCH_PG") or os.environ.get("KRING_TEST_PG")


def _fresh_database(server: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"kring_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _drop_database(server: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def _server_figures(url: str) -> tuple[int, int, float | None]:
    """The database's transactions (commits and rollbacks: a read ends in a rollback) and
    buffer pages touched so far, and the CPU seconds its backends used (None when the
    server is not on this machine)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_stat_clear_snapshot()"))
        xacts, pages = conn.execute(text(
            "SELECT xact_commit + xact_rollback, blks_hit + blks_read FROM pg_stat_database "
            "WHERE datname = current_database()")).one()
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND pid <> pg_backend_pid()")).scalars().all()
    engine.dispose()
    cpu: float | None = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # type: ignore[operator]
        except (OSError, ValueError, IndexError):
            cpu = None
            break
    return int(xacts), int(pages), cpu


def _queries_counter() -> list[int]:
    """How many statements kring's engines send (every engine of this process)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    sent = [0]

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        sent[0] += 1

    return sent


def _design(url: str, meeting_ids: list[int], seconds: float, listen: bool) -> dict[str, Any]:
    writes_per_second = len(meeting_ids) / CHANGE_EVERY
    """One run of one design: the server's transactions per second and the follow latency."""
    from kring.data.core.clock import SystemClock
    from kring.data.live import load_snapshot
    from kring.data.meetings import append_event
    from kring.data.notes import FollowToken
    from kring.data.notify import meeting_bell
    from kring.data.store import Store
    from kring.tui.follow import StoreFollower

    written: dict[int, float] = {}  # meeting -> when its newest write committed, until its follower saw it
    delays: list[float] = []
    lock = threading.Lock()
    stores = [Store(url) for _ in meeting_ids]
    followers = []
    for store, mid in zip(stores, meeting_ids):
        def post(_message: Any, mid: int = mid) -> None:
            with lock:
                at = written.pop(mid, None)
            if at is not None:
                delays.append(time.monotonic() - at)

        bell = (lambda store=store, mid=mid: meeting_bell(store, mid)) if listen else None
        followers.append(StoreFollower(FollowToken(store, mid), lambda store=store, mid=mid: load_snapshot(store, mid),
                                       post, interval=FOLLOW_EVERY, bell=bell))
    threads = [threading.Thread(target=f.follow, daemon=True) for f in followers]
    for t in threads:
        t.start()
    # Every follower has looked once (and listens), and the server has counted it: a busy
    # backend reports its transactions to pg_stat_database at most once a second, an idle
    # one within ten, so the start's burst is counted before the run, not in it.
    time.sleep(STATS_SETTLE)
    moderator, clock, rng = Store(url), SystemClock(), random.Random(7)
    sent = _queries_counter()
    xacts0, pages0, cpu0 = _server_figures(url)
    queries0 = sent[0]
    started = time.monotonic()
    writes = 0
    while time.monotonic() - started < seconds:
        mid = rng.choice(meeting_ids)
        append_event(moderator, mid, "adjust", clock.now(), {"seconds": 0})
        with lock:
            written.setdefault(mid, time.monotonic())
        writes += 1
        time.sleep(max(0.0, started + writes / writes_per_second - time.monotonic()))
    elapsed = time.monotonic() - started
    queries = sent[0] - queries0
    _x, _p, cpu1 = _server_figures(url)  # while the backends live: their CPU time
    for f in followers:
        f.stop()
    for t in threads:
        t.join(timeout=10)
    moderator.close()
    for s in stores:
        s.close()  # a backend's last figures reach pg_stat_database as it ends
    time.sleep(1.0)
    xacts1, pages1, _c = _server_figures(url)
    cpu = (cpu1 - cpu0) / elapsed if cpu0 is not None and cpu1 is not None else None
    return {"tps": (xacts1 - xacts0) / elapsed, "qps": queries / elapsed, "pages": (pages1 - pages0) / elapsed,
            "cpu": cpu, "writes": writes, "seconds": round(elapsed, 1),
            "delay_median": median(delays) if delays else None,
            "delay_p95": percentile(delays, 95) if delays else None, "seen": len(delays)}


def run(quick: bool = False) -> list[Figure]:
    server = _server()
    if not server:
        return [Figure(BENCH, "server load with LISTEN/NOTIFY against polling", None,
                       note="skipped: no PostgreSQL server (set KRING_BENCH_PG or KRING_TEST_PG)")]
    from kring.data.core.clock import SystemClock
    from kring.data.meetings import append_event, create_meeting
    from kring.data.store import Store
    from kring.workformats.loader import find

    meetings = 5 if quick else MEETINGS
    seconds = 3.0 if quick else 15.0
    url = _fresh_database(server)
    try:
        setup, clock = Store(url), SystemClock()
        fmt = find("standaard").model_dump(mode="json")
        ids = [create_meeting(setup, fmt, ["Anouk", "Bram", "Fatima"], clock, title=f"Bijeenkomst {n}")
               for n in range(meetings)]
        for mid in ids:
            append_event(setup, mid, "start", clock.now())
        setup.close()
        polling = _design(url, ids, seconds, listen=False)
        listening = _design(url, ids, seconds, listen=True)
    finally:
        _drop_database(server, url)
    scale = f"{meetings} live meetings, one follower each, each written to every {CHANGE_EVERY:.0f} s"
    figures = []
    for key, what, unit in (("qps", "queries kring sends", "queries/s"),
                            ("tps", "server transactions", "tx/s"),
                            ("pages", "server buffer pages touched", "pages/s"),
                            ("cpu", "server CPU (its backends)", "cores")):
        if polling[key] is None or listening[key] is None:
            continue
        ratio = listening[key] / polling[key] if polling[key] else None
        digits = 3 if key == "cpu" else 0
        figures.append(Figure(BENCH, f"{what}, polling", round(polling[key], digits), unit,
                              anchor=f"design: {meetings / FOLLOW_EVERY:.0f} checks/s", note=scale,
                              detail=polling if key == "qps" else {}))
        figures.append(Figure(
            BENCH, f"{what}, LISTEN/NOTIFY", round(listening[key], digits), unit,
            target="<= 0.5x polling" if key != "tps" else "",
            anchor=f"polling, same run: {polling[key]:.{digits}f} {unit}",
            met=(ratio is not None and ratio <= 0.5) if key != "tps" else None,
            note=(f"{ratio:.2f}x polling" if ratio is not None else "")
            + ("; each notification wakes every listening backend of the database, which reads the queue in "
               "a transaction of its own (no query, no table)" if key == "tps" else ""),
            detail=listening if key == "qps" else {}))
    for name, result in (("polling", polling), ("LISTEN/NOTIFY", listening)):
        if result["delay_median"] is not None:
            figures.append(Figure(
                BENCH, f"write seen by its follower, {name} (median ms)", round(result["delay_median"] * 1000, 1),
                "ms", target="<= 500 ms", met=result["delay_p95"] <= 0.5,
                note=f"p95 {result['delay_p95'] * 1000:.0f} ms over {result['seen']} writes"))
    return figures


if __name__ == "__main__":
    out = run(quick="--quick" in sys.argv)
    for f in out:
        print(f"{f.name}: {f.value} {f.unit}  {f.note}")
    print(json.dumps({"figures": [f.as_dict() for f in out]}))
