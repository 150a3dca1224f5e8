"""The live state is a pure function of plan, events and now — checked to the second."""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum
import pytest

from kring.data.core.clock import FakeClock
from kring.data.core.timeline import PlannedStep, derive, has_closed
from kring.data.labels import countdown


@dataclass
class Ev:
    at: pendulum.DateTime
    kind: str
    data: dict = field(default_factory=dict)


PLAN = [
    PlannedStep("Inchecken", 10 * 60, "round"),
    PlannedStep("Terugblik", 10 * 60, "round"),
    PlannedStep("Inhoud", 20 * 60, "case"),
    PlannedStep("Intervisie", 45 * 60, "open"),
    PlannedStep("Evaluatie", 15 * 60, "round"),
]


class Log:
    def __init__(self, clock: FakeClock) -> None:
        self.clock, self.events = clock, []

    def __call__(self, kind: str, **data) -> None:
        self.events.append(Ev(self.clock.now(), kind, data))

    def state(self):
        return derive(PLAN, self.events, self.clock.now())


@pytest.fixture
def log(clock):
    return Log(clock)


def test_before_start_nothing_runs(log, clock):
    tl = log.state()
    assert tl.current is None and not tl.running
    assert tl.projected_end == clock.now().add(minutes=100)
    clock.advance(minutes=7)
    assert log.state().steps[0].elapsed == 0


def test_three_hour_meeting_with_pauses_extensions_overruns_and_going_back(log, clock):
    t0 = clock.now()
    log("start")
    clock.advance(minutes=12)  # check-in runs 2 minutes over
    tl = log.state()
    assert tl.live.remaining == -120 and countdown(tl.live.remaining) == "+02:00"
    assert tl.delay_seconds == 120
    log("goto", step=1)
    clock.advance(minutes=4)
    log("pause")  # coffee: 15 minutes that do not count for the step
    clock.advance(minutes=15)
    tl = log.state()
    assert tl.steps[1].elapsed == 240 and not tl.running
    # the meeting as a whole slips while paused: 2 over + 15 paused
    assert tl.delay_seconds == 17 * 60
    log("resume")
    clock.advance(minutes=6)
    log("adjust", step=1, seconds=120)  # "+" twice
    log("adjust", step=1, seconds=60)
    log("adjust", step=1, seconds=-60)
    tl = log.state()
    assert tl.steps[1].planned == 12 * 60 and tl.steps[1].remaining == 2 * 60
    clock.advance(minutes=2)
    log("goto", step=2)
    clock.advance(minutes=25)  # content runs 5 over
    log("goto", step=1)  # back a step: its timer goes on where it stopped
    clock.advance(minutes=3)
    tl = log.state()
    assert tl.current == 1 and tl.steps[1].elapsed == 15 * 60 and tl.steps[1].remaining == -3 * 60
    log("goto", step=3)
    clock.advance(minutes=50)
    log("adjust", step=3, seconds=-600)  # "-" below what has already run: overrun grows
    tl = log.state()
    assert tl.steps[3].planned == 35 * 60 and tl.steps[3].remaining == -15 * 60
    log("goto", step=4)
    clock.advance(minutes=20)
    log("close")
    clock.advance(minutes=120)
    tl = log.state()
    assert tl.closed and not tl.running
    assert [round(s.elapsed) for s in tl.steps] == [720, 900, 1500, 3000, 1200]
    total_run = sum(s.elapsed for s in tl.steps)
    assert total_run == (12 + 15 + 25 + 50 + 20) * 60
    assert tl.started_at == t0
    assert tl.closed_at == t0.add(minutes=12 + 4 + 15 + 6 + 2 + 25 + 3 + 50 + 20)
    assert tl.projected_end == tl.closed_at  # after closing nothing moves
    assert (tl.closed_at - t0).total_seconds() == 137 * 60
    assert tl.delay_seconds == 37 * 60


def test_goto_before_start_starts_the_meeting(log, clock):
    log("goto", step=2)
    clock.advance(seconds=90)
    tl = log.state()
    assert tl.current == 2 and tl.running and tl.steps[2].elapsed == 90
    assert tl.started_at is not None


def test_projected_end_counts_only_what_is_ahead(log, clock):
    log("start")
    clock.advance(minutes=3)
    tl = log.state()
    assert tl.projected_end == clock.now().add(minutes=7 + 90)
    assert tl.delay_seconds == 0


def test_minus_never_plans_below_zero(log):
    log("start")
    for _ in range(15):
        log("adjust", seconds=-60)
    assert log.state().steps[0].planned == 0


def test_speaking_time_follows_speaker_events(log, clock):
    log("start")
    log("speaker", name="Anouk")
    clock.advance(seconds=70)
    log("speaker", name="Bram")
    clock.advance(seconds=30)
    log("pause")
    clock.advance(minutes=5)
    log("resume")
    clock.advance(seconds=20)
    log("speaker", name="Anouk")
    clock.advance(seconds=10)
    tl = log.state()
    assert tl.speaking["Anouk"].seconds == 80 and tl.speaking["Anouk"].turns == 2
    assert tl.speaking["Bram"].seconds == 50 and tl.speaking["Bram"].turns == 1


def test_unknown_event_kinds_are_ignored(log, clock):
    log("start")
    log("something-from-a-newer-kring", x=1)
    clock.advance(seconds=5)
    assert log.state().steps[0].elapsed == 5


def test_countdown_rounding():
    assert countdown(600) == "10:00"
    assert countdown(599.2) == "10:00"
    assert countdown(0.5) == "00:01"
    assert countdown(-0.5) == "+00:00"
    assert countdown(-61) == "+01:01"
    assert countdown(3725) == "62:05"


def test_a_close_in_the_log_says_closed_as_the_derived_timeline_does(log, clock):
    steps = [("start", {}), ("next", {}), ("pause", {}), ("close", {}), ("start", {})]
    for kind, data in steps:
        assert has_closed(log.events) == log.state().closed
        log(kind, **data)
        clock.advance(minutes=3)
    assert has_closed(log.events) and log.state().closed
