"""The moderator's round keys, driven through Pilot with a fake clock."""

from __future__ import annotations

import pytest
from sqlmodel import select

from kring.data.meetings import create_meeting, get_meeting, load_events
from kring.data.models import Network
from kring.workformats.loader import find

NAMES = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]


async def settle(app, pilot):
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


def meeting(store, clock, fmt="incidentmethode", names=NAMES, network_id=None):
    return create_meeting(store, find(fmt).model_dump(mode="json"), names, clock, network_id=network_id)


@pytest.fixture
def incident(store, clock):
    return meeting(store, clock)


def heard(app):
    """Every notification the app shows, in order."""
    said: list[str] = []
    app.notify = lambda message, **kw: said.append(str(message))  # type: ignore[method-assign]
    return said


def view(app):
    from kring.data.core.rounds import round_view

    return round_view(app.meeting.format, app.meeting.names, app.timeline())


def panel_text(app) -> str:
    from textual.widgets import Static

    panel = app.screen.query_one("#rounds-panel")
    return "\n".join(str(w.render()) for w in panel.query(Static) if w.display)


async def test_s_gives_the_floor_round_the_group_and_ends_the_round(make_app, incident, clock):
    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        said = heard(app)
        await pilot.press("s")
        assert said[-1] == "Druk op spatie om de eerste stap te beginnen."
        await pilot.press("space")
        await settle(app, pilot)
        assert "Eerst: Anouk" in panel_text(app)
        await pilot.press("s")
        clock.advance(seconds=20)
        await settle(app, pilot)
        assert app.timeline().speaker == "Anouk"
        assert "Anouk heeft het woord · nog 00:40 van 01:00 p.p." in panel_text(app)
        for _ in range(4):
            await pilot.press("s")
        await settle(app, pilot)
        assert app.timeline().speaker == "Lotte"
        await pilot.press("s")
        await settle(app, pilot)
        assert app.timeline().speaker is None and view(app).complete
        assert "Rondje klaar" in said[-1] and "Rondje klaar" in panel_text(app)
        assert view(app).done == NAMES


async def test_w_passes_and_the_passer_is_asked_again_at_the_end(make_app, incident, clock):
    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        said = heard(app)
        await pilot.press("space", "s")
        clock.advance(seconds=3)
        await pilot.press("w")
        await settle(app, pilot)
        assert said[-1] == "Anouk past en wordt aan het eind van het rondje nog eens gevraagd."
        tl = app.timeline()
        assert tl.speaker == "Bram" and tl.speaking["Anouk"].turns == 0
        assert view(app).queue == ["Fatima", "Joris", "Lotte", "Anouk"]
        assert "↻ Anouk" in panel_text(app)
        await pilot.press("s", "s", "s", "s")
        await settle(app, pilot)
        assert app.timeline().speaker == "Anouk"
        await pilot.press("w")  # passes again: done, not asked a third time
        await settle(app, pilot)
        assert app.timeline().speaker is None and view(app).complete
        assert "geen derde keer" in said[-2]


async def test_the_last_one_passing_is_asked_again_at_once(make_app, store, clock):
    app = make_app(meeting(store, clock, names=["Anouk", "Bram"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "s", "s")  # Bram has the floor, nobody after him
        await pilot.press("w")
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.speaker == "Bram" and tl.steps[0].second == ["Bram"]


async def test_a_marks_absent_and_the_floor_moves_on(make_app, incident, clock):
    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        said = heard(app)
        await pilot.press("space", "a")  # nobody has the floor: Anouk, up first, is not here
        await settle(app, pilot)
        assert app.timeline().absent == ["Anouk"] and app.timeline().speaker is None
        assert view(app).next == "Bram" and view(app).share == 75
        await pilot.press("s", "s")  # Bram, then Fatima
        await pilot.press("a")  # Fatima holds the floor: she is absent after all
        await settle(app, pilot)
        assert app.timeline().speaker == "Joris"
        assert "Fatima staat op afwezig" in said[-1]
        assert "✗ Fatima" in panel_text(app)


async def test_l_adds_a_latecomer_or_brings_someone_back(make_app, incident, store, clock):
    from kring.screens.dialogs.latecomer import LatecomerScreen

    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "s", "a")  # Anouk absent
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LatecomerScreen)
        await pilot.press(*"bram", "enter")
        await pilot.pause()
        # refused: the modal stays, says why, and keeps what was typed
        assert isinstance(app.screen, LatecomerScreen)
        assert "Bram doet al mee." in str(app.screen.query_one("#latecomer-error").render())
        from textual.widgets import Input

        assert app.screen.query_one(Input).value == "bram"
        app.screen.query_one(Input).value = ""
        await pilot.press(*"Sanne", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, LatecomerScreen)
        assert app.timeline().joined == ["Sanne"]
        assert view(app).queue[-1] == "Sanne" and view(app).speakers == 5
        assert get_meeting(store, incident).names == NAMES + ["Sanne"]
        await pilot.press("l", *"anouk", "enter")  # back again
        await settle(app, pilot)
        assert app.timeline().absent == []
        await pilot.press("l", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, LatecomerScreen)


