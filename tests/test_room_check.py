"""The check before the first step shows itself when a new meeting opens, hints what the
network's series taught about the work format's timings, and never stands in the way of
a meeting already running."""

from __future__ import annotations

import argparse

import pytest

from kring.data.meetings import append_event
from kring.screens.dialogs.premeeting import PreMeetingScreen, timing_hints
from tests.test_room import settle


async def test_a_new_meeting_opens_with_the_check(make_app, meeting_id, clock):
    app = make_app(meeting_id, check_first=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PreMeetingScreen)
        for _ in range(50):  # pushed as the agenda came up: on a busy machine its mount may still be queued
            found = app.screen.query("#check-people")  # not composed yet: no list to ask
            if found and found.first().has_focus:
                break
            await pilot.pause()
        assert app.screen.query_one("#check-people").has_focus
        await pilot.press("down", "enter")  # Bram is not here
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, PreMeetingScreen)
        assert app.timeline().absent == ["Bram"] and app.timeline().current is None
        await pilot.press("z")  # the key still opens it again
        await pilot.pause()
        assert isinstance(app.screen, PreMeetingScreen)
        assert "✗ Bram — afwezig" in str(app.screen.query_one("#check-people").get_option_at_index(1).prompt)
        await pilot.press("escape", "space")
        await settle(app, pilot)
        assert app.timeline().current == 0 and app.timeline().running


