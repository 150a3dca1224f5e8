"""1. Start-up: launching `kring demo` until the agenda and its clock are on
screen, against the smallest Textual app that shows one line, measured
alternately in the same run."""

from __future__ import annotations

import re
import shutil
import time

from bench.common import Figure, isolated_env, median, workdir
from bench.term import KRING, PYTHON, Term

TARGET = 1.3
ANCHOR = [PYTHON, "-m", "bench.anchors.one_line"]

# The agenda is on screen when the live step's title, its row in the list and
# the big countdown digits are all there. The digits are drawn with the box
# characters of Textual's Digits fonts, plain and bold (the agenda's is bold:
# "┏━┓"); an earlier pattern knew only the plain font's corners, so it waited
# for the side panel's border and counted start-up some 30 ms late. In a larger
# window the digits are full blocks (kring.tui.widgets.countdown).
_DIGITS = re.compile(r"[╭╮╰╯│─╶╴╷╵┌┐└┘├┤┬┴┼━┃┏┓┗┛┣┫┻┳╋╸╹╺╻┷═╪╫█]{2}")


def agenda_shown(text: str) -> bool:
    return "Stap 1 van" in text and "1. Inchecken" in text and bool(_DIGITS.search(text))


def one_line_shown(text: str) -> bool:
    return "ready: one line" in text


def time_to_screen(argv: list[str], env: dict[str, str], shown, size=(80, 24), timeout: float = 60.0) -> float:
    term = Term(argv, env=env, size=size)
    try:
        at = term.wait_until(shown, timeout=timeout)
        return at - term.started
    finally:
        term.stop()


def compile_bytecode() -> None:
    """Bytecode for kring's modules and the anchor's, as installing a package makes it.

    An editable install has none until a first run writes it, and where
    PYTHONDONTWRITEBYTECODE is set (as on the machine of the README's figures)
    none is ever written: every start would compile kring from source (some
    10 ms), which an installed kring never does, while Textual's bytecode came
    with its install."""
    import compileall
    import importlib.util
    from pathlib import Path

    import bench.anchors

    folders = [Path(bench.anchors.__file__).parent]
    for area in ("data", "workformats", "screens", "tui"):
        spec = importlib.util.find_spec(f"kring.{area}")
        folders += [Path(f) for f in (spec.submodule_search_locations or [])] if spec else []
    for folder in folders:
        compileall.compile_dir(str(folder), quiet=1)


def run(quick: bool = False) -> list[Figure]:
    compile_bytecode()
    folder = workdir("startup")
    try:
        env = isolated_env(folder)
        rounds = 2 if quick else 12
        # The first run makes the store (schema, demo network, meeting): once per machine.
        first = time_to_screen([KRING, "demo"], env, agenda_shown)
        time_to_screen(ANCHOR, env, one_line_shown)  # warm the anchor's caches too
        kring, anchor = [], []
        for i in range(rounds):
            order = ((KRING, "kring"), (None, "anchor")) if i % 2 == 0 else ((None, "anchor"), (KRING, "kring"))
            for _exe, who in order:
                if who == "kring":
                    kring.append(time_to_screen([KRING, "demo"], env, agenda_shown))
                else:
                    anchor.append(time_to_screen(ANCHOR, env, one_line_shown))
        ratios = [k / a for k, a in zip(kring, anchor)]
        ratio = median(kring) / median(anchor)
        return [
            Figure("1 start-up", "kring demo to agenda and clock on screen", round(median(kring) * 1000), "ms",
                   anchor=f"one-line Textual app: {round(median(anchor) * 1000)} ms", note=f"median of {rounds}",
                   detail={"kring_s": kring, "anchor_s": anchor, "pair_ratios": ratios}),
            Figure("1 start-up", "start-up ratio to the one-line Textual app", round(ratio, 2), "x",
                   target=f"<= {TARGET}x", anchor="one-line Textual app = 1.0x", met=ratio <= TARGET,
                   note=f"medians, {rounds} alternating rounds; both with bytecode compiled, as an install has it"),
            Figure("1 start-up", "first run, store created", round(first * 1000), "ms",
                   note="once per machine: schema, demo network and meeting"),
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for f in run(quick=False):
        print(f)