async def test_c_records_and_changes_the_case_bringer(make_app, incident, clock):
    from kring.screens.dialogs.casechoice import CaseChoiceScreen

    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "n", "n")  # step 3: choose an incident
        await settle(app, pilot)
        assert "Kies de casus" in panel_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CaseChoiceScreen)
        await pilot.press("down", "down", "tab", *"Ruzie", "enter")  # Fatima, with the case in a word
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.case_bringer == "Fatima" and tl.case_title == "Ruzie"
        assert "Inbrenger: Fatima — Ruzie" in panel_text(app)
        await pilot.press("n")  # the sketch: the case-bringer has the floor
        await settle(app, pilot)
        assert app.timeline().speaker == "Fatima"
        assert "Fatima brengt de casus in en heeft het woord" in panel_text(app)
        await pilot.press("c", "down", "enter")  # the moderator changes it: Joris
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.case_bringer == "Joris" and tl.speaker == "Joris"
        await pilot.press("c", "escape")
        await settle(app, pilot)
        assert app.timeline().case_bringer == "Joris"


async def test_s_in_a_case_step_and_outside_rounds(make_app, incident):
    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        said = heard(app)
        await pilot.press("space", "n", "n", "s")
        assert said[-1] == "Deze stap heeft geen rondje: er is geen sprekersvolgorde."
        await pilot.press("n", "s")
        assert said[-1] == "In deze stap heeft de inbrenger het woord."
        assert "Nog geen inbrenger: druk c" in panel_text(app)


async def test_o_shuffles_and_the_network_remembers(make_app, store, clock):
    with store.writing() as s:
        net = Network(name="Wijkzorg")
        s.add(net)
        s.flush()
        network_id = net.id
    first = meeting(store, clock, network_id=network_id)
    app = make_app(first)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.order_mode == "shuffle" and sorted(tl.order_names) == sorted(NAMES)
        assert tl.order_names != NAMES
    with store.session() as s:
        assert s.exec(select(Network.round_order)).one() == "shuffle"
    # the network's next meeting starts shuffled by itself
    second = meeting(store, clock, network_id=network_id)
    app = make_app(second)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await settle(app, pilot)
        assert app.timeline().order_mode == "shuffle"
        await pilot.press("o")  # back to seating, remembered too
        await settle(app, pilot)
        assert app.timeline().order_mode == "seating"
    with store.session() as s:
        assert s.exec(select(Network.round_order)).one() == "seating"
    kinds = [e.kind for e in load_events(store, second)]
    assert kinds.count("order") == 2


async def test_r_loops_back_to_the_questions(make_app, store, clock):
    app = make_app(meeting(store, clock, fmt="vijfstappenmethode"))
    async with app.run_test(size=(80, 24)) as pilot:
        said = heard(app)
        await pilot.press("space", "r")
        assert said[-1] == "Vanuit deze stap is er geen weg terug naar een eerdere stap."
        await pilot.press("n", "s", "s", "n", "n")  # to the advice round
        clock.advance(minutes=16)
        await settle(app, pilot)
        assert "r: terug naar 'Verkennen met open vragen'" in panel_text(app)
        await pilot.press("r")
        await pilot.pause()
        from kring.screens.dialogs.loop import LoopScreen

        assert isinstance(app.screen, LoopScreen)
        await pilot.press("enter")  # half of the time left, the default
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.current == 1 and tl.steps[1].loops == 1 and tl.steps[3].remaining < 15 * 60
        assert all(s.planned % 60 == 0 for s in tl.steps)
        assert view(app).next == "Anouk" and not view(app).started
        assert said[-1].startswith("Terug naar 'Verkennen met open vragen'")


