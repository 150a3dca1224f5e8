"""Rounds derived from the event log: order, passes, absence, latecomers, shares, loops, speaking time."""

from __future__ import annotations

from dataclasses import dataclass, field

import pendulum
import pytest

from kring.data.core.clock import FakeClock
from kring.data.core.rounds import (
    check_case_bringer,
    check_latecomer,
    confidential_default,
    evenness,
    report_rounds,
    round_view,
    shuffled,
    speaking_figures,
    speaking_order,
)
from kring.data.core.steps import FormatSteps
from kring.data.core.timeline import derive
from kring.data.errors import InputError

NAMES = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]

FORMAT = {
    "name": "test",
    "title": "Test",
    "confidential": True,
    "steps": [
        {"title": "Rondje", "minutes": 10, "mode": "round"},  # 0
        {"title": "Schets", "minutes": 5, "mode": "case"},  # 1
        {"title": "Vragen", "id": "vragen", "minutes": 8, "mode": "round", "then": "case"},  # 2
        {"title": "Analyse", "minutes": 8, "mode": "round", "silent": "listens"},  # 3
        {"title": "Voorlezen", "minutes": 8, "mode": "solo", "then": "round", "collect": True},  # 4
        {"title": "Advies", "minutes": 4, "mode": "round", "loop_to": "vragen"},  # 5
        {"title": "Evaluatie", "minutes": 5, "mode": "round", "confidential": False},  # 6
    ],
}


@dataclass
class Ev:
    at: pendulum.DateTime
    kind: str
    data: dict = field(default_factory=dict)


class Log:
    def __init__(self, clock: FakeClock, names=NAMES, fmt=FORMAT) -> None:
        self.clock, self.events, self.names, self.fmt = clock, [], list(names), fmt

    def __call__(self, kind: str, **data) -> None:
        self.events.append(Ev(self.clock.now(), kind, data))

    def tl(self):
        return derive(FormatSteps.of(self.fmt).plan, self.events, self.clock.now())

    def view(self):
        return round_view(FormatSteps.of(self.fmt), self.names, self.tl())

    def floor(self, name):
        self("speaker", name=name)


@pytest.fixture
def log(clock):
    return Log(clock)


def seats(view):
    return {s.name: s.state for s in view.seats}


def test_a_round_goes_by_seating_with_an_even_share_each(log, clock):
    log("start")
    view = log.view()
    assert view.kind == "round" and not view.started
    assert view.next == "Anouk" and view.speakers == 5 and view.share == 120
    assert view.speaker_left is None  # nobody has the floor until s
    log.floor("Anouk")
    clock.advance(seconds=90)
    view = log.view()
    assert view.speaker == "Anouk" and view.speaker_left == 30
    assert seats(view) == {"Anouk": "now", "Bram": "next", "Fatima": "waiting", "Joris": "waiting", "Lotte": "waiting"}
    clock.advance(seconds=45)
    assert log.view().speaker_left == -15  # her own countdown runs over
    log.floor("Bram")
    view = log.view()
    assert view.done == ["Anouk"] and view.speaker_left == 120
    for name in ("Fatima", "Joris", "Lotte"):
        log.floor(name)
    assert log.view().queue == [] and not log.view().complete  # Lotte still speaks
    log.floor(None)
    view = log.view()
    assert view.complete and view.done == NAMES


def test_a_pass_is_asked_again_at_the_end_and_is_no_turn(log, clock):
    log("start")
    log.floor("Anouk")
    clock.advance(seconds=5)
    log("pass", name="Anouk")
    log.floor("Bram")
    view = log.view()
    assert seats(view)["Anouk"] == "passed"
    assert view.queue == ["Fatima", "Joris", "Lotte", "Anouk"]
    assert log.tl().speaking["Anouk"].turns == 0
    # someone up next may pass before getting the floor
    log("pass", name="Fatima")
    assert log.view().queue == ["Joris", "Lotte", "Anouk", "Fatima"]
    for name in ("Joris", "Lotte"):
        log.floor(name)
    assert log.view().next == "Anouk"
    log.floor("Anouk")  # her second chance
    clock.advance(seconds=60)
    log.floor("Fatima")
    log("pass", name="Fatima")  # passes again: not asked a third time
    log.floor(None)
    view = log.view()
    assert view.complete
    assert seats(view)["Fatima"] == "declined" and seats(view)["Anouk"] == "done"
    tl = log.tl()
    assert tl.speaking["Anouk"].turns == 1 and tl.speaking["Anouk"].seconds == 65
    assert tl.speaking["Fatima"].turns == 0


