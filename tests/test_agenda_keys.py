"""Every moderator key on the live agenda, driven through Pilot with a fake clock."""

from __future__ import annotations

from kring.tui.widgets.countdown import Countdown


async def settle(app, pilot):
    """Let the outbox write and the screen redraw; never waits for a timer."""
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


async def test_space_starts_pauses_and_resumes(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.timeline().current is None
        await pilot.press("space")
        await settle(app, pilot)
        assert app.timeline().running and app.timeline().current == 0
        clock.advance(minutes=3)
        await pilot.press("space")  # pause
        clock.advance(minutes=5)  # paused time does not count
        await settle(app, pilot)
        tl = app.timeline()
        assert not tl.running
        assert tl.live.elapsed == 180
        assert app.screen.query_one("#countdown", Countdown).value == "07:00"
        await pilot.press("space")
        clock.advance(seconds=30)
        await settle(app, pilot)
        assert app.screen.query_one("#countdown", Countdown).value == "06:30"


async def test_next_previous_and_minutes(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        clock.advance(minutes=2)
        await pilot.press("n")
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.current == 1 and tl.running  # moving to a step starts its timer
        assert tl.steps[0].elapsed == 120
        await pilot.press("plus", "plus", "minus")
        await settle(app, pilot)
        assert app.timeline().steps[1].planned == 11 * 60
        await pilot.press("p")
        clock.advance(seconds=10)
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.current == 0 and tl.steps[0].elapsed == 130  # going back resumes its time


async def test_overrun_shows_plus_and_rings_once(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    bells = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.bell = lambda: bells.append(clock.now())
        await pilot.press("space")
        await settle(app, pilot)
        clock.advance(minutes=8, seconds=30)
        await settle(app, pilot)
        digits = app.screen.query_one("#countdown", Countdown)
        assert digits.has_class("-warn") and not digits.has_class("-over")
        clock.advance(minutes=2)
        await settle(app, pilot)
        assert digits.value == "+00:30"
        assert digits.has_class("-over")
        assert app.screen.query_one("#steps").state_texts[0] == "+00:30"
        clock.advance(seconds=30)
        await settle(app, pilot)
        assert len(bells) == 1


async def test_help_lists_every_key(make_app, meeting_id):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        from kring.screens.dialogs.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        keys = {k for shown, _ in app.screen.rows for k in shown.split(", ")}
        for key in ("space", "n", "p", "+", "-", "x", "?", "q"):
            assert key in keys
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_keys_are_written_to_the_store(make_app, meeting_id, store, clock):
    from kring.data.meetings import timeline

    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        clock.advance(minutes=4)
        await pilot.press("n")
        app.outbox.flush()
    # a fresh process derives the same state from the store alone
    tl = timeline(store, meeting_id, clock)
    assert tl.current == 1 and tl.steps[0].elapsed == 240


async def test_x_closes_the_meeting_after_asking(make_app, meeting_id, clock, store):
    from kring.data.meetings import get_meeting
    from kring.screens.dialogs.confirm import ConfirmScreen

    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        clock.advance(minutes=5)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # changed my mind
        await settle(app, pilot)
        assert not app.timeline().closed
        await pilot.press("x", "j")
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.closed and tl.closed_at == clock.now()
        clock.advance(minutes=10)
        await pilot.press("space", "n")  # nothing moves after the end
        await settle(app, pilot)
        assert app.timeline().steps[0].elapsed == 300
    assert get_meeting(store, meeting_id).status == "closed"


async def test_q_leaves_and_the_meeting_goes_on(make_app, meeting_id, clock, store):
    from kring.data.meetings import timeline

    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "q")
        await pilot.pause()
    clock.advance(minutes=4)
    tl = timeline(store, meeting_id, clock)
    assert tl.running and tl.steps[0].elapsed == 240
