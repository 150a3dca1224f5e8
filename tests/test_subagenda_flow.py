"""The standard meeting's intervision step running the incidentmethode, driven through Pilot.

The moderator moves onto the step, chooses incidentmethode in the dialog, runs
through its steps (a round among them) with the keys that move through any
agenda, and comes back to the standard meeting's next step. A note-taker files
under the live sub-step; a restart comes back inside the sub-agenda.
"""

from __future__ import annotations

from kring.data.core.events import EventKind
from kring.data.meetings import load_events
from kring.screens.dialogs.workformat_choice import WorkFormatChoiceScreen
from kring.tui.widgets.countdown import Countdown
from kring.tui.widgets.steplist import StepList

INTERVISION = 3  # the standard meeting's "Intervisie met een werkvorm"


async def settle(app, pilot):
    """Let the outbox write and the screen redraw; never waits for a timer."""
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


async def to_intervision(app, pilot, clock) -> None:
    """Start, and move on (n) through the first three steps onto the intervision step."""
    await pilot.press("space")
    for _ in range(INTERVISION):
        clock.advance(minutes=10)
        await pilot.press("n")
    await settle(app, pilot)


async def choose(app, pilot, name: str) -> None:
    assert isinstance(app.screen, WorkFormatChoiceScreen)
    names = [str(o.id) for o in app.screen.query_one("#format-options").options]
    for _ in range(names.index(name)):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(app, pilot)


async def test_choose_incidentmethode_run_it_and_come_back(make_app, meeting_id, clock, store):
    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_intervision(app, pilot, clock)
        # on the step the panel offers W, which asks which work format runs in it: the intervision formats
        assert not isinstance(app.screen, WorkFormatChoiceScreen)
        assert "W" in str(app.screen.query_one("#subagenda-panel").render())
        await pilot.press("W")
        await settle(app, pilot)
        assert isinstance(app.screen, WorkFormatChoiceScreen)
        names = [str(o.id) for o in app.screen.query_one("#format-options").options]
        assert "incidentmethode" in names and "standaard" not in names and "inchecken" not in names
        await choose(app, pilot, "incidentmethode")
        tl = app.timeline()
        subs = tl.children(INTERVISION)
        assert len(subs) == 10 and tl.current == subs[0].index
        assert sum(s.planned for s in subs) == 45 * 60  # scaled to the step's 45 minutes
        screen = app.screen
        assert "4.1" in str(screen.query_one("#step-title").render())
        assert "Incidentmethode" in str(screen.query_one("#subagenda-panel").render())
        # the agenda nests its steps under the parent, indented, the parent's time counting down too
        rows = screen.query_one("#steps", StepList).rows
        assert [r.number for r in rows][:6] == ["1", "2", "3", "4", "4.1", "4.2"] and rows[-1].number == "5"
        assert rows[3].holds_live and rows[4].live

        # the first step is a round: s gives the floor in turn
        clock.advance(minutes=1)
        await pilot.press("s")
        await settle(app, pilot)
        assert app.timeline().speaker == "Anouk"
        await pilot.press("s")
        await settle(app, pilot)
        assert app.timeline().speaker == "Bram"
        assert screen.query_one("#countdown", Countdown).value.count(":") == 1

        # n and p move through the sub-agenda's steps
        await pilot.press("n")
        await settle(app, pilot)
        assert app.timeline().current == subs[1].index
        await pilot.press("p")
        await settle(app, pilot)
        assert app.timeline().current == subs[0].index
        for sub in subs[1:]:
            clock.advance(minutes=3)
            await pilot.press("n")
            await settle(app, pilot)
            assert app.timeline().current == sub.index
        # after its last step: back to the standard meeting's next step
        clock.advance(minutes=3)
        await pilot.press("n")
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.current == INTERVISION + 1 and tl.live.parent is None
        assert tl.steps[INTERVISION].elapsed == 31 * 60  # every minute inside was the parent's
        assert "Step 5 of 5" in str(screen.query_one("#step-title").render()) or "Stap 5 van 5" in str(
            screen.query_one("#step-title").render())
        kinds = [e.kind for e in load_events(store, meeting_id)]
        assert kinds.count(EventKind.SUBAGENDA) == 1