def test_an_absent_participant_is_skipped_and_the_others_share_the_time(log, clock):
    log("start")
    log("absent", name="Fatima", absent=True)
    view = log.view()
    assert view.speakers == 4 and view.share == 150
    assert seats(view)["Fatima"] == "absent" and "Fatima" not in view.queue
    log.floor("Anouk")
    log("absent", name="Fatima", absent=False)  # she came in after all
    view = log.view()
    assert view.speakers == 5 and "Fatima" in view.queue


def test_a_latecomer_joins_at_the_end_before_those_who_passed(log, clock):
    log("start")
    log.floor("Anouk")
    log("pass", name="Anouk")
    log.floor("Bram")
    log("join", name="Sanne")
    view = log.view()
    assert view.queue == ["Fatima", "Joris", "Lotte", "Sanne", "Anouk"]
    assert view.speakers == 6 and view.share == 100
    sanne = next(s for s in view.seats if s.name == "Sanne")
    assert sanne.late
    # joining again (a retried write) changes nothing; case does not make a new person
    log("join", name="sanne")
    assert len(log.view().seats) == 6


def test_shuffled_order_is_taken_from_the_log(log, clock):
    drawn = shuffled(NAMES)
    assert sorted(drawn) == sorted(NAMES) and drawn != NAMES
    log("order", mode="shuffle", names=["Lotte", "Bram", "Anouk", "Joris", "Fatima"])
    log("join", name="Sanne")
    tl = log.tl()
    assert speaking_order(NAMES, tl) == ["Lotte", "Bram", "Anouk", "Joris", "Fatima", "Sanne"]
    log("order", mode="seating")
    assert speaking_order(NAMES, log.tl()) == NAMES + ["Sanne"]


def test_the_case_bringer_has_the_floor_in_case_steps_and_listens_where_the_format_says(log, clock):
    log("start")
    log("case_bringer", name="Fatima", case="Een lastig gesprek")
    log("goto", step=1)
    view = log.view()
    tl = log.tl()
    assert view.kind == "case" and tl.speaker == "Fatima"
    clock.advance(minutes=5)
    log("goto", step=2)  # questions to the case-bringer: the others go round
    view = log.view()
    assert view.speaker is None and view.speakers == 4 and view.share == 120
    assert seats(view)["Fatima"] == "listening" and "Fatima" not in view.queue
    log("goto", step=3)
    view = log.view()
    assert view.silent == "listens" and seats(view)["Fatima"] == "listening"
    log("goto", step=4)
    view = log.view()
    assert view.collect and view.kind == "round" and view.speakers == 4
    log.floor("Anouk")
    log.floor("Bram")
    assert log.view().done == ["Anouk"]
    tl = log.tl()
    assert tl.speaking["Fatima"].seconds == 300 and tl.speaking["Fatima"].turns == 1


def test_changing_the_case_bringer_in_a_case_step_hands_them_the_floor(log, clock):
    log("start")
    log("goto", step=1)
    assert log.tl().speaker is None  # nobody chosen yet
    log("case_bringer", name="Joris")
    assert log.tl().speaker == "Joris"
    log("case_bringer", name="Lotte")
    tl = log.tl()
    assert tl.speaker == "Lotte" and tl.case_bringer == "Lotte"


