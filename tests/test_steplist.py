"""The agenda's step list: one widget, a tick repaints only the clock's cells,
and the live step stays in view on a small screen."""

from __future__ import annotations

from kring.data.meetings import append_event, create_meeting
from kring.tui.widgets.steplist import CLOCK_WIDTH, StepList
from kring.workformats.loader import find

NAMES = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]


async def settle(app, pilot):
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


def spy_on_sides(steps: StepList) -> list[tuple[str, int]]:
    """Record which side of which row is marked for repaint: ("titles"|"clocks", row)."""
    marked: list[tuple[str, int]] = []
    for side in steps.children:
        name = "titles" if side.has_class("step-titles") else "clocks"
        original = side.refresh

        def refresh(*regions, _name=name, _original=original, **kw):
            marked.extend((_name, region.y) for region in regions)
            return _original(*regions, **kw)

        side.refresh = refresh  # type: ignore[method-assign]
    return marked


async def test_a_tick_repaints_only_the_clock_column_of_the_live_row(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await settle(app, pilot)
        steps = app.screen.query_one("#steps", StepList)
        assert steps.state_texts[0] == "10:00"
        marked = spy_on_sides(steps)
        clock.advance(seconds=1)
        app.refresh_screen()
        assert steps.state_texts[0] == "09:59"
        assert marked == [("clocks", 0)]
        marked.clear()
        app.refresh_screen()  # nothing changed: nothing to repaint
        assert marked == []
        clocks = steps.query_one(".step-clocks")
        assert clocks.size.width == CLOCK_WIDTH  # Textual resends a line from this widget's edge
        assert clocks.render_line(0).text == "   09:59 "


async def test_the_next_step_repaints_both_rows(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await settle(app, pilot)
        clock.advance(minutes=3)
        steps = app.screen.query_one("#steps", StepList)
        marked = spy_on_sides(steps)
        await pilot.press("n")
        await settle(app, pilot)
        assert sorted(set(marked)) == [("clocks", 0), ("clocks", 1), ("titles", 0), ("titles", 1)]
        assert steps.state_texts[:2] == ["03:00", "10:00"]
        assert [row.live for row in steps.rows[:3]] == [False, True, False]
        assert steps.rows[0].done
        titles = steps.query_one(".step-titles")
        assert titles.render_line(0).text.startswith(" ✓  1. Inchecken")
        assert titles.render_line(1).text.startswith(" ▶  2. Terugblik")


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
        assert "9. Nabespreking" in steps.query_one(".step-titles").render_line(8).text
        assert app.screen.get_widget_at(2, steps.region.y + 8 - top)[0] is steps.query_one(".step-titles")
