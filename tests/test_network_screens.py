"""The network editor (`kring network edit`): fields, members, bad input kept on screen, forgetting."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select, TextArea

from kring.data import networks
from kring.screens.dialogs.confirm import ConfirmScreen
from kring.screens.dialogs.member import MemberScreen
from kring.screens.dialogs.prompt import TextPromptScreen
from kring.screens.network import NetworkEditScreen, NetworkListScreen
from kring.tui.network_app import NetworkApp
from tests.test_network import make_network


async def done(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def member_form(screen, name="", email="", expertise="", questions=""):
    screen.query_one("#member-name", Input).value = name
    screen.query_one("#member-email", Input).value = email
    screen.query_one("#member-expertise", Input).value = expertise
    screen.query_one("#member-questions", TextArea).text = questions


async def test_edit_the_network_fields(store, clock):
    network_id = make_network(store, clock)
    app = NetworkApp(store, network_id, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await done(app, pilot)
        screen = app.screen
        assert isinstance(screen, NetworkEditScreen)
        assert screen.query_one("#net-theme", Input).value == "Samenwerken in de wijk"
        assert screen.query_one("#members", DataTable).row_count == 5
        screen.query_one("#net-goal", Input).value = "Elkaar versterken"
        screen.query_one("#net-kind", Select).value = "knowledge"
        screen.query_one("#net-rules", TextArea).text = "Telefoons op stil\n\nWe beginnen op tijd\n"
        await pilot.press("ctrl+s")
        await done(app, pilot)
    info = networks.get_network(store, network_id)
    assert info.goal == "Elkaar versterken" and info.kind == "knowledge"
    assert info.ground_rules == ["Telefoons op stil", "We beginnen op tijd"]


async def test_members_are_added_and_bad_input_stays_on_screen(store, clock):
    network_id = make_network(store, clock)
    app = NetworkApp(store, network_id, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await done(app, pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen)
        member_form(app.screen, "Sven Maes", "sven@", "vrijwilligers", "Hoe werf ik jongeren?\nHoe bedank ik?")
        await pilot.press("ctrl+s")
        await done(app, pilot)
        # refused with a message; what was typed is still there
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.query_one("#member-questions", TextArea).text.startswith("Hoe werf ik jongeren?")
        assert any("is geen e-mailadres" in n.message for n in app._notifications)
        app.screen.query_one("#member-email", Input).value = "sven@example.org"
        await pilot.press("ctrl+s")
        await done(app, pilot)
        assert isinstance(app.screen, NetworkEditScreen)
        assert app.screen.query_one("#members", DataTable).row_count == 6
        # a duplicate name is refused the same way
        await pilot.press("ctrl+n")
        await pilot.pause()
        member_form(app.screen, "sven maes")
        await pilot.press("ctrl+s")
        await done(app, pilot)
        assert isinstance(app.screen, MemberScreen)
        await pilot.press("escape")
        await pilot.pause()
    sven = networks.get_network(store, network_id).member("Sven Maes")
    assert sven.email == "sven@example.org" and sven.questions == ["Hoe werf ik jongeren?", "Hoe bedank ik?"]
    assert len(networks.get_network(store, network_id).members) == 6


async def test_change_and_forget_a_member(store, clock):
    network_id = make_network(store, clock)
    app = NetworkApp(store, network_id, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await done(app, pilot)
        table = app.screen.query_one("#members", DataTable)
        table.focus()
        table.move_cursor(row=1)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MemberScreen)
        assert app.screen.query_one("#member-name", Input).value == "Bram Jansen"
        app.screen.query_one("#member-expertise", Input).value = "praktijkopleider zorg"
        await pilot.press("ctrl+s")
        await done(app, pilot)
        assert isinstance(app.screen, NetworkEditScreen)
        await pilot.press("delete")
        await done(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Bram Jansen vergeten" in app.screen.question and "leervragen gewist" in app.screen.question
        await pilot.press("j")
        await done(app, pilot)
        assert app.screen.query_one("#members", DataTable).row_count == 4
    names = [m.name for m in networks.get_network(store, network_id).members]
    assert "Bram Jansen" not in names and len(names) == 4


async def test_make_a_new_network_from_the_list(store, clock):
    make_network(store, clock, name="Bestaand netwerk")
    app = NetworkApp(store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await done(app, pilot)
        assert isinstance(app.screen, NetworkListScreen)
        assert app.screen.query_one("#networks", DataTable).row_count == 1
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        app.screen.query_one(Input).value = "bestaand NETWERK"
        await pilot.press("enter")
        await done(app, pilot)
        assert isinstance(app.screen, NetworkListScreen)  # refused: that name exists
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one(Input).value = "Jeugdzorg Gent"
        await pilot.press("enter")
        await done(app, pilot)
        assert isinstance(app.screen, NetworkEditScreen)
        await pilot.press("escape")
        await done(app, pilot)
        assert isinstance(app.screen, NetworkListScreen)
        assert app.screen.query_one("#networks", DataTable).row_count == 2
    assert networks.get_network(store, "Jeugdzorg Gent").members == []


async def test_leaving_with_unsaved_changes_asks_first(store, clock):
    network_id = make_network(store, clock)
    app = NetworkApp(store, network_id, clock=clock)
    async with app.run_test(size=(40, 12)) as pilot:  # small terminals work too
        await done(app, pilot)
        app.screen.query_one("#net-theme", Input).value = "Iets anders"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NetworkEditScreen)
    assert networks.get_network(store, network_id).theme == "Samenwerken in de wijk"
