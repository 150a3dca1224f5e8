"""A work format inside a step (the standard meeting's intervision step): the domain.

The sub-agenda's steps are derived from the `subagenda` event like everything
live: their time is the parent step's time, their planned minutes are scaled
to what the parent has left, and moving on from the last of them goes to the
parent's next step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum

from kring.data.core.steps import FormatSteps
from kring.data.core.subagenda import scaled, start_data
from kring.data.core.timeline import derive
from kring.workformats.loader import find


@dataclass
class Ev:
    at: pendulum.DateTime
    kind: str
    data: dict = field(default_factory=dict)


def _format(name: str) -> dict:
    return find(name).model_dump(exclude_none=True)


STANDAARD = FormatSteps.of(_format("standaard"))
INCIDENT = _format("incidentmethode")


class Log:
    def __init__(self, clock) -> None:
        self.clock, self.events = clock, []

    def __call__(self, kind: str, **data) -> None:
        self.events.append(Ev(self.clock.now(), kind, data))

    def state(self):
        return derive(STANDAARD.plan, self.events, self.clock.now())

    def into_intervision(self) -> None:
        """Through the first three steps, onto the intervision step, and start incidentmethode there."""
        self("start")
        for step in (1, 2, 3):
            self.clock.advance(minutes=10)
            self("goto", step=step)
        self("subagenda", **start_data(self.state(), 3, INCIDENT))


def test_scaling_keeps_whole_minutes_and_the_parents_budget():
    copy = scaled(INCIDENT, 45)
    minutes = [s["minutes"] for s in copy["steps"]]
    assert sum(minutes) == 45 and all(isinstance(m, int) and m >= 1 for m in minutes)
    assert copy["planned_minutes"] == 71
    # the proportions stay: the 15-minute question round is the longest, the 5-minute steps the shortest
    assert max(minutes) == minutes[4] and min(minutes) == 3
    # a shorter format keeps its own length: troika consulting is not stretched to 45 minutes
    troika = _format("troika")
    assert sum(s["minutes"] for s in scaled(troika, 45)["steps"]) == round(find("troika").total_seconds / 60)
    # too little time for every step: one minute each, never nothing
    assert min(s["minutes"] for s in scaled(INCIDENT, 4)["steps"]) == 1


def test_the_standard_intervision_step_lets_the_moderator_choose():
    assert STANDAARD.offers_subagenda(3) == "choose"
    assert STANDAARD.offers_subagenda(0) is None


def test_the_sub_agenda_is_nested_and_its_first_step_goes_live(log_clock):
    log, clock = log_clock
    log.into_intervision()
    tl = log.state()
    parent = tl.steps[3]
    subs = tl.children(3)
    assert [s.number for s in subs][:3] == ["4.1", "4.2", "4.3"]
    assert tl.current == subs[0].index == 5 and tl.live.parent == 3
    assert sum(s.planned for s in subs) == parent.planned == 45 * 60
    # the agenda's order: the parent, its steps, then the parent's next step
    assert tl.order == [0, 1, 2, 3, *[s.index for s in subs], 4]
    assert tl.following(subs[-1].index) == 4 and tl.preceding(subs[0].index) == 3
    assert tl.is_last(4) and not tl.is_last(subs[-1].index)
    assert tl.planned_total == 100 * 60  # the sub-agenda is inside the parent's time, not added to it


def test_time_in_a_sub_step_is_the_parents_time_too(log_clock):
    log, clock = log_clock
    log.into_intervision()
    clock.advance(minutes=2)
    tl = log.state()
    assert tl.live.elapsed == 120 and tl.steps[3].elapsed == 120
    assert tl.steps[3].remaining == 43 * 60  # honest: the parent's own countdown goes on inside
    # the expected end counts the sub-agenda's steps still to come, then the steps after the parent
    sub_left = sum(s.remaining for s in tl.children(3))
    assert tl.projected_end == clock.now().add(seconds=sub_left + 15 * 60)


def test_a_minute_more_inside_is_a_minute_more_for_the_parent(log_clock):
    log, clock = log_clock
    log.into_intervision()
    log("adjust", step=log.state().current, seconds=60)
    tl = log.state()
    assert tl.live.planned == tl.live.base_seconds + 60 and tl.steps[3].planned == 46 * 60


def test_moving_on_from_the_last_sub_step_goes_to_the_parents_next_step(log_clock):
    log, clock = log_clock
    log.into_intervision()
    tl = log.state()
    for index in [s.index for s in tl.children(3)][1:]:
        clock.advance(minutes=4)
        log("goto", step=index)
    clock.advance(minutes=4)
    log("goto", step=log.state().following(log.state().current))
    tl = log.state()
    assert tl.current == 4 and tl.live.parent is None
    assert tl.steps[3].elapsed == 40 * 60 and all(s.visits == 1 for s in tl.children(3))


def test_one_sub_agenda_a_step_and_one_level_deep(log_clock):
    log, clock = log_clock
    log.into_intervision()
    before = len(log.state().steps)
    log("subagenda", step=3, format=scaled(INCIDENT, 10))  # a second choice for the same step
    log("subagenda", step=before - 1, format=scaled(INCIDENT, 10))  # inside a sub-step
    log("subagenda", step="nonsense", format={"steps": "nonsense"})
    assert len(log.state().steps) == before


def test_the_steps_know_the_sub_agenda_as_the_timeline_does(log_clock):
    log, clock = log_clock
    log.into_intervision()
    fmt = STANDAARD.with_subagendas(log.events)
    tl = log.state()
    assert len(fmt) == len(tl.steps)
    assert [s.title for s in fmt.steps] == [s.title for s in tl.steps]
    # incidentmethode is confidential throughout; the standard meeting's own steps are not
    assert all(fmt.is_confidential(s.index) for s in tl.children(3))
    assert not fmt.is_confidential(0)
    assert fmt.plan == STANDAARD.plan  # derive reads the sub-agenda from the log, not from the plan
    # a sub-step's round is a round, the case-bringer listens in its analysis
    analyse = next(i for i, s in enumerate(fmt.steps) if s.id == "analyse")
    assert fmt.step(analyse).silent == "listens" and fmt.step(analyse).parent == 3


def test_a_loop_inside_a_sub_agenda_stays_inside_it(log_clock):
    log, clock = log_clock
    log("start")
    log("goto", step=3)
    log("subagenda", **start_data(log.state(), 3, _format("vijfstappenmethode")))
    fmt = STANDAARD.with_subagendas(log.events)
    looping = next(i for i, s in enumerate(fmt.steps) if s.loop_to)
    target = fmt.loop_target(looping)
    assert target is not None and fmt.step(target).parent == 3 and target >= len(STANDAARD)
    # the time a loop shares out inside it is what the parent step has left, not the meeting's
    from kring.data.core.loops import loop_choices, time_left

    log("goto", step=looping)
    clock.advance(minutes=10)
    tl = log.state()
    assert time_left(tl) == tl.steps[3].remaining == 35 * 60
    half = next(c for c in loop_choices(tl, target, looping) if c.share == 0.5)
    assert half.total == 17


import pytest  # noqa: E402


@pytest.fixture
def log_clock(clock):
    return Log(clock), clock


# --- the YAML: kring formats check -------------------------------------------------------

FORMAT = """name: eigen
title: Eigen overleg
source: eigen team
steps:
  - title: Inchecken
    minutes: 10
    mode: round
  - title: Intervisie
    minutes: 40
    mode: open
    workformat: {workformat}
