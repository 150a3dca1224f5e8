"""The speaker's name grows with the window like the countdown, and at every size nothing
on the projector overlaps: the clock, the name, the round's lines, the step list and the
budget line each keep their own cells, and a notice never covers the list or the budget."""

from __future__ import annotations

import pytest

from kring.data.meetings import append_event
from kring.tui.widgets.round_name import BigName, name_limit, scaled_lines, scaled_width
from tests.test_room import settle

SIZES = [(80, 24), (120, 36), (200, 60), (40, 12)]


def test_the_name_takes_the_largest_scale_that_fits():
    name = BigName("Anouk")
    assert name.scale_in(200) is None  # no limit given: box-drawing letters
    name.rescale((4, 2))
    assert name.scale_in(200) == (4, 2)
    assert name.scale_in(scaled_width("Anouk", (4, 2))) == (4, 2)
    assert name.scale_in(scaled_width("Anouk", (4, 2)) - 1) == (3, 2)  # narrower pixels first
    assert name.scale_in(scaled_width("Anouk", (2, 2)) - 1) == (1, 1)  # then fewer rows
    assert name.scale_in(10) is None
    name.show("Anouk", grow=False)  # waiting for the turn: not scaled
    assert name.scale_in(200) is None
    name.show("Zoë O'Neil-Smith")
    assert scaled_lines("Zoë O'Neil-Smith", (1, 1)) is not None and name.scale_in(200) is not None
    name.show("Ørjan")  # a letter the bitmap lacks
    assert name.scale_in(200) is None


def test_the_name_is_a_step_smaller_than_the_clock():
    assert name_limit(None) is None and name_limit((2, 1)) is None
    assert name_limit((4, 2)) == (2, 1)
    assert name_limit((6, 3)) == (4, 2)


def _regions(app) -> dict[str, object]:
    out = {}
    for selector in ("#countdown", "#clock-word", "#round-name", "#round-who", "#round-order", "#steps", "#status"):
        widget = app.screen.query_one(selector)
        if widget.display and widget.region.area:
            out[selector] = widget.region
    return out


@pytest.mark.parametrize("werkvorm", ["standaard", "incidentmethode"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_nothing_overlaps_in_a_round_and_notices_keep_clear(make_app, clock, store, size, werkvorm):
    from kring.data.meetings import create_meeting
    from kring.workformats.loader import find

    meeting_id = create_meeting(store, find(werkvorm).model_dump(mode="json"),
                                ["Anouk", "Bram", "Fatima", "Joris", "Lotte"], clock)
    append_event(store, meeting_id, "start", clock.now())
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Fatima"})
    clock.advance(seconds=50)
    app = make_app(meeting_id)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(app, pilot)
        regions = _regions(app)
        name = app.screen.query_one("#round-name", BigName)
        width, height = size
        if height >= 36 and werkvorm == "standaard":  # the check-in round: Fatima has the floor
            assert name.size.height >= 5 and name.size.height >= app.screen.query_one("#countdown").size.height // 2
        elif width >= 60 and werkvorm == "standaard":
            assert name.size.height == 3
        screen = app.screen.region
        for key, region in regions.items():
            assert screen.contains_region(region), (key, region)
        keys = list(regions)
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                assert not regions[a].overlaps(regions[b]), (a, regions[a], b, regions[b])
        app.screen.notify("Rondje compleet: iedereen is aan de beurt geweest.")
        await pilot.pause()
        toasts = [t.region for t in app.screen.query("Toast")]
        assert toasts
        steps = app.screen.query_one("#steps")
        rows = steps.region.y + 2 + len(app.timeline().steps)  # the border, the margin, one row a step
        listed = steps.region.intersection(steps.region.__class__(0, 0, width, rows))
        for toast in toasts:
            assert not toast.overlaps(regions["#status"]), toast
            assert not toast.overlaps(listed), (toast, listed)
        await pilot.press("space")  # paused: a large PAUZE under the clock
        await settle(app, pilot)
        regions = _regions(app)
        assert "#clock-word" in regions and "#steps" in regions and "#status" in regions
        if height >= 36:
            assert app.screen.query_one("#clock-word").size.height >= 5
        keys = list(regions)
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                assert not regions[a].overlaps(regions[b]), (a, regions[a], b, regions[b])


@pytest.mark.parametrize("size", [(80, 24), (120, 26)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_notice_beside_the_clock_is_shown_whole(make_app, clock, store, size):
    """A long agenda leaves no rows under the list, so notices go up beside the clock; there a
    three-line one (the report's file and 'without confidential notes') used to lose its last line."""
    from kring.data.meetings import create_meeting
    from kring.workformats.loader import find

    meeting_id = create_meeting(store, find("incidentmethode").model_dump(mode="json"),
                                ["Anouk", "Bram", "Fatima", "Joris", "Lotte"], clock)
    append_event(store, meeting_id, "start", clock.now())
    app = make_app(meeting_id)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(app, pilot)
        assert app.screen.has_class("-notices-top")
        app.screen.notify("Verslag geschreven naar /home/moderator/verslagen/verslag-12-2026-12-02.html "
                          "(zonder vertrouwelijke notities)")
        await pilot.pause()
        toasts = list(app.screen.query("Toast"))
        assert toasts
        for toast in toasts:
            text = toast.content_region
            for y in range(text.y, text.bottom):  # every line of its text is on top, none clipped away
                assert app.screen.get_widget_at(text.x, y)[0] is toast, (y, text)


@pytest.mark.parametrize("size", [*SIZES, (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_break_keeps_the_list_and_the_budget_line_on_screen(make_app, meeting_id, clock, store, size):
    """The break's line under the clock ('We gaan verder om … · spatie: nu verder') widened the
    clock's column until the panel beside it was one cell wide; its text, a letter a row, pushed
    the list and the budget line off a 60x20 or 40x12 window."""
    append_event(store, meeting_id, "start", clock.now())
    clock.advance(minutes=2)
    append_event(store, meeting_id, "break", clock.now(), {"until": clock.now().add(minutes=15).isoformat()})
    app = make_app(meeting_id)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = app.screen.region
        for selector in ("#steps", "#status", "#countdown"):
            region = app.screen.query_one(selector).region
            assert region.height >= 1 and screen.contains_region(region), (selector, region)
        assert "We gaan verder om" in str(app.screen.query_one("#clock-cue").render())
