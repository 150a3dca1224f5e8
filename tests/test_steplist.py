"""The agenda's step list: one widget, a tick repaints only the clock's cells,
and the live step stays in view on a small screen."""

from __future__ import annotations

from textual.geometry import Region

from kring.data.meetings import append_event, create_meeting
from kring.tui.widgets.steplist import STATE_WIDTH, StepList
from kring.workformats.loader import find

NAMES = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]


async def settle(app, pilot):
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


async def test_a_tick_marks_only_the_clock_cells(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await settle(app, pilot)
        steps = app.screen.query_one("#steps", StepList)
        assert steps.state_texts[0] == "10:00"
        marked = []
        steps.refresh = lambda *regions, **kw: marked.append(regions)  # type: ignore[method-assign]
        clock.advance(seconds=1)
        app.refresh_screen()
        assert steps.state_texts[0] == "09:59"
        width = steps.scrollable_content_region.width
        assert marked == [(Region(width - STATE_WIDTH - 2, 0, STATE_WIDTH + 1, 1),)]
        marked.clear()
        app.refresh_screen()  # nothing changed: nothing to repaint
        assert marked == []


async def test_the_next_step_repaints_both_rows(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await settle(app, pilot)
        clock.advance(minutes=3)
        steps = app.screen.query_one("#steps", StepList)
        marked = []
        original = steps.refresh
        steps.refresh = lambda *regions, **kw: (marked.append(regions), original(*regions, **kw))[1]  # type: ignore[method-assign]
        await pilot.press("n")
        await settle(app, pilot)
        rows = sorted({region.y for regions in marked for region in regions if region.width > STATE_WIDTH + 1})
        assert rows == [0, 1]
        assert steps.state_texts[:2] == ["03:00", "10:00"]
        assert [row.live for row in steps.rows[:3]] == [False, True, False]
        assert steps.rows[0].done


async def test_the_live_step_stays_in_view_on_a_small_screen(make_app, store, clock):
    meeting_id = create_meeting(store, find("incidentmethode").model_dump(mode="json"), NAMES, clock)
    append_event(store, meeting_id, "start", clock.now(), {})
    append_event(store, meeting_id, "goto", clock.now(), {"step": 8})
    app = make_app(meeting_id)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(app, pilot)
        steps = app.screen.query_one("#steps", StepList)
        height = steps.scrollable_content_region.height
        assert 0 < height < 9  # the list does not fit: it scrolls
        top = round(steps.scroll_offset.y)
        assert top <= 8 < top + height
        assert "9. Nabespreking" in steps.render_line(8 - top).text