async def test_t_shows_who_spoke_how_long(make_app, incident, clock):
    from kring.screens.dialogs.speaking import SpeakingScreen

    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "s")
        clock.advance(seconds=50)
        await pilot.press("s")
        clock.advance(seconds=10)
        await settle(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, SpeakingScreen)
        line = str(app.screen.query_one("#evenness").render())
        assert "meest: Anouk" in line and "Gelijkheid" in line
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SpeakingScreen)


async def test_v_records_the_case_bringers_consent(make_app, incident, clock):
    from kring.data.core.rounds import confidential_default

    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        said = heard(app)
        await pilot.press("space", "v")
        assert said[-1] == "Kies eerst de inbrenger (c)."
        await pilot.press("c", "enter")  # Anouk
        await pilot.press("v")
        await app.workers.wait_for_complete()  # v counts the case's notes in a thread, then asks
        await pilot.pause()
        await pilot.press("j")
        await settle(app, pilot)
        assert app.timeline().consent
        assert not confidential_default(app.meeting.format, app.events, 4)
        assert "mag gedeeld worden (Anouk stemde in)" in panel_text(app)
        await pilot.press("v")
        await app.workers.wait_for_complete()  # v counts the case's notes in a thread, then asks
        await pilot.pause()
        await pilot.press("j")
        await settle(app, pilot)
        assert confidential_default(app.meeting.format, app.events, 4)


async def test_every_round_key_is_in_the_help_with_an_id(make_app, incident):
    from kring.screens.agenda_rounds import RoundsPart
    from kring.screens.dialogs.help import HelpScreen

    ids = {b.id for b in RoundsPart.BINDINGS}
    assert "rounds.next_speaker" in ids and all(i.startswith("rounds.") for i in ids)
    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = {k for keys, _ in app.screen.rows for k in keys.split(", ")}
        for key in ("s", "w", "a", "l", "c", "o", "r", "t", "v"):
            assert key in shown
        assert ("s", "Volgende spreker") in app.screen.rows


async def test_a_restarted_moderator_finds_the_same_speaker_and_time(make_app, incident, clock):
    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "s", "s")
        clock.advance(seconds=25)
        await settle(app, pilot)
    # a new process: everything comes from the store
    clock.advance(seconds=10)
    again = make_app(incident)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tl = again.timeline()
        assert tl.speaker == "Bram" and tl.speaker_since == 35
        assert "Bram heeft het woord · nog 00:25 van 01:00 p.p." in panel_text(again)


