"""Folding in the benchmarks written with the capabilities they measure.

`follow_latency.py` (the note-taker following the moderator) and `reports.py`
(reports and history at 1x, 10x, 100x) are scripts with their own command
lines. When such a module has no `run(quick)` of its own, the runner calls the
adapter here, which runs the script, reads what it prints (or the JSON it
writes) and turns it into rows of the table. A script that fails, hangs or
prints something unexpected gives a row that says so: the other figures stand.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Figure

ROOT = Path(__file__).resolve().parent.parent
FOLLOW_TARGET_MS = 300
REPORT_TARGET_S = 0.5


def _script(argv: list[str], timeout: float, env: dict[str, str] | None = None) -> tuple[int | None, str, str]:
    """Run `python argv…` in a session of its own; on timeout, end it and everything it started."""
    proc = subprocess.Popen([sys.executable, *argv], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})}, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        return None, out, err
    return proc.returncode, out, err


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data.decode(errors="replace") if isinstance(data, bytes) else data


def _why(code: int | None, out: str, err: str, timeout: float) -> str:
    if code is None:
        return f"not measured: no result within {timeout:.0f} s"
    last = (err.strip().splitlines() or out.strip().splitlines() or ["no output"])[-1]
    return f"not measured: exit {code} ({last[:120]})"


# --- 4. follow latency -----------------------------------------------------------------------

_FIG = re.compile(r"(min|median|mean|p95|max)\s+([\d.]+)\s*ms")


def follow_latency(quick: bool = False) -> list[Figure]:
    moves = 5 if quick else 50
    timeout = 180.0 if quick else 600.0
    stores = [("SQLite", None)]
    pg = os.environ.get("KRING_TEST_PG")
    if pg:
        stores.append(("PostgreSQL", pg))
    figures: list[Figure] = []
    for label, server in stores:
        argv = ["bench/follow_latency.py", "--moves", str(moves)]
        if server:
            try:
                sys.path.insert(0, str(ROOT))
                from tests.pg import fresh_database

                argv += ["--db", fresh_database(server)]
            except Exception as exc:  # noqa: BLE001 - the server is optional
                figures.append(Figure("4 follow latency", f"{label}: moderator key to note-taker's screen", None,
                                      "ms", target=f"p95 < {FOLLOW_TARGET_MS} ms",
                                      note=f"not measured: {type(exc).__name__}: {exc}"))
                continue
        code, out, err = _script(argv, timeout)
        found = {k: float(v) for k, v in _FIG.findall(out)}
        if code != 0 or "p95" not in found:
            figures.append(Figure("4 follow latency", f"{label}: moderator key to note-taker's screen", None, "ms",
                                  target=f"p95 < {FOLLOW_TARGET_MS} ms", note=_why(code, out, err, timeout)))
            continue
        anchor = "store watcher polls every 0.2 s"
        m = re.search(r"watcher every ([\d.]+) s", out)
        if m:
            anchor = f"store watcher polls every {m.group(1)} s"
        figures.append(Figure("4 follow latency", f"{label}: moderator write to note-taker's screen, p50",
                              found.get("median"), "ms", anchor=anchor, note=f"{moves} moves"))
        figures.append(Figure("4 follow latency", f"{label}: moderator write to note-taker's screen, p95",
                              found["p95"], "ms", target=f"< {FOLLOW_TARGET_MS} ms", anchor=anchor,
                              met=found["p95"] < FOLLOW_TARGET_MS, note=f"max {found.get('max', 0):g} ms"))
    return figures


# --- 5. reports and history ------------------------------------------------------------------

# (bench, what begins with) -> the row's name; the first scale has the 0.5 s target
_REPORT_ROWS = [
    ("report", "Markdown", "Markdown report, 2 000 notes and 12 evaluations"),
    ("report", "HTML", "HTML report, 2 000 notes and 12 evaluations"),
    ("history", "the screen's list, all networks",
     "history: the screen's list (counts + newest 2 000), 1 000 meetings"),
    ("history", "one network's trend", "history: one network's trend"),
    ("history", "search two common words", "history: search across all notes"),
]


def reports(quick: bool = False) -> list[Figure]:
    """The whole `kring report` command from outside (bench/report_command.py), then the
    building and rendering in one process at 1x, 10x and 100x (bench/reports.py)."""
    try:
        from bench import report_command

        figures = report_command.run(quick=quick)
    except Exception as exc:  # noqa: BLE001 - the other figures stand
        figures = [Figure("5 reports", "kring report, whole command", None, "x",
                          target=f"<= {report_command.TARGET}x", note=f"not measured: {type(exc).__name__}: {exc}")]
    return figures + _reports_in_process(quick)


def _reports_in_process(quick: bool = False) -> list[Figure]:
    scales = [1] if quick else [1, 10, 100]
    timeout = 300.0 if quick else 1800.0
    with tempfile.TemporaryDirectory(prefix="kring-bench-reports-") as folder:
        path = Path(folder) / "reports.json"
        argv = ["-m", "bench.reports", "--scales", ",".join(map(str, scales)), "--json", str(path)]
        if quick:
            argv += ["--runs", "1"]
        code, out, err = _script(argv, timeout)
        if code != 0 or not path.exists():
            return [Figure("5 reports", "reports and history", None, "s", target=f"< {REPORT_TARGET_S} s",
                           note=_why(code, out, err, timeout))]
        data = json.loads(path.read_text())
    rows = data.get("figures", [])
    figures: list[Figure] = []
    for bench, start, name in _REPORT_ROWS:
        found = {r["scale"]: r for r in rows if r.get("bench") == bench and r.get("what", "").startswith(start)}
        if not found:
            figures.append(Figure("5 reports", name, None, "s", target=f"< {REPORT_TARGET_S} s",
                                  note="not measured: bench/reports.py did not report it"))
            continue
        first = min(found)
        base = found[first]["seconds"]
        growth = []
        cpu_growth = []  # beside the figure: what the work cost, without the waits for a core
        linear = True
        for scale in sorted(found):
            if scale == first:
                continue
            g = found[scale]["seconds"] / base if base else float("inf")
            factor = scale / first
            linear = linear and g <= factor
            growth.append(f"{scale}x: {found[scale]['seconds']:.3g} s ({g:.1f}x)")
            if found[scale].get("cpu_seconds") and found[first].get("cpu_seconds"):
                cpu_growth.append(f"{scale}x: {found[scale]['cpu_seconds'] / found[first]['cpu_seconds']:.1f}x")
        largest = found[max(found)]
        if len(found) > 1 and largest.get("waited_seconds"):
            cpu_growth.append(f"at {max(found)}x the quickest run waited {largest['waited_seconds']:.2g} s for a core")
        met = base < REPORT_TARGET_S and linear
        target = f"< {REPORT_TARGET_S} s" + ("; growth <= size" if len(found) > 1 else "")
        figures.append(Figure(
            "5 reports", name, round(base, 3), "s", target=target,
            anchor=("; ".join(growth) or f"{first}x only") + (" (linear or better)" if growth and linear else ""),
            met=met, note=found[first].get("size", "") + (f"; CPU {', '.join(cpu_growth)}" if cpu_growth else ""),
            detail={str(s): r for s, r in found.items()},
        ))
    return figures
