"""2. Idle bandwidth: bytes a second written to the terminal while a countdown
runs and nobody touches a key, at 120x36, against termdown counting down in a
terminal of the same size, in the same run.

Both run in a pseudo-terminal; every byte the program writes is counted after
it has settled (its first full paint is not idle).
"""

from __future__ import annotations

import shutil
import sys

from bench.common import Figure, isolated_env, workdir
from bench.term import BIN, KRING, Term

TARGET = 1.0
SIZE = (120, 36)


def bytes_per_second(argv: list[str], env: dict[str, str], ready, seconds: float, settle: float = 2.0) -> float:  # noqa: ANN001
    with Term(argv, env=env, size=SIZE) as term:
        term.wait_until(ready, timeout=60)
        term.drain(settle)
        return term.drain(seconds) / seconds


def termdown() -> str | None:
    exe = BIN / "termdown"
    return str(exe) if exe.exists() else shutil.which("termdown")


def run(quick: bool = False) -> list[Figure]:
    seconds = 4.0 if quick else 20.0
    folder = workdir("idle")
    try:
        env = isolated_env(folder)
        kring_bps = bytes_per_second([KRING, "demo"], env, lambda t: "Stap 1 van" in t, seconds)
        anchor = termdown()
        if anchor is None:
            return [
                Figure("2 idle bandwidth", "kring demo, countdown running, no keys", round(kring_bps), "B/s",
                       anchor="termdown: not installed", note="install the bench extra for the anchor"),
            ]
        # termdown's own clock: 30 minutes, its default big font
        td_bps = bytes_per_second([anchor, "30m"], env, lambda t: t.strip() != "", seconds)
        ratio = kring_bps / td_bps if td_bps else float("inf")
        return [
            Figure("2 idle bandwidth", "kring demo, countdown running, no keys", round(kring_bps), "B/s",
                   anchor=f"termdown 30m: {round(td_bps)} B/s", note=f"{SIZE[0]}x{SIZE[1]}, {seconds:.0f} s"),
            Figure("2 idle bandwidth", "idle bytes ratio to termdown", round(ratio, 2), "x",
                   target=f"<= {TARGET}x", anchor="termdown = 1.0x", met=ratio <= TARGET),
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    for f in run(quick="--quick" in sys.argv):
        print(f)