async def test_escape_runs_the_step_without_one_and_w_asks_again(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_intervision(app, pilot, clock)
        await pilot.press("W", "escape")
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.current == INTERVISION and not tl.children(INTERVISION)
        assert "W" in str(app.screen.query_one("#subagenda-panel").render())
        clock.advance(minutes=5)
        await pilot.press("W")
        await settle(app, pilot)
        await choose(app, pilot, "roddelmethode")
        tl = app.timeline()
        # five minutes went by in the step itself: the sub-agenda gets the 40 left
        assert sum(s.planned for s in tl.children(INTERVISION)) == 40 * 60
        await pilot.press("W")  # once is enough: a second sub-agenda is not offered
        await settle(app, pilot)
        assert not isinstance(app.screen, WorkFormatChoiceScreen)


async def test_a_step_that_names_its_work_format_starts_it(make_app, store, clock, standaard):
    from kring.data.meetings import create_meeting

    standaard["steps"][INTERVISION]["workformat"] = "incidentmethode"
    meeting = create_meeting(store, standaard, ["Anouk", "Bram", "Fatima"], clock)
    app = make_app(meeting)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_intervision(app, pilot, clock)
        assert not isinstance(app.screen, WorkFormatChoiceScreen)
        tl = app.timeline()
        assert tl.live.parent == INTERVISION and tl.live.number == "4.1"


async def test_resume_comes_back_inside_the_sub_agenda(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_intervision(app, pilot, clock)
        await pilot.press("W")
        await choose(app, pilot, "incidentmethode")
        await pilot.press("n", "n")
        await settle(app, pilot)
        inside = app.timeline().current
    # the process is gone (as after kill -9: the store has what the outbox wrote); a new one resumes
    clock.advance(minutes=2)
    again = make_app(meeting_id)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(again, pilot)
        tl = again.timeline()
        assert tl.current == inside and tl.live.number == "4.3" and tl.live.elapsed == 120
        assert "4.3" in str(again.screen.query_one("#step-title").render())
        await pilot.press("n")
        await settle(again, pilot)
        assert again.timeline().live.number == "4.4"


async def test_the_palette_offers_the_work_format_on_the_step_and_not_after(make_app, meeting_id, clock):
    from kring.tui.palette import screen_commands

    def offered(app) -> set[str]:
        return {action for _name, _help, action in screen_commands(app.screen)}

    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        assert "choose_workformat" not in offered(app)  # not before the step that offers one
        await to_intervision(app, pilot, clock)
        names = {name: help_text for name, help_text, _action in screen_commands(app.screen)}
        assert names["Werkvorm in deze stap"] == "toets W"
        await pilot.press("W")
        await choose(app, pilot, "incidentmethode")
        assert "choose_workformat" not in offered(app)  # once it runs, it is not offered again


async def test_the_choice_says_at_once_that_a_users_own_version_is_broken(make_app, meeting_id, clock):
    """A broken override of a built-in is not offered as if fine, only to fail once chosen."""
    from kring.workformats.loader import user_dir

    user_dir().mkdir(parents=True)
    (user_dir() / "incidentmethode.yaml").write_text(
        "name: incidentmethode\ntitle: 'Mijn incident\nsteps: []\n", encoding="utf-8")
    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_intervision(app, pilot, clock)
        await pilot.press("W")
        await settle(app, pilot)
        options = app.screen.query_one("#format-options")
        by_name = {str(o.id): o for o in options.options}
        broken = by_name["incidentmethode"]
        assert broken.disabled and not by_name["roddelmethode"].disabled
        said = str(broken.prompt)
        assert "je eigen versie is kapot: incidentmethode.yaml:2: een aanhalingsteken" in said, said
        assert options.highlighted is not None and not options.options[options.highlighted].disabled


async def test_the_quick_note_names_the_sub_step_as_the_agenda_numbers_it(make_app, meeting_id, clock, store):
    """At 4.1 the dialog and its toast say "stap 4.1", not the index among all steps."""
    from kring.data.notes import list_notes
    from kring.screens.dialogs.quick_note import QuickNoteScreen

    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await to_intervision(app, pilot, clock)
        await pilot.press("W")
        await choose(app, pilot, "incidentmethode")
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, QuickNoteScreen)
        await pilot.press("o", "k")
        said = str(app.screen.query_one("#quick-input").border_subtitle)
        assert "stap 4.2" in said, said
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Notitie bewaard onder stap 4.2." in [n.message for n in app._notifications]
    [note] = list_notes(store, meeting_id)
    assert note.step_index == app.timeline().children(INTERVISION)[1].index