"""


@pytest.mark.parametrize("workformat, reason", [
    ("bestaatniet", "'bestaatniet' is geen werkvorm"),
    ("standaard", "'standaard' laat zelf een werkvorm in een stap lopen: een werkvorm binnen een stap gaat één niveau diep"),
    ("eigen", "'eigen' is deze werkvorm zelf"),
])
def test_formats_check_names_file_line_and_field(tmp_path, workformat, reason):
    from kring.workformats.loader import FormatError, check_file

    path = tmp_path / "eigen.yaml"
    path.write_text(FORMAT.format(workformat=workformat), encoding="utf-8")
    with pytest.raises(FormatError) as err:
        check_file(path)
    line = str(err.value)
    assert line.startswith(f"{path}:11: steps[2].workformat: ") and reason in line and "\n" not in line


@pytest.mark.parametrize("workformat", ["incidentmethode", "choose"])
def test_formats_check_accepts_a_format_or_the_choice(tmp_path, workformat):
    from kring.workformats.loader import check_file

    path = tmp_path / "eigen.yaml"
    path.write_text(FORMAT.format(workformat=workformat), encoding="utf-8")
    assert check_file(path).steps[1].workformat == workformat


def test_every_built_in_format_passes_the_check():
    from kring.workformats.loader import BUILTIN_DIR, check_file

    for path in BUILTIN_DIR.glob("*.yaml"):
        check_file(path)
