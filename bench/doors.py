"""9. Every door: each way into kring, until its first useful screen, against the
one-line Textual app, alternating in one run (medians); and the CPU seconds each
process used until that screen, which a busy machine disturbs far less than the
wall clock.

The doors: `kring run` (a new meeting), `resume`, `notes`, `evaluate`, `serve`
(its link printed) and `demo` on a new store, all on SQLite. `demo` reopening its
meeting is benchmark 1.
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid

from bench.common import Figure, isolated_env, median, workdir
from bench.startup import ANCHOR, TARGET, agenda_shown, compile_bytecode, one_line_shown
from bench.term import KRING, Term


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_screen(argv: list[str], env: dict[str, str], shown, size=(100, 30), timeout: float = 60.0
                 ) -> tuple[float, float | None]:
    """(seconds until `shown(screen)`, CPU seconds the process had used by then)."""
    term = Term(argv, env=env, size=size)
    try:
        at = term.wait_until(shown, timeout=timeout)
        return at - term.started, _cpu_seconds(term.proc.pid)
    finally:
        term.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _meeting_ready(text: str) -> bool:
    return "Inchecken" in text and ("Klaar:" in text or "Stap 1 van" in text)


def _notes_shown(text: str) -> bool:
    return "Stap " in text or "Nog niet begonnen" in text


def _form_shown(text: str) -> bool:
    return "1. " in text and ("met je naam" in text or "Anoniem" in text)


def doors(folder) -> list[tuple[str, str, object, object]]:  # noqa: ANN001
    """(name, what is awaited, argv maker, shown)."""
    return [
        ("run", "a new meeting's agenda", lambda: [KRING, "run", "--format", "standaard", "-p", "Anouk", "-p", "Bram"],
         _meeting_ready),
        ("resume", "the live meeting's agenda", lambda: [KRING, "resume", "1"], _meeting_ready),
        ("notes", "the note-taker's screen", lambda: [KRING, "notes", "1", "--as", "Sanne"], _notes_shown),
        ("evaluate", "a participant's form", lambda: [KRING, "evaluate", "1", "--as", "Anouk"], _form_shown),
        ("serve", "its link printed", lambda: [KRING, "serve", "--port", str(_free_port())],
         lambda t: "http://" in t),
        ("demo, new store", "agenda and clock",
         lambda: [KRING, "--db", str(folder / f"new-{uuid.uuid4().hex[:8]}.db"), "demo"], agenda_shown),
    ]


def run(quick: bool = False) -> list[Figure]:
    compile_bytecode()
    folder = workdir("doors")
    try:
        env = isolated_env(folder)
        rounds = 2 if quick else 7
        first_screen([KRING, "demo"], env, agenda_shown)  # the store, its network and live meeting
        first_screen(ANCHOR, env, one_line_shown)
        figures: list[Figure] = []
        for name, awaited, argv, shown in doors(folder):
            try:
                first_screen(argv(), env, shown)  # caches warm, as for the anchor
            except Exception as exc:  # noqa: BLE001 - a door that does not open is said, not fatal
                figures.append(Figure("9 doors", f"kring {name}: {awaited}", None, "", note=f"did not open: "
                                      f"{str(exc).splitlines()[0][:80]}"))
                continue
            kring, anchor, kcpu, acpu = [], [], [], []
            for i in range(rounds):
                for who in (("kring", "anchor") if i % 2 == 0 else ("anchor", "kring")):
                    if who == "kring":
                        t, c = first_screen(argv(), env, shown)
                        kring.append(t)
                        kcpu.append(c)
                    else:
                        t, c = first_screen(ANCHOR, env, one_line_shown)
                        anchor.append(t)
                        acpu.append(c)
            ratio = median(kring) / median(anchor)
            cpu_k = median([c for c in kcpu if c is not None] or [0.0])
            cpu_a = median([c for c in acpu if c is not None] or [0.0])
            cpu_ratio = cpu_k / cpu_a if cpu_a else None
            figures.append(Figure(
                "9 doors", f"kring {name}: {awaited}", round(ratio, 2), "x", target=f"<= {TARGET}x",
                anchor=f"one-line Textual app = 1.0x ({round(median(anchor) * 1000)} ms)", met=ratio <= TARGET,
                note=f"{round(median(kring) * 1000)} ms; CPU to that screen {cpu_k:.2f} s vs {cpu_a:.2f} s"
                     + (f" ({cpu_ratio:.2f}x)" if cpu_ratio else "") + f"; medians of {rounds}, alternating",
                detail={"kring_s": kring, "anchor_s": anchor, "kring_cpu_s": kcpu, "anchor_cpu_s": acpu}))
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    import sys

    for f in run(quick="--quick" in sys.argv):
        print(f)
