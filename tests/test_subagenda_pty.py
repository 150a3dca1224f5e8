"""kring in a real pseudo-terminal: incidentmethode inside the demo's intervision step,
kill -9 inside it, and `kring resume` comes back inside the sub-agenda."""

from __future__ import annotations

import time

import pytest

from tests.ptyterm import Terminal, kring_env, open_store, wait_until

DOWN = "\x1b[B"


@pytest.fixture
def env(tmp_path):
    return kring_env(tmp_path, str(tmp_path / "kring.db"))


def test_kill_9_inside_the_sub_agenda_then_resume_comes_back_inside(env):
    from kring.data.core.clock import SystemClock
    from kring.data.meetings import latest_meeting, load_events, timeline

    term = Terminal("demo", env=env, size=(120, 36))
    try:
        term.wait_for("Stap 1 van 5: Inchecken")
        for step in (2, 3, 4):
            term.press("n")
            term.wait_for(f"Stap {step} van 5")
        term.wait_for("W: kies een werkvorm")
        term.press("W")
        term.wait_for("Incidentmethode · 71 min")
        term.press(DOWN, "enter")  # Balintmethode first, then incidentmethode
        term.wait_for("Stap 4.1 (1 van 10, Incidentmethode)")
        term.press("n")
        term.wait_for("Stap 4.2 (2 van 10, Incidentmethode)")
        store = open_store(env)
        wait_until(lambda: [e.kind for e in load_events(store, latest_meeting(store))][-2:] == ["subagenda", "goto"])
        term.kill()  # SIGKILL: no chance to clean up
    finally:
        term.stop()

    tl = timeline(store, latest_meeting(store), SystemClock())
    assert tl.live is not None and tl.live.number == "4.2"

    term = Terminal("resume", env=env, size=(120, 36))
    try:
        term.wait_for("Stap 4.2 (2 van 10, Incidentmethode)")
        term.wait_for("▼  4. Intervisie met een werkvorm")
        term.wait_for("▶     4.2. Ieder noemt kort een incident")
        term.press("p")
        term.wait_for("Stap 4.1 (1 van 10, Incidentmethode)")
        term.press("q")
        deadline = time.monotonic() + 10
        while term.proc.poll() is None:  # read what it draws meanwhile: a full pty would block it
            assert time.monotonic() < deadline, "q did not end it"
            term.pump()
    finally:
        term.stop()
