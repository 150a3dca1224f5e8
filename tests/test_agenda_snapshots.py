"""What the room sees: the agenda at projector sizes, with a frozen clock."""

from __future__ import annotations

import pytest

from kring.data.meetings import append_event


@pytest.fixture
def running_meeting(store, clock, meeting_id):
    """Check-in done with a minute over, look-back now 8.5 minutes in (1.5 left: warning colour)."""
    append_event(store, meeting_id, "start", clock.now())
    clock.advance(minutes=11)
    append_event(store, meeting_id, "goto", clock.now(), {"step": 1})
    clock.advance(minutes=8, seconds=30)
    return meeting_id


def test_agenda_80x24(snap_compare, make_app, running_meeting):
    assert snap_compare(make_app(running_meeting), terminal_size=(80, 24))


def test_agenda_120x36(snap_compare, make_app, running_meeting):
    assert snap_compare(make_app(running_meeting), terminal_size=(120, 36))


def test_agenda_overrun_80x24(snap_compare, make_app, running_meeting, clock):
    clock.advance(minutes=3)  # 1:30 over
    assert snap_compare(make_app(running_meeting), terminal_size=(80, 24))


@pytest.mark.parametrize("size", [(40, 12), (30, 8), (300, 100)])
async def test_agenda_survives_small_and_huge_terminals(make_app, running_meeting, size):
    app = make_app(running_meeting)
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "space", "plus")
        app.outbox.flush()
        app.refresh_screen()
        await pilot.pause()
        for w, h in [(40, 12), (120, 36), (20, 5), size]:
            await pilot.resize_terminal(w, h)
            await pilot.pause()
        assert app.timeline().current == 2
