"""The network's life proposes the next phase (the kick-off after the intake, borging after the final
evaluation) in `kring network show` and the network editor; the editor chooses the evaluation form and
anonymity as `kring network set` does."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Select, Static

from kring.data import network_meetings, networks, planning
from kring.data.core.life import next_phase
from kring.screens.network import NetworkEditScreen
from kring.tui.network_app import NetworkApp
from tests.cli_helpers import run
from tests.test_network import close, fmt, make_network
from tests.test_network_cli import NET, make


@pytest.mark.parametrize("held, proposed", [
    ([], "kickoff"),
    (["intake"], "kickoff"),
    (["intake", "kickoff"], "standaard"),
    (["kickoff", "standaard", "incidentmethode"], "standaard"),
    (["kickoff", "standaard", "eindevaluatie"], "borging"),
    (["kickoff", "eindevaluatie", "borging"], "standaard"),
    (["intake", "standaard"], "standaard"),  # the group skipped its kick-off on purpose: no nagging
])
def test_the_life_proposes_from_the_meeting_held_last(held, proposed):
    assert next_phase(held).werkvorm == proposed


def test_why_is_said_only_for_a_phase_of_the_life():
    assert next_phase(["intake"]).why() == "na de intake"
    assert next_phase([]).why() == "de eerste bijeenkomst van het netwerk"
    assert next_phase(["eindevaluatie"]).why().startswith("na de eindevaluatie")
    assert next_phase(["kickoff"]).why() == "" and not next_phase(["kickoff"]).is_phase
    assert next_phase(["intake"]).is_due and next_phase(["eindevaluatie"]).is_due
    assert next_phase([]).is_phase and not next_phase([]).is_due  # a network may start with its intake


def held(store, network_id, name, clock) -> int:
    meeting_id = network_meetings.start_meeting(store, network_id, fmt(name), clock)
    close(store, meeting_id, clock)
    return meeting_id


def test_the_next_meeting_follows_the_life_of_the_network(store, clock):
    network_id = make_network(store, clock)
    held(store, network_id, "intake", clock)
    assert network_meetings.default_format(store, network_id) == "kickoff"
    held(store, network_id, "kickoff", clock)
    assert network_meetings.default_format(store, network_id) == "standaard"
    held(store, network_id, "eindevaluatie", clock)
    assert network_meetings.default_format(store, network_id) == "borging"
    label = network_meetings.next_meeting_label(store, network_id, clock.now())
    assert label.startswith("borging (na de eindevaluatie")


def _store_of(db):
    from kring.data.store import Store

    return Store(f"sqlite:///{db}")


def _next_line(shown: str) -> str:
    return next(line for line in shown.splitlines() if line.startswith("Volgende bijeenkomst:"))


def test_network_show_proposes_the_kickoff_after_the_intake_and_borging_after_the_final_evaluation(
        capsys, db, clock):
    make(capsys)
    _, shown, _ = run(capsys, "network", "show", NET)
    assert _next_line(shown).startswith("Volgende bijeenkomst: kickoff (de eerste bijeenkomst van het netwerk);")
    store = _store_of(db)
    network_id = networks.network_id_by_name(store, NET)
    held(store, network_id, "intake", clock)
    _, shown, _ = run(capsys, "network", "show", NET)
    assert _next_line(shown).startswith("Volgende bijeenkomst: kickoff (na de intake); voorgestelde rollen:")
    held(store, network_id, "kickoff", clock)
    _, shown, _ = run(capsys, "network", "show", NET)
    assert _next_line(shown).startswith("Volgende bijeenkomst: standaard;")
    held(store, network_id, "eindevaluatie", clock)
    _, shown, _ = run(capsys, "network", "show", NET)
    assert "borging (na de eindevaluatie: wat blijft ieder doen" in _next_line(shown)
    store.close()


def test_a_planned_format_wins_and_the_life_says_what_it_skips(capsys, db, clock):
    make(capsys)
    store = _store_of(db)
    network_id = networks.network_id_by_name(store, NET)
    assert run(capsys, "network", "plan", NET, "--at", "2099-01-08 19:30", "--format", "intake")[0] == 0
    _, shown, _ = run(capsys, "network", "show", NET)
    assert _next_line(shown).startswith("Volgende bijeenkomst: intake (gepland 8 jan. 2099 19:30);")
    assert "levensloop" not in shown  # starting with the intake skips nothing
    planned = planning.next_planned(store, network_id, clock.now())
    planning.link_meeting(store, planned.id, held(store, network_id, "intake", clock))  # the intake is held
    code, _, err = run(capsys, "network", "plan", NET, "--at", "2099-03-05 19:30", "--format", "standaard")
    assert code == 0, err
    _, shown, _ = run(capsys, "network", "show", NET)
    line = _next_line(shown)
    assert "standaard (gepland" in line and "de levensloop van het netwerk stelt kickoff (na de intake) voor" in line
    store.close()


async def _done(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_editor_shows_what_comes_next_and_chooses_the_evaluation(store, clock):
    from kring.data.folders import config_dir
    from kring.workformats.forms import BUILTIN_FORMS_DIR

    own = config_dir() / "formulieren"
    own.mkdir(parents=True)
    (own / "kort.yaml").write_text((BUILTIN_FORMS_DIR / "standaard.yaml").read_text(encoding="utf-8")
                                   .replace("name: standaard", "name: kort", 1), encoding="utf-8")
    network_id = make_network(store, clock)
    held(store, network_id, "intake", clock)
    app = NetworkApp(store, network_id, clock=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await _done(app, pilot)
        screen = app.screen
        assert isinstance(screen, NetworkEditScreen)
        assert str(screen.query_one("#net-next", Static).render()) == "Volgende bijeenkomst: kickoff (na de intake)"
        choice = screen.query_one("#net-evaluation-form", Select)
        assert choice.value == "standaard"
        assert [value for _label, value in choice._options if value != Select.NULL] == ["kort", "standaard"]
        anonymous = screen.query_one("#net-anonymous", Checkbox)
        assert not anonymous.value
        # on and off read differently without colour (a projector, grey scale)
        assert str(anonymous.render()).startswith("▐ ▌")
        anonymous.focus()
        await pilot.press("space")  # the switch, by its key
        assert anonymous.value
        assert str(anonymous.render()).startswith("▐X▌")
        # the roles are named as `network show` names them, and saved as the same roles
        roles = screen.query_one("#net-roles")
        assert roles.value == "procesbegeleider, notulist, tijdbewaker", roles.value
        choice.value = "kort"
        await pilot.press("ctrl+s")
        await _done(app, pilot)
        assert "Opgeslagen." in [n.message for n in app._notifications]
    info = networks.get_network(store, network_id)
    assert (info.evaluation_form, info.anonymous_evaluation) == ("kort", True)
    assert info.roles == ["moderator", "notulist", "tijdbewaker"]
    assert info.theme == "Samenwerken in de wijk"  # the rest as it was


async def test_the_editor_turns_anonymity_off_again_and_asks_before_leaving_unsaved(store, clock):
    from kring.data.evaluation import choose_for_network

    network_id = make_network(store, clock)
    choose_for_network(store, network_id, anonymous=True)
    app = NetworkApp(store, network_id, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await _done(app, pilot)
        anonymous = app.screen.query_one("#net-anonymous", Checkbox)
        assert anonymous.value
        anonymous.value = False
        await pilot.press("escape")  # a changed switch is a change: asked first
        await pilot.pause()
        from kring.screens.dialogs.confirm import ConfirmScreen

        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await _done(app, pilot)
    assert networks.get_network(store, network_id).anonymous_evaluation is False
