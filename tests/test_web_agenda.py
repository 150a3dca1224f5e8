"""The agenda's part for participants' phones: `k` shows the served link and its QR code,
and the evaluation step shows it by itself."""

from __future__ import annotations

from kring.data.weblink import record_served, token_for


async def settle(app, pilot):
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


def serve(store, meeting_id, clock) -> str:
    token = token_for(store, meeting_id, clock)
    url = f"http://192.168.1.20:8765/m/{token}"
    record_served(store, token, url, clock)
    return url


async def test_k_without_a_server_says_how_to_start_one(make_app, meeting_id):
    app = make_app(meeting_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("k")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "AgendaScreen"
        assert any("kring serve" in str(n.message) for n in app._notifications)
        assert not app.screen.query_one("#weblink-panel").display


async def test_k_shows_the_link_and_its_qr_code(make_app, meeting_id, store, clock):
    url = serve(store, meeting_id, clock)
    app = make_app(meeting_id)
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.screen.query_one("#weblink-panel").display  # the panel says a link is served
        await pilot.press("k")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "WebLinkScreen"
        assert str(app.screen.query_one("#weblink-url").render()) == url
        qr = str(app.screen.query_one("#weblink-qr").render())
        assert len(qr.splitlines()) > 15 and set(qr) <= set("█▀▄ \n")
        await pilot.press("escape")
        assert type(app.screen).__name__ == "AgendaScreen"


async def test_the_evaluation_step_shows_the_code_by_itself_once(make_app, meeting_id, store, clock):
    serve(store, meeting_id, clock)
    app = make_app(meeting_id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("space")
        steps = len(app.timeline().steps)
        for _ in range(steps - 1):
            await pilot.press("n")
            await settle(app, pilot)
        assert app.timeline().current == steps - 1
        assert type(app.screen).__name__ == "WebLinkScreen"
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "AgendaScreen"  # once, not again on every refresh