async def test_saved_times_set_the_budget_line_at_once(make_app, meeting_id, clock):
    from textual.widgets import Input

    app = make_app(meeting_id, check_first=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        check = app.screen
        assert isinstance(check, PreMeetingScreen)
        check.query_one("#check-end", Input).value = "20:34"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        status = str(app.screen.query_one("#status").render())
        assert status.startswith("nog 94 min tot 20:34"), status


async def test_a_running_meeting_resumes_without_the_check(make_app, meeting_id, clock, store):
    append_event(store, meeting_id, "start", clock.now())
    clock.advance(minutes=3)
    app = make_app(meeting_id, check_first=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, PreMeetingScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.timeline().current == 1


async def test_a_checked_meeting_is_not_checked_again(make_app, meeting_id, clock, store):
    append_event(store, meeting_id, "plan", clock.now(),
                 {"start": clock.now().isoformat(), "end": clock.now().add(minutes=90).isoformat()})
    app = make_app(meeting_id, check_first=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, PreMeetingScreen)


def test_kring_run_asks_for_the_check_and_resume_does_not(capsys, db, monkeypatch):
    from kring.tui.cli import main

    made = []
    monkeypatch.setattr("kring.tui.commands.meeting.run_app", lambda app: made.append(app) or 0)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert main(["run", "--format", "standaard", "-p", "Anouk", "-p", "Bram"]) == 0
    assert made[-1].check_first
    assert main(["run", "--format", "standaard", "-p", "Anouk"]) == 0  # the format known: painted first
    assert made[-1].store is None and made[-1].check_first
    assert main(["resume"]) == 0
    assert not made[-1].check_first


# --- what the series taught ---------------------------------------------------------------

def test_the_hint_names_the_steps_furthest_from_their_time():
    timings = [{"werkvorm": "incidentmethode", "step": s, "title": t, "over_seconds": o}
               for s, t, o in [(1, "Inbreng", 20), (3, "Vragen", -240), (5, "Advies", 360), (6, "Afsluiten", 90)]]
    assert timing_hints(timings) == [
        "incidentmethode: stap 5 (Advies) loopt hier gemiddeld 6 min uit",
        "incidentmethode: stap 3 (Vragen) is hier gemiddeld 4 min eerder klaar",
        "incidentmethode: stap 6 (Afsluiten) loopt hier gemiddeld 2 min uit",
    ]
    assert timing_hints(timings[:1]) == ["incidentmethode: elke stap houdt hier zijn tijd"]
    assert timing_hints([]) == []


def next_network_meeting(store, clock) -> int:  # noqa: ANN001
    """The network's next standard meeting, made as `kring run --network` makes it."""
    from kring.tui.commands.network import prepare_network_meeting
    from tests.test_series_network_report import NET

    args = argparse.Namespace(network=NET, werkvorm="standaard", role=[], title=None, place="", participant=[],
                              db=store.url)
    command_store, meeting = prepare_network_meeting(args, clock)
    command_store.close()  # the command's own; the test's store stays open
    return meeting


async def test_the_check_of_a_network_meeting_hints_the_series_timings(store, clock, make_app):
    from tests.test_network import make_network
    from tests.test_series_network_report import _meeting

    make_network(store, clock)
    _meeting(store, clock, overrun_minutes=5)
    _meeting(store, clock, overrun_minutes=7)
    app = make_app(next_network_meeting(store, clock), check_first=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PreMeetingScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        hint = str(app.screen.query_one("#check-timings").render())
        assert app.screen.query_one("#check-timings").display
        assert "⏱ standaard: stap 4 (Intervisie met een werkvorm) loopt hier gemiddeld 6 min uit" in hint


async def test_a_meeting_without_a_network_has_no_timing_hint(make_app, meeting_id):
    app = make_app(meeting_id, check_first=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert not app.screen.query_one("#check-timings").display


def _with_incident_inside(store, clock, over_minutes: int) -> int:
    """A network's standard meeting whose intervision step ran the incidentmethode, its fifth
    step `over_minutes` over the minutes it was given there."""
    from kring.data.core.subagenda import start_data
    from kring.data.core.timeline import derive
    from kring.data.meetings import get_meeting, load_events
    from kring.workformats.loader import find

    mid = next_network_meeting(store, clock)
    plan = get_meeting(store, mid).plan

    def tl():
        return derive(plan, load_events(store, mid), clock.now())

    append_event(store, mid, "start", clock.now())
    for step in (1, 2, 3):
        clock.advance(seconds=tl().live.planned)
        append_event(store, mid, "goto", clock.now(), {"step": step})
    incident = find("incidentmethode").model_dump(mode="json", exclude_none=True)
    append_event(store, mid, "subagenda", clock.now(), start_data(tl(), 3, incident))
    inner = tl().children(3)
    for n, step in enumerate(inner):
        if n:
            append_event(store, mid, "goto", clock.now(), {"step": step.index})
        clock.advance(seconds=step.planned + (60 * over_minutes if n == 4 else 0))
    append_event(store, mid, "goto", clock.now(), {"step": 4})
    clock.advance(seconds=tl().live.planned)
    append_event(store, mid, "close", clock.now())
    return mid


async def test_the_hint_knows_the_format_run_inside_the_intervision_step(store, clock, make_app):
    from kring.data.network_report import learned_timings
    from tests.test_network import make_network

    network_id = make_network(store, clock)
    _with_incident_inside(store, clock, 5)
    clock.advance(minutes=60 * 24 * 42)
    _with_incident_inside(store, clock, 7)
    timings = learned_timings(store, network_id, "standaard")
    fifth = next(t for t in timings if t["werkvorm"] == "incidentmethode" and t["step"] == 5)
    assert fifth["meetings"] == 2 and fifth["over_seconds"] == 6 * 60
    assert {t["werkvorm"] for t in timings} == {"standaard", "incidentmethode"}
    app = make_app(next_network_meeting(store, clock), check_first=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        hint = str(app.screen.query_one("#check-timings").render())
        assert hint.startswith(f"⏱ incidentmethode: stap 5 ({fifth['title']}) loopt hier gemiddeld 6 min uit"), hint


async def test_space_before_the_check_shows_does_not_start_the_meeting(store, clock):
    """`kring run`'s quick first paint: a space typed before the check appears waits
    for it, and the meeting is not started unchecked."""
    import time

    from kring.data.meetings import load_events
    from kring.screens.agenda import AgendaScreen
    from kring.screens.dialogs.premeeting import PreMeetingScreen
    from kring.tui.app import KringApp
    from kring.tui.firstmeeting import for_run
    from kring.workformats.loader import find
    from kring.workformats.quick import remember

    if not store.url.startswith("sqlite:///"):
        pytest.skip("the quick path is for SQLite files")
    remember("standaard", lambda: find("standaard"))
    first = for_run(store.url.removeprefix("sqlite:///"), "standaard", ["Anouk", "Bram"], None, "")
    app = KringApp(None, first.meeting.id, clock=clock, watch=False, first_paint=first, check_first=True)
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None  # hold the store back: the keys come first
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        opening()
        deadline = time.monotonic() + 30
        while not isinstance(app.screen, PreMeetingScreen):
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        await pilot.pause()
        app.outbox.flush()
        assert app.live.timeline().current is None  # not started behind the check
        assert "start" not in [e.kind for e in load_events(store, app.meeting_id)]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AgendaScreen)
        await pilot.press("space")  # now it starts, the check seen
        await pilot.pause()
        app.outbox.flush()
        assert [e.kind for e in load_events(store, app.meeting_id)] == ["start"]
