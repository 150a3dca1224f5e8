"""Done means: a network with five members and learning questions runs its kick-off, then two
meetings; the second starts with the first's open actions and a proposed role rotation, and a
search finds an insight from the first. Driven through the data functions, the event log and the
moderator's agenda (Pilot, fake clock)."""

from __future__ import annotations

import argparse

from textual.widgets import Input

from kring.data import networks
from kring.data import roles as role_rotation
from kring.data.actions import open_actions
from kring.data.meetings import append_event, get_meeting, load_events
from kring.data.search import learned_per_question, search_notes
from kring.screens.dialogs.network_overview import NetworkOverviewScreen
from kring.screens.dialogs.prompt import TextPromptScreen
from kring.screens.dialogs.roles import RolesScreen
from kring.tui.commands.network import prepare_network_meeting
from tests.test_network import MEMBERS, add_note, make_network


async def settle(app, pilot):
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


def next_meeting(store, clock, **kw) -> int:
    args = argparse.Namespace(network="Wijkzorg Utrecht", werkvorm=None, role=[], title=None, place="",
                              participant=[], db=store.url)
    for key, value in kw.items():
        setattr(args, key, value)
    other, meeting_id = prepare_network_meeting(args, clock)
    other.close()
    return meeting_id


def roles_of(store, meeting_id) -> dict[str, str]:
    return role_rotation.meeting_roles(store, meeting_id)


async def test_a_network_from_kickoff_to_its_second_meeting(store, clock, make_app):
    network_id = make_network(store, clock)
    assert len(networks.get_network(store, network_id).members) == 5

    # --- the kick-off: roles confirmed on screen, a ground rule agreed with b, then closed
    kickoff = next_meeting(store, clock)
    assert get_meeting(store, kickoff).werkvorm == "kickoff"
    proposed = roles_of(store, kickoff)
    app = make_app(kickoff, confirm_roles=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, RolesScreen)
        await pilot.press("down", "right", "enter")  # the note-taker role goes to the next person
        await settle(app, pilot)
        assert not isinstance(app.screen, RolesScreen)
        rules_step = app.meeting.format.index_of("spelregels")
        await pilot.press("space", *["n"] * rules_step)
        await settle(app, pilot)
        assert app.timeline().current == rules_step
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, TextPromptScreen)
        app.screen.query_one(Input).value = "Wat in de kring gedeeld wordt, blijft in de kring"
        await pilot.press("enter")
        await settle(app, pilot)
        assert "blijft in de kring" in str(app.screen.query_one("#network-panel").render())
        clock.advance(minutes=95)
        await pilot.press("x", "j")
        await settle(app, pilot)
    kickoff_roles = roles_of(store, kickoff)
    assert kickoff_roles["moderator"] == proposed["moderator"]
    assert kickoff_roles["notulist"] != proposed["notulist"]  # changed on the roles screen
    assert any(e.kind == "roles" for e in load_events(store, kickoff))
    assert get_meeting(store, kickoff).status == "closed"
    assert networks.get_network(store, network_id).ground_rules == [
        "Wat in de kring gedeeld wordt, blijft in de kring"]
    clock.advance(minutes=60 * 24 * 42)

    # --- the first regular meeting: an action and an insight are noted, then it closes
    first = next_meeting(store, clock)
    assert get_meeting(store, first).werkvorm == "standaard"
    first_roles = roles_of(store, first)
    # those who had no role at the kick-off get one now, and nobody has the same role again
    assert {m[0] for m in MEMBERS} - set(kickoff_roles.values()) <= set(first_roles.values())
    assert all(first_roles[r] != kickoff_roles[r] for r in first_roles)
    assert len(set(kickoff_roles.values())) == 3  # a change on the roles screen swaps, never doubles
    append_event(store, first, "start", clock.now())
    add_note(store, first, "action", "Bel de wijkagent over de hangplek", clock, owner="Bram Jansen",
             due="2026-12-04", author=first_roles["notulist"])
    add_note(store, first, "insight", "Vrijwilligers blijven als ze een vaste taak en een maatje hebben", clock,
             speaker="Anouk de Vries", author=first_roles["notulist"])
    clock.advance(minutes=100)
    append_event(store, first, "close", clock.now())
    clock.advance(minutes=60 * 24 * 42)

    # --- the second meeting starts from the first's open actions and a fair rotation
    proposal = role_rotation.propose_roles(store, network_id)
    second = next_meeting(store, clock)
    second_roles = roles_of(store, second)
    assert second_roles == proposal
    history = role_rotation.role_history(store, network_id)
    for role, name in second_roles.items():
        # each role goes to someone who never held it, while three of the five never did
        assert history[name].count[role] == 1
        assert sum(1 for m in MEMBERS if history[m[0]].count.get(role, 0) == 0) == 2
    assert second_roles["moderator"] not in (kickoff_roles["moderator"], first_roles["moderator"])
    assert [a.text for a in open_actions(store, network_id, before_meeting=second)] == [
        "Bel de wijkagent over de hangplek"]

    app = make_app(second, confirm_roles=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, RolesScreen)
        shown = str(app.screen.query_one("#roles-table").render())
        assert second_roles["moderator"] in shown and second_roles["notulist"] in shown
        await pilot.press("enter")  # accept the proposal as it is
        await settle(app, pilot)
        panel = str(app.screen.query_one("#network-panel").render())
        assert "Open acties (1)" in panel and "Bel de wijkagent" in panel
        assert "Spelregels" in panel and "blijft in de kring" in panel
        assert second_roles["moderator"] in panel
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, NetworkOverviewScreen)
        overview = str(app.screen.query_one("#overview Static").render())
        assert "Hoe signaleer ik eenzaamheid bij jongeren?" in overview and "Bel de wijkagent" in overview
        await pilot.press("escape")
        await pilot.press("space", "n")
        await settle(app, pilot)
        assert "▸ ○ Bel de wijkagent" in str(app.screen.query_one("#network-panel").render())
        await pilot.press("g")
        await settle(app, pilot)
    assert roles_of(store, second) == second_roles
    assert open_actions(store, network_id) == []

    # --- knowledge others can use: the first meeting's insight is found, and filed under the question
    [hit] = search_notes(store, "vrijwilligers maatje", network_id, order="useful")
    assert hit.kind == "insight" and hit.meeting_id == first
    anouk = next(e for e in learned_per_question(store, network_id) if e.member == "Anouk de Vries")
    assert [i.hit.meeting_id for i in anouk.items] == [first]