def test_a_loop_goes_back_with_fresh_time_and_a_fresh_round(log, clock):
    log("start")
    log("goto", step=2)
    log.floor("Anouk")
    clock.advance(minutes=9)  # questions ran a minute over
    log("goto", step=3)
    clock.advance(minutes=8)
    log("goto", step=4)
    clock.advance(minutes=8)
    log("goto", step=5)
    clock.advance(minutes=3)
    assert log.view().loop_to == 2 and log.view().loop_title == "Vragen"
    log("goto", step=2, loop=True, **{"from": 5})
    tl = log.tl()
    assert tl.current == 2
    # every step from the questions to the advice gets its planned time again
    assert [tl.steps[i].remaining for i in (2, 3, 4, 5)] == [8 * 60, 8 * 60, 8 * 60, 4 * 60]
    assert tl.steps[2].elapsed == 9 * 60  # what was spent stays spent
    view = log.view()
    assert view.loops == 1 and not view.started and view.next == "Anouk"
    assert view.share == 8 * 60 / 5  # the fresh pass is shared, not what was used before
    # going back without a loop resumes the round where it was
    log.floor("Bram")
    log("goto", step=3)
    log("goto", step=2)
    assert log.view().done == ["Bram"] and log.view().next == "Anouk"


def test_speaking_time_and_evenness(log, clock):
    log("start")
    for name, seconds in [("Anouk", 60), ("Bram", 180), ("Fatima", 60)]:
        log.floor(name)
        clock.advance(seconds=seconds)
    log.floor(None)
    log("absent", name="Lotte", absent=True)
    figures = speaking_figures(NAMES, log.tl())
    assert [(f.name, f.seconds, f.turns) for f in figures] == [
        ("Bram", 180, 1), ("Anouk", 60, 1), ("Fatima", 60, 1), ("Joris", 0, 0)]
    assert figures[0].share == 0.6
    assert evenness([60, 60, 60]) == 1.0
    assert evenness([300, 0, 0, 0, 0]) == 0.0
    assert 0.0 < evenness([f.seconds for f in figures]) < 1.0
    assert evenness([0, 0]) is None and evenness([10]) is None


def test_notes_are_confidential_unless_the_case_bringer_agrees(log, clock):
    assert confidential_default(FormatSteps.of(FORMAT), log.events, 1)
    assert not confidential_default(FormatSteps.of(FORMAT), log.events, 6)  # the step says so itself
    assert not confidential_default(FormatSteps.of(FORMAT), log.events, None)
    log("case_bringer", name="Fatima")
    log("consent", name="Fatima", share=True)
    assert not confidential_default(FormatSteps.of(FORMAT), log.events, 1)
    assert log.view().consent
    log("consent", name="Fatima", share=False)
    assert confidential_default(FormatSteps.of(FORMAT), log.events, 1)
    log("consent", name="Fatima", share=True)
    log("case_bringer", name="Bram")  # another case: confidential again
    assert confidential_default(FormatSteps.of(FORMAT), log.events, 1)
    assert not log.tl().consent
    log("consent", name="Fatima", share=True)  # only the case-bringer can agree
    assert confidential_default(FormatSteps.of(FORMAT), log.events, 1)
    assert not confidential_default(FormatSteps.of({"steps": FORMAT["steps"]}), log.events, 1)  # not an intervision format


def test_bad_input_names_what_is_wrong(log, clock):
    tl = log.tl()
    with pytest.raises(InputError, match="'Piet' is geen deelnemer"):
        check_case_bringer(NAMES, tl, "Piet")
    assert check_case_bringer(NAMES, tl, "  fatima ") == "Fatima"
    log("absent", name="Joris", absent=True)
    with pytest.raises(InputError, match="Joris staat op afwezig"):
        check_case_bringer(NAMES, log.tl(), "Joris")
    with pytest.raises(InputError, match="Bram doet al mee"):
        check_latecomer(NAMES, log.tl(), "BRAM")
    with pytest.raises(InputError, match="Typ de naam"):
        check_latecomer(NAMES, log.tl(), "   ")
    with pytest.raises(InputError, match="langer dan 80"):
        check_latecomer(NAMES, log.tl(), "x" * 81)
    assert check_latecomer(NAMES, log.tl(), "joris") == ("Joris", True)  # back again
    assert check_latecomer(NAMES, log.tl(), "Sanne  de Wit") == ("Sanne de Wit", False)


def test_a_round_with_nobody_present(clock):
    log = Log(clock, names=["Anouk"])
    log("start")
    log("absent", name="Anouk", absent=True)
    view = log.view()
    assert view.kind == "round" and view.speakers == 0 and view.share == 0 and view.next is None