@pytest.mark.parametrize("size", [(40, 12), (30, 8), (80, 24)])
async def test_small_terminals_survive_a_round_and_its_modals(make_app, incident, size):
    app = make_app(incident)
    async with app.run_test(size=size) as pilot:
        await pilot.press("space", "s", "w", "a")
        await settle(app, pilot)
        for key in ("l", "c", "t"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        await pilot.resize_terminal(*size)
        await settle(app, pilot)
        assert app.timeline().speaker == "Fatima"


async def test_a_round_with_no_participants_says_so_and_a_latecomer_fixes_it(make_app, store, clock):
    app = make_app(meeting(store, clock, names=[]))
    async with app.run_test(size=(80, 24)) as pilot:
        said = heard(app)
        await pilot.press("space", "s")
        await settle(app, pilot)
        assert "iedereen is afwezig" in said[-1]
        assert "Geen rondje mogelijk" in panel_text(app)
        await pilot.press("c")
        assert "niemand aanwezig" in said[-1]
        await pilot.press("l", *"Sanne", "enter", "s")
        await settle(app, pilot)
        assert app.timeline().speaker == "Sanne" and view(app).share == 5 * 60


async def test_someone_absent_and_back_again_gets_their_turn(make_app, incident, clock):
    app = make_app(incident)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space", "s", "s")  # Bram is called …
        await pilot.press("a")  # … but has stepped out: Fatima has the floor
        await settle(app, pilot)
        assert app.timeline().speaker == "Fatima" and "Bram" not in view(app).done
        await pilot.press("l", *"bram", "enter")  # he is back
        await settle(app, pilot)
        assert "Bram" in view(app).queue and "Bram" not in view(app).done
        for _ in range(4):
            await pilot.press("s")
        await settle(app, pilot)
        assert sorted(view(app).done) == sorted(NAMES)
        assert app.timeline().speaking["Bram"].turns == 1


async def test_r_asks_which_share_of_the_time_left_the_loop_gets(make_app, store, clock):
    from kring.screens.dialogs.loop import LoopScreen

    app = make_app(meeting(store, clock, fmt="vijfstappenmethode"))
    async with app.run_test(size=(80, 24)) as pilot:
        said = heard(app)
        fmt = app.meeting.format
        planned = sum(p.seconds for p in fmt.plan) // 60
        await pilot.press("space", "n", "n", "n")  # to the advice round
        clock.advance(minutes=20)
        await settle(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, LoopScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        left = planned - 20
        assert f"Nog {left} min tot het geplande einde" in text
        await pilot.press("escape")  # changed their mind: nothing recorded
        await settle(app, pilot)
        assert app.timeline().current == 3 and app.timeline().steps[1].loops == 0
        await pilot.press("r", "up", "enter")  # a third of the time left
        await settle(app, pilot)
        tl = app.timeline()
        together = sum(tl.steps[i].planned - tl.steps[i].pass_from for i in range(1, 4))
        goto = [e for e in app.live.events if e.kind == "goto" and e.data.get("loop")][-1]
        assert sum(goto.data["minutes"]) == left // 3
        assert left // 3 * 60 <= together < (left // 3 + 3) * 60  # whole minutes, never less than chosen
        assert all(s.planned % 60 == 0 for s in tl.steps)
        assert f"krijgen samen {left // 3} minuten" in said[-1]


async def test_a_notice_never_covers_the_projectors_budget_line(make_app, incident):
    app = make_app(incident)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.press("space")
        app.notify("Terug naar 'Verkennen met open vragen': deze stappen krijgen samen 29 minuten.")
        await pilot.pause()
        await pilot.pause()
        status = app.screen.query_one("#status")
        toasts = list(app.screen.query("Toast"))
        assert toasts and all(not t.region.overlaps(status.region) for t in toasts)


async def test_in_a_break_nobody_has_the_floor_and_the_round_goes_on_after(make_app, incident, clock):
    app = make_app(incident)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space", "s", "s")
        clock.advance(seconds=10)
        await settle(app, pilot)
        assert app.timeline().speaker == "Bram"
        assert app.screen.query_one("#round-name").text == "Bram"
        await pilot.press("f")
        await pilot.pause()
        from textual.widgets import Input

        app.screen.query_one(Input).value = "19:40"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.timeline().on_break
        assert app.screen.query_one("#round-name").text == ""  # the name is not large in a break
        text = panel_text(app)
        assert "heeft het woord" not in text and "▶" not in text
        assert "Pauze: Bram gaat verder na de pauze" in text
        assert text.count("→") == 1 and "→ Bram" in text  # only the one who goes on, not also who follows
        await pilot.press("space")  # on now: the round resumes with Bram
        await settle(app, pilot)
        assert not app.timeline().on_break
        assert app.screen.query_one("#round-name").text == "Bram"
        assert "Bram heeft het woord" in panel_text(app)


async def test_the_case_choice_says_its_keys_readably_at_40x12(make_app, incident, clock):
    """The smallest terminal still reads how to add the case in a few words, whole."""
    from kring.screens.dialogs.casechoice import CaseChoiceScreen

    app = make_app(incident)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("space", "n", "n")
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CaseChoiceScreen)
        hint = dialog.query_one(".hint.-short")
        box = dialog.query_one("#casechoice")
        assert hint.display and box.region.contains_region(hint.region), (hint.region, box.region)
        shown = str(hint.render())
        assert "tab: de casus" in shown and "enter" in shown, shown
        assert len(shown) <= hint.region.width  # one whole line: nothing cut off
        assert all(box.region.contains_region(w.region) for w in dialog.query("#casechoice > *") if w.display)
        await pilot.press("down", "tab", *"Ruzie", "enter")
        await settle(app, pilot)
        assert (app.timeline().case_bringer, app.timeline().case_title) == ("Bram", "Ruzie")
