"""kring's performance suite: one command, a table, and JSON.

    python -m bench.run            # everything (a few minutes)
    python -m bench.run --quick    # tiny sizes: proves each benchmark still works
    python -m bench.run --only 1,2 # some of them

Every figure is printed with its target and the anchor it is measured against
in the same run. Benchmarks report; they never fail on a slow machine (the
exit status is 0 unless a benchmark could not run at all).

A benchmark is a module in this folder with `run(quick: bool) -> list` of
`bench.common.Figure` (or of dicts with the same keys: bench, name, value,
unit, target, anchor, met, note). `follow_latency.py` and `reports.py` are
written with the capabilities they measure; when one is missing, or has no
`run`, the runner says so in the table or runs it as a script
(`python -m bench.<name> [--quick]`) and takes the JSON it prints last.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # `python bench/run.py` as well as `python -m bench.run`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

# number, module, title
SUITE = [
    ("1", "startup", "start-up"),
    ("2", "idle", "idle bandwidth"),
    ("3", "typing_latency", "typing"),
    ("4", "follow_latency", "follow latency"),
    ("5", "reports", "reports and history"),
    ("6", "memory", "memory"),
    ("7", "timer_truth", "timer truth"),
    ("8", "web_serve", "browser"),
    ("9", "doors", "every door"),
    ("10", "durability", "durability per keystroke"),
    ("11", "central_load", "one server, many meetings"),
]


# --- the machine --------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load_before": _load(),
    }
    try:
        from importlib.metadata import version

        info["textual"] = version("textual")
    except Exception:  # noqa: BLE001 - informative only
        pass
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True,
                                        text=True, timeout=5).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        info["commit"] = None
    return info


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# --- running one benchmark ----------------------------------------------------------------


def _as_figure(item: Any, bench: str) -> Figure:
    if isinstance(item, Figure):
        return item
    if isinstance(item, dict):
        known = {k: item[k] for k in Figure.__dataclass_fields__ if k in item}
        known.setdefault("bench", bench)
        known.setdefault("name", "figure")
        known.setdefault("value", None)
        extra = {k: v for k, v in item.items() if k not in Figure.__dataclass_fields__}
        if extra:
            known["detail"] = {**known.get("detail", {}), **extra}
        return Figure(**known)
    return Figure(bench, str(item), None, note="unreadable result")


def _normalise(result: Any, bench: str) -> list[Figure]:
    if result is None:
        return []
    if isinstance(result, (Figure, dict)):
        if isinstance(result, dict) and "figures" in result:
            return [_as_figure(r, bench) for r in result["figures"]]
        return [_as_figure(result, bench)]
    return [_as_figure(r, bench) for r in result]


def _as_script(name: str, quick: bool, bench: str) -> list[Figure]:
    argv = [sys.executable, "-m", f"bench.{name}"] + (["--quick"] if quick else [])
    out = subprocess.run(argv, cwd=HERE.parent, capture_output=True, text=True, timeout=1800)
    lines = [ln for ln in out.stdout.strip().splitlines() if ln.strip()]
    for line in reversed(lines):
        try:
            return _normalise(json.loads(line), bench)
        except ValueError:
            continue
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        return [Figure(bench, f"bench/{name}.py", None, note=f"not measured: it failed ({last})")]
    return [Figure(bench, f"bench/{name}.py", None, note="printed no JSON: " + " | ".join(lines[-3:]))]


def run_one(number: str, name: str, title: str, quick: bool) -> list[Figure]:
    bench = f"{number} {title}"
    if importlib.util.find_spec(f"bench.{name}") is None:
        return [Figure(bench, title, None, note=f"not measured: bench/{name}.py is not there yet")]
    module = importlib.import_module(f"bench.{name}")
    runner = getattr(module, "run", None)
    if runner is None:
        from bench import external

        runner = getattr(external, name, None)  # an adapter for a script with a command line of its own
    if runner is None:
        return _as_script(name, quick, bench)
    try:
        result = runner(quick=quick)
    except TypeError as exc:
        if "quick" not in str(exc):
            raise
        result = runner()
    figures = _normalise(result, bench)
    for f in figures:
        if not f.bench or not f.bench[:1].isdigit():
            f.bench = bench
    return figures or [Figure(bench, title, None, note="reported nothing")]


# --- the table ---------------------------------------------------------------------------------


def _value(f: Figure) -> str:
    if f.value is None:
        return "—"
    v = f.value
    text = f"{v:g}" if isinstance(v, float) else str(v)
    return f"{text} {f.unit}".strip()


def _mark(f: Figure) -> str:
    return {True: "met", False: "NOT MET", None: ""}[f.met]


def table(figures: list[Figure]) -> str:
    rows = [("#", "figure", "value", "target", "anchor (same run)", "", "note")]
    for f in figures:
        rows.append((f.bench.split()[0], f.name, _value(f), f.target, f.anchor, _mark(f), f.note))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    widths[-1] = 0
    lines = []
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if w else c for c, w in zip(r, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths[:-1]) + "  ----")
    return "\n".join(lines)


def markdown(figures: list[Figure], info: dict[str, Any]) -> str:
    head = ("| # | figure | value | target | anchor (same run) | | note |\n"
            "|---|---|---|---|---|---|---|")
    body = [
        "| {} | {} | {} | {} | {} | {} | {} |".format(
            f.bench.split()[0], f.name, _value(f), f.target or "", f.anchor or "",
            {"met": "met", "NOT MET": "**not met**", "": ""}[_mark(f)], (f.note or "").replace("|", "/"))
        for f in figures
    ]
    return "\n".join([head, *body, "", describe(info)])


def describe(info: dict[str, Any]) -> str:
    load = info.get("load_before")
    text = (f"Measured {info.get('date', '')} on {info.get('cores')} cores ({info.get('cpu')}), "
            f"Python {info.get('python')}, Textual {info.get('textual', '?')}, {info.get('os')}")
    if load:
        text += f"; load average {load[0]} before the run, {(info.get('load_after') or ['?'])[0]} after"
    return text + "."


# --- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description="kring's performance suite")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to prove each benchmark still works")
    parser.add_argument("--only", default="", help="comma-separated benchmark numbers, e.g. 1,2")
    parser.add_argument("--out", default=None,
                        help="JSON file to write (default: bench/results/latest.json; with --quick, none)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args(argv)
    wanted = {x.strip() for x in args.only.split(",") if x.strip()}
    os.environ.setdefault("KRING_LANG", "nl")

    info = machine()
    info["date"] = time.strftime("%Y-%m-%d")
    info["quick"] = args.quick
    figures: list[Figure] = []
    failed = 0
    began = time.monotonic()
    for number, name, title in SUITE:
        if wanted and number not in wanted:
            continue
        print(f"[{number}] {title} …", file=sys.stderr, flush=True)
        t0 = time.monotonic()
        try:
            got = run_one(number, name, title, args.quick)
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            failed += 1
            traceback.print_exc(file=sys.stderr)
            got = [Figure(f"{number} {title}", title, None, note=f"failed: {type(exc).__name__}: {exc}")]
        for f in got:
            print(f"    {f.name}: {_value(f)} {f.target} {_mark(f)}", file=sys.stderr, flush=True)
        print(f"    ({time.monotonic() - t0:.0f} s)", file=sys.stderr, flush=True)
        figures.extend(got)
    info["load_after"] = _load()
    info["seconds"] = round(time.monotonic() - began)

    print()
    print(table(figures))
    print()
    print(describe(info))
    if args.markdown:
        print()
        print(markdown(figures, info))

    out = Path(args.out) if args.out else (None if args.quick else RESULTS / "latest.json")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"machine": info, "figures": [f.as_dict() for f in figures]}, indent=2,
                                  ensure_ascii=False) + "\n", encoding="utf-8")
        out.with_suffix(".md").write_text(markdown(figures, info) + "\n", encoding="utf-8")
        print(f"\nwritten: {out} and {out.with_suffix('.md').name}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
