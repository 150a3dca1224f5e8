"""What the network editor looks like at 80x24 (no clock on this screen, no cursor blink)."""

from __future__ import annotations

from tests.test_network import make_network


def test_network_editor_80x24(snap_compare, store, clock):
    from textual.widgets import Input, TextArea

    from kring.data.networks import update_network
    from kring.tui.network_app import NetworkApp

    network_id = make_network(store, clock)
    update_network(store, network_id, add_rules=["Wat in de kring gedeeld wordt, blijft in de kring",
                                                 "Telefoons op stil"])

    async def loaded(pilot):
        app = pilot.app
        await app.workers.wait_for_complete()
        await pilot.pause()
        for field in app.screen.query(Input):
            field.cursor_blink = False
        app.screen.query_one(TextArea).cursor_blink = False
        await pilot.pause()

    assert snap_compare(NetworkApp(store, network_id, clock=clock), terminal_size=(80, 24), run_before=loaded)
