"""What the back of the room sees: the projector view at three sizes, in each state
of the clock, in the high-contrast and the colour-blind-safe theme (frozen clock)."""

from __future__ import annotations

import pytest

from kring.data.meetings import append_event

SIZES = [(80, 24), (120, 36), (200, 60)]
THEMES = ["kring-contrast", "kring-colour-safe"]


def _look_back(store, clock, meeting_id, minutes: float) -> None:
    """Check-in done, then `minutes` into the look-back (an open step of 10 minutes)."""
    append_event(store, meeting_id, "start", clock.now())
    clock.advance(minutes=10)
    append_event(store, meeting_id, "goto", clock.now(), {"step": 1})
    clock.advance(minutes=minutes)


def running(store, clock, meeting_id):
    _look_back(store, clock, meeting_id, 4)


def last_two_minutes(store, clock, meeting_id):
    _look_back(store, clock, meeting_id, 8.5)


def overrun(store, clock, meeting_id):
    _look_back(store, clock, meeting_id, 11.5)


def paused(store, clock, meeting_id):
    _look_back(store, clock, meeting_id, 4)
    append_event(store, meeting_id, "pause", clock.now())
    clock.advance(minutes=2)


def on_break(store, clock, meeting_id):
    _look_back(store, clock, meeting_id, 4)
    append_event(store, meeting_id, "break", clock.now(), {"until": clock.now().add(minutes=15).isoformat()})
    clock.advance(minutes=3)


def round_with_a_speaker(store, clock, meeting_id):
    append_event(store, meeting_id, "start", clock.now())
    clock.advance(minutes=1)
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Anouk"})
    clock.advance(seconds=50)


STATES = [running, last_two_minutes, overrun, paused, on_break, round_with_a_speaker]


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("state", STATES, ids=lambda s: s.__name__)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_projector(snap_compare, make_app, store, clock, meeting_id, size, state, theme):
    state(store, clock, meeting_id)
    app = make_app(meeting_id)

    async def in_theme(pilot):
        app.theme = theme
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=in_theme)


# --- the check before the first step, as a new meeting opens ------------------------------------

@pytest.mark.parametrize("size", [(80, 24), (120, 36), (40, 12)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_check_as_a_new_meeting_opens(snap_compare, make_app, meeting_id, size):
    app = make_app(meeting_id, check_first=True)

    async def settled(pilot):
        await pilot.pause()
        await pilot.press("down", "enter")  # Bram is not here
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=settled)


def test_the_check_of_a_network_meeting_with_the_series_timings(snap_compare, make_app, store, clock):
    from tests.test_network import make_network
    from tests.test_room_check import next_network_meeting
    from tests.test_series_network_report import _meeting

    make_network(store, clock)
    _meeting(store, clock, overrun_minutes=5)
    _meeting(store, clock, overrun_minutes=7)
    app = make_app(next_network_meeting(store, clock), check_first=True)

    async def settled(pilot):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=settled)
