"""A network's trend (the history screen's bars, the report's chart) grows with
its meetings, never faster: the same few statements at any size, indexes that
find the network's meetings and their answers, no collection of Python's cycle
collector while the rows are read, and means that agree with counting meeting
by meeting."""

from __future__ import annotations

import gc

import pytest
from sqlalchemy import select

from kring.data.models import EvaluationResponse, Meeting
from kring.data.trends import _answers_query, _meetings_query, means_of, network_trend
from tests.reportdata import add_network
from tests.test_history_growth import add_meetings, sqlite_plan, statements


def test_the_trend_is_the_same_statements_at_any_size(store, clock, standaard):
    wijk = add_network(store, "Wijkzorg", clock=clock)
    add_meetings(store, clock, standaard, [wijk, None], 4)
    small = statements(store, lambda: network_trend(store, wijk))
    small_none = statements(store, lambda: network_trend(store, None))
    add_meetings(store, clock, standaard, [wijk, None], 30)
    assert statements(store, lambda: network_trend(store, wijk)) == small
    assert len(small) == 3  # the network, its closed meetings, their answers
    assert statements(store, lambda: network_trend(store, None)) == small_none and len(small_none) == 2
    last = max(p.meeting_id for p in network_trend(store, wijk).points)
    assert len(statements(store, lambda: network_trend(store, wijk, until=last))) == 4  # and that meeting's date


def test_the_trend_agrees_with_counting_meeting_by_meeting(store, clock, standaard):
    wijk = add_network(store, "Wijkzorg", clock=clock)
    jeugd = add_network(store, "Jeugd", clock=clock)
    add_meetings(store, clock, standaard, [wijk, jeugd, None], 24)
    for network in (wijk, jeugd, None):
        expected = {}
        with store.session() as s:
            for m in s.exec(select(Meeting).where(Meeting.network_id == network)).scalars():
                answers = [r.answers for r in s.exec(
                    select(EvaluationResponse).where(EvaluationResponse.meeting_id == m.id)).scalars()]
                if m.status == "closed" and answers:
                    expected[m.id] = (len(answers), *means_of(answers))
        trend = network_trend(store, network)
        assert {p.meeting_id: (p.responses, p.means, p.counts) for p in trend.points} == expected
        assert [(p.date, p.meeting_id) for p in trend.points] == sorted((p.date, p.meeting_id) for p in trend.points)
        assert len(expected) > 3 and any(p.means for p in trend.points)


def test_the_trend_reads_the_network_and_its_answers_from_indexes(store, clock, standaard):
    """On SQLite the meetings come from the history's index (migration 0003) alone,
    without their rows (which hold the work format), and each meeting's answers
    by the index on their meeting: no table is scanned, nothing sorted."""
    if not store.is_sqlite:
        pytest.skip("SQLite's query plan")
    wijk = add_network(store, "Wijkzorg", clock=clock)
    add_meetings(store, clock, standaard, [wijk, None], 8)
    for network in (wijk, None):
        plan = sqlite_plan(store, _meetings_query(network))
        assert any("meeting USING COVERING INDEX ix_meeting_history" in step for step in plan), plan
        plan = sqlite_plan(store, _answers_query(network))
        assert any("meeting USING COVERING INDEX ix_meeting_history" in step for step in plan), plan
        assert any("evaluation_response USING INDEX ix_evaluation_response_meeting_id" in step for step in plan), plan
        assert not any(step.startswith("SCAN") for step in plan), plan
        assert not any("TEMP B-TREE" in step for step in plan), plan


def collections_during(fn) -> int:
    """How many times the cycle collector ran during fn, were it to run at almost every object."""
    started: list[int] = []

    def seen(phase: str, _info: dict) -> None:
        if phase == "start":
            started.append(1)

    threshold = gc.get_threshold()
    gc.set_threshold(1, 1, 1)
    gc.callbacks.append(seen)
    try:
        fn()
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*threshold)
    return len(started)


def test_the_trend_is_read_without_collections(store, clock, standaard):
    """Each answer makes a dict and each row a tuple, none of them in a cycle: the
    collector, whose walks over the heap came more often the more rows there were,
    is held while they are read (the few collections left are the call's own, on
    its way in and out), and on again after."""
    wijk = add_network(store, "Wijkzorg", clock=clock)
    add_meetings(store, clock, standaard, [wijk], 4)
    small = collections_during(lambda: network_trend(store, wijk))
    add_meetings(store, clock, standaard, [wijk], 40)
    trend = network_trend(store, wijk)
    assert len(trend.points) > 20 and gc.isenabled()
    assert collections_during(lambda: network_trend(store, wijk)) <= small <= 10
    assert collections_during(lambda: means_of([{"roti": 3}] * 100)) > 100  # what the threshold does, unheld
    gc.disable()
    try:
        network_trend(store, wijk)
        assert not gc.isenabled()  # a caller that holds it (`kring report`) keeps it held
    finally:
        gc.enable()