def test_the_report_names_the_case_bringer_and_who_spoke_how_long(log, clock):
    log("start")
    log("case_bringer", name="Fatima", case="Een lastig gesprek")
    log.floor("Anouk")
    clock.advance(seconds=100)
    log("join", name="Sanne")
    log("absent", name="Joris", absent=True)
    parts = [(n, ["moderator"] if n == "Anouk" else []) for n in NAMES]
    out = report_rounds(parts, log.tl())
    assert out["case_bringer"] == "Fatima"
    assert out["case"] is None  # the case itself stays in the room
    assert report_rounds(parts, log.tl(), include_confidential=True)["case"] == "Een lastig gesprek"
    people = {p["name"]: p for p in out["participants"]}
    assert people["Fatima"]["roles"] == ["inbrenger"] and people["Anouk"]["roles"] == ["moderator"]
    assert people["Joris"]["absent"] and people["Sanne"]["late"] and not people["Bram"]["late"]
    assert out["speaking"] == [{"participant": "Anouk", "seconds": 100, "turns": 1}]
    assert out["speaking_evenness"] == 0.0  # one of the five present did all the talking


def test_a_loop_gives_the_repeated_steps_the_chosen_share_of_the_time_left(log, clock):
    from kring.data.core.loops import loop_choices, spread, time_left

    # planned 48 min in all; the advice round is reached after 31 min 20 s
    log("start")
    clock.advance(minutes=10)
    log("goto", step=2)
    clock.advance(seconds=9 * 60 + 20)
    log("goto", step=5)
    clock.advance(minutes=12)
    tl = log.tl()
    assert time_left(tl) == 48 * 60 - (31 * 60 + 20)  # 16:40 until the planned end
    choices = {c.share: c for c in loop_choices(tl, 2, 5)}
    half = choices[0.5]
    assert half.total == 8 and half.minutes == [3, 2, 2, 1]  # in proportion to 8, 8, 8 and 4 min
    assert choices[0.75].minutes == [4, 3, 3, 2] and choices[0.25].minutes == [1, 1, 1, 1]  # one at least
    assert spread([8, 8, 8, 4], 14) == [4, 4, 4, 2] and spread([5], 0) == [1]
    log("goto", step=2, loop=True, minutes=[4, 4, 4, 2], **{"from": 5})
    tl = log.tl()
    # each planned time is whole minutes, and the fresh pass has (at least) the minutes chosen
    assert all(s.planned % 60 == 0 for s in tl.steps)
    assert tl.steps[2].planned == 10 * 60 + 4 * 60  # 9:20 spent counts as 10, then 4 more
    assert 4 * 60 <= tl.steps[2].remaining < 5 * 60
    assert tl.steps[3].remaining == 4 * 60 and tl.steps[5].planned == 12 * 60 + 2 * 60
    view = log.view()
    assert view.share == (tl.steps[2].planned - tl.steps[2].pass_from) / 5


def test_a_loops_passes_add_up_to_the_minutes_said(log, clock):
    """Each repeated step took part of a minute: rounded up one by one, 10 minutes said
    gave the clocks 12. Rounded together, the passes add up to what was said (plus less
    than the one minute already begun), each plan still in whole minutes."""
    log("start")
    log("goto", step=2)
    for step, spent in ((3, 2 * 60 + 20), (4, 3 * 60 + 40), (5, 4 * 60 + 50)):
        clock.advance(seconds=spent)
        log("goto", step=step)
    clock.advance(seconds=70)
    log("goto", step=2, loop=True, minutes=[3, 3, 3, 1], **{"from": 5})
    tl = log.tl()
    passes = [tl.steps[i].remaining for i in range(2, 6)]
    assert all(tl.steps[i].planned % 60 == 0 for i in range(2, 6))
    assert all(p > 0 for p in passes)
    assert 10 * 60 <= sum(passes) < 11 * 60  # 'samen 10 minuten'


def test_an_older_loop_without_minutes_still_gives_the_planned_time_again(log, clock):
    log("start")
    log("goto", step=5)
    clock.advance(minutes=3)
    log("goto", step=2, loop=True, **{"from": 5})
    assert log.tl().steps[5].remaining == 4 * 60
