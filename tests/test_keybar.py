"""The agenda's line of keys: the compact Footer's picture as one widget; the
help key never gives way on a narrow screen; a click presses the key."""

from __future__ import annotations

from kring.tui.widgets.keybar import KeyBar


async def settle(app, pilot):
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


def shown(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def test_the_keys_of_the_agenda_in_order(make_app, meeting_id):
    app = make_app(meeting_id)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        assert shown(app) == "space Start/pauze n Volgende p Vorige + +1 min - -1 min s Spreker ? Toetsen"


async def test_on_a_narrow_screen_keys_give_way_but_help_stays(make_app, meeting_id):
    app = make_app(meeting_id)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(app, pilot)
        line = shown(app)
        assert line == "space Start/pauze n Volgende ? Toetsen"
        assert len(line) <= 40


async def test_a_click_on_a_key_presses_it(make_app, meeting_id):
    app = make_app(meeting_id)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        assert app.timeline().current is None
        await pilot.click(KeyBar, offset=(2, 0))  # on "space"
        await settle(app, pilot)
        assert app.timeline().running and app.timeline().current == 0
        x = shown(app).index("n Volgende") + 4
        await pilot.click(KeyBar, offset=(x, 0))
        await settle(app, pilot)
        assert app.timeline().current == 1
        await pilot.click(KeyBar, offset=(len(shown(app)) + 2, 0))  # beside the keys: nothing
        await settle(app, pilot)
        assert app.timeline().current == 1
