"""The room's view: the big clock's state in words, the break, the speaker's own time."""

from __future__ import annotations

from kring.data.core.timeline import PlannedStep, derive
from kring.data.meetings import append_event
from kring.screens.agenda_core import break_end
from kring.tui.widgets.countdown import Countdown


async def settle(app, pilot):
    """Let the outbox write and the screen redraw; never waits for a timer."""
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


async def searched(app, pilot):
    """The command palette searches in a worker: wait for it to finish, not for a time."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


class Ev:
    def __init__(self, at, kind, data=None):
        self.at, self.kind, self.data = at, kind, data or {}


def test_a_break_pauses_the_step_and_moves_the_end(clock):
    start = clock.now()
    plan = [PlannedStep("a", 600), PlannedStep("b", 600)]
    events = [Ev(start, "start"), Ev(start.add(minutes=4), "break", {"until": start.add(minutes=20).isoformat()})]
    tl = derive(plan, events, start.add(minutes=10))
    assert tl.on_break and not tl.running
    assert tl.live.elapsed == 240  # the step waits during the break
    assert tl.break_left == 600
    # 10 min of break left + 6 of this step + 10 of the next, from 19:10
    assert tl.projected_end == start.add(minutes=36)
    assert round(tl.delay_seconds) == 16 * 60
    events.append(Ev(start.add(minutes=21), "resume"))
    tl = derive(plan, events, start.add(minutes=22))
    assert not tl.on_break and tl.running and tl.live.elapsed == 300


def test_a_break_with_a_broken_time_is_ignored(clock):
    start = clock.now()
    plan = [PlannedStep("a", 600)]
    for until in ("10:45", None, "morgen", 3):
        tl = derive(plan, [Ev(start, "start"), Ev(start, "break", {"until": until})], start.add(minutes=1))
        assert not tl.on_break and tl.running


def test_the_break_end_is_a_time_still_to_come_today(clock):
    now = clock.now()  # 19:00
    assert break_end("19:15", now) == now.add(minutes=15)
    assert break_end(" 20.05 ", now) == now.add(minutes=65)
    for text in ("18:30", "19:00", "25:00", "7", "19:5", "abc", "", "19:60"):
        assert break_end(text, now) is None, text


async def test_f_starts_a_break_until_a_typed_time_shown_large(make_app, meeting_id, clock, store):
    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space")
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        from textual.widgets import Input

        box = app.screen.query_one(Input)
        assert box.value == "19:15"  # fifteen minutes from now, to edit
        box.value = "19:40"
        await pilot.press("enter")
        await settle(app, pilot)
        tl = app.timeline()
        assert tl.on_break and not tl.running
        digits = app.screen.query_one("#countdown", Countdown)
        assert digits.value == "19:40" and digits.has_class("-break")
        assert digits.size.height >= 9
        assert "We gaan verder om 19:40" in str(app.screen.query_one("#clock-cue").render())
        assert "Pauze: we gaan verder om 19:40" in str(app.screen.query_one("#step-title").render())
        clock.advance(minutes=10)
        await settle(app, pilot)
        assert "nog 30 min" in str(app.screen.query_one("#clock-cue").render())
        clock.advance(minutes=31)  # the time has come; the group is not back yet
        await settle(app, pilot)
        cue = str(app.screen.query_one("#clock-cue").render())
        assert "nog" not in cue and cue.startswith("▲") and "het is tijd" in cue  # it used to say 'nog 1 min' for as long as it waited
    # the break is in the log: a restarted process shows it too
    from kring.data.meetings import load_events

    assert [e.kind for e in load_events(store, meeting_id)][-1] == "break"
    again = make_app(meeting_id)
    async with again.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert again.timeline().on_break
        assert again.screen.query_one("#countdown", Countdown).value == "19:40"
        await pilot.press("space")  # on now
        await settle(again, pilot)
        assert not again.timeline().on_break and again.timeline().running


async def test_a_time_that_has_passed_is_refused_kindly(make_app, meeting_id):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("space")
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        from textual.widgets import Input

        from kring.screens.dialogs.prompt import TextPromptScreen

        dialog = app.screen
        for typed in ("18:00", "abc", "25:99"):
            dialog.query_one(Input).value = typed
            await pilot.press("enter")
            await settle(app, pilot)
            assert not app.timeline().on_break and app.timeline().running
            # the dialog stays with the answer as typed, and says why in one line
            assert app.screen is dialog and isinstance(dialog, TextPromptScreen)
            assert dialog.query_one(Input).value == typed
            reason = str(dialog.query_one("#prompt-problem").render())
            assert typed in reason and "UU:MM" in reason, reason
        dialog.query_one(Input).value = "19:30"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is not dialog and app.timeline().on_break


async def test_each_state_says_so_without_colour(make_app, meeting_id, clock, store):
    append_event(store, meeting_id, "start", clock.now())
    append_event(store, meeting_id, "goto", clock.now(), {"step": 1})  # the look-back: an open step, 10 min
    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        cue = app.screen.query_one("#clock-cue")
        word = app.screen.query_one("#clock-word")
        await settle(app, pilot)
        assert str(cue.render()) == "" and word.text == ""
        clock.advance(minutes=8, seconds=30)
        await settle(app, pilot)
        assert "▲ laatste 2 minuten" in str(cue.render())
        clock.advance(minutes=2)
        await settle(app, pilot)
        assert "▲ tijd voorbij" in str(cue.render())
        assert app.screen.query_one("#countdown", Countdown).value == "+00:30"
        await pilot.press("space")
        await settle(app, pilot)
        assert word.text == "PAUZE" and word.size.height == 5  # large: a step smaller than the 10-row clock


async def test_the_speakers_own_time_is_the_big_number(make_app, meeting_id, clock):
    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("space", "s")  # the check-in round: the first speaker has the floor
        await settle(app, pilot)
        clock.advance(seconds=20)
        await settle(app, pilot)
        view = app.screen.rounds.view(app.timeline())
        assert view.speaker is not None
        digits = app.screen.query_one("#countdown", Countdown)
        from kring.data.labels import countdown

        assert digits.value == countdown(view.speaker_left) != countdown(app.timeline().live.remaining)
        assert app.screen.query_one("#steps").state_texts[0] == countdown(app.timeline().live.remaining)


# --- the command palette -------------------------------------------------------------------

async def test_the_palette_offers_what_applies_now_in_dutch(make_app, meeting_id, clock):
    from textual.command import CommandPalette

    from kring.tui.palette import screen_commands

    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        names = [name for name, _help, _action in screen_commands(app.screen)]
        assert "Volgende stap" in names and "Vorige stap" not in names  # nothing before the first step
        assert "Pauze" not in names  # a break once the meeting runs
        assert not any("lus" in n.lower() or "terug naar" in n.lower() for n in names)  # no step loops here
        await pilot.press("space")
        await settle(app, pilot)
        commands = {name: (help_text, action) for name, help_text, action in screen_commands(app.screen)}
        assert commands["Pauze"] == ("toets f", "take_break")
        assert "Inbrenger kiezen" in commands or any("inbrenger" in n.lower() for n in commands)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"volgende stap")
        await searched(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.timeline().current == 1  # the palette ran `n`


async def test_the_palette_speaks_dutch_for_textuals_own_commands(make_app, meeting_id):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert names == ["Thema", "Toetsen", "Stoppen"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.widgets import Input

        assert app.screen.query_one(Input).placeholder == "Wat wil je doen?"


# --- the check before the first step ----------------------------------------------------------

def test_a_note_taker_is_connected_while_its_heartbeat_is_fresh(store, meeting_id, clock):
    from kring.data.notes import load_draft
    from kring.data.presence import FRESH_SECONDS, announce, note_takers

    assert note_takers(store, meeting_id, clock.now()) == []
    announce(store, meeting_id, "Sanne", clock.now())
    clock.advance(seconds=FRESH_SECONDS - 1)
    announce(store, meeting_id, "Ruud", clock.now())
    assert note_takers(store, meeting_id, clock.now()) == ["Ruud", "Sanne"]
    clock.advance(seconds=2)
    assert note_takers(store, meeting_id, clock.now()) == ["Ruud"]  # Sanne's terminal went quiet
    assert load_draft(store, meeting_id, "Sanne#notulist") is None  # no draft of hers to restore


async def test_kring_notes_announces_itself(store, meeting_id, clock):
    from kring.data.presence import note_takers
    from kring.tui.notes_app import NotesApp

    app = NotesApp(store, meeting_id, clock=clock, author="Sanne", watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.outbox.flush()
        assert note_takers(store, meeting_id, clock.now()) == ["Sanne"]


async def test_the_check_marks_absent_people_fixes_the_end_and_the_budget_runs_to_it(
        make_app, meeting_id, clock, store):
    from textual.widgets import Input

    from kring.data.presence import announce
    from kring.screens.dialogs.premeeting import PreMeetingScreen

    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("z")
        await pilot.pause()
        check = app.screen
        assert isinstance(check, PreMeetingScreen)
        assert "Geen notulist verbonden" in str(check.query_one("#check-notes").render())
        assert "Nog geen inbrenger" in str(check.query_one("#check-case").render())
        announce(store, meeting_id, "Sanne", clock.now())
        check._show_note_takers()
        assert "Notulist verbonden: Sanne" in str(check.query_one("#check-notes").render())
        await pilot.press("down", "enter")  # Bram is not here
        await settle(app, pilot)
        assert app.timeline().absent == ["Bram"]
        assert "✗ Bram — afwezig" in str(check.query_one("#check-people").get_option_at_index(1).prompt)
        assert check.query_one("#check-start", Input).value == "19:00"
        assert check.query_one("#check-end", Input).value == "20:40"  # the format's 100 minutes
        check.query_one("#check-end", Input).value = "18:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "moet na het begin" in str(check.query_one("#check-error").render())
        check.query_one("#check-end", Input).value = "20:30"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, PreMeetingScreen)
        tl = app.timeline()
        assert tl.fixed_end == clock.now().replace(hour=20, minute=30) and tl.current is None
        await pilot.press("space")
        clock.advance(minutes=6)
        await settle(app, pilot)
        status = str(app.screen.query_one("#status").render())
        # 84 minutes to the fixed end; the plan runs to 20:40, ten minutes past it
        assert status.startswith("nog 84 min tot 20:30  ·  verwacht einde 20:40  ·  +10 min uitloop"), status


async def test_the_check_is_in_the_palette_before_the_first_step_only(make_app, meeting_id):
    from kring.tui.palette import screen_commands

    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Check voor de eerste stap" in [n for n, _h, _a in screen_commands(app.screen)]
        await pilot.press("space")
        await settle(app, pilot)
        assert "Check voor de eerste stap" not in [n for n, _h, _a in screen_commands(app.screen)]


async def test_the_budget_line_counts_the_minutes_it_shows(make_app, meeting_id, clock):
    """The expected end is read to the minute, and so is the overrun against it: at 20:40:40
    against 20:30 it says 20:40 and +10, not 20:40 and +11 (which a facilitator checks on sight)."""
    from textual.widgets import Input

    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("z")
        await pilot.pause()
        app.screen.query_one("#check-end", Input).value = "20:30"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        clock.advance(seconds=40)  # the first step starts at 19:00:40
        await pilot.press("space")
        clock.advance(minutes=6)
        await settle(app, pilot)
        status = str(app.screen.query_one("#status").render())
        assert "verwacht einde 20:40  ·  +10 min uitloop" in status, status


async def test_a_closed_meeting_says_when_it_closed_against_the_agreed_end(make_app, meeting_id, clock):
    """After x the budget line said 'Gepland einde 20:40 · verwacht einde 19:31 · 69 min voor op
    schema': the end agreed in the check was gone, and a closed meeting expects nothing."""
    from textual.widgets import Input

    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("z")
        await pilot.pause()
        app.screen.query_one("#check-end", Input).value = "20:00"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("space")
        clock.advance(minutes=31)
        await settle(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("j")
        await settle(app, pilot)
        assert app.timeline().closed
        status = str(app.screen.query_one("#status").render())
        assert status.startswith("Afgesloten om 19:31  ·  gepland einde 20:00  ·  29 min voor op schema"), status


async def test_an_end_time_typed_in_the_check_survives_a_kill_before_it_is_saved(make_app, meeting_id, store):
    """As a note's draft does: each key's state is in a journal before it shows; saving or Esc removes it."""
    from textual.widgets import Input

    from kring.screens.dialogs.premeeting import PreMeetingScreen

    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("z")
        await pilot.pause()
        check = app.screen
        assert isinstance(check, PreMeetingScreen)
        check.query_one("#check-end", Input).value = "20:15"
        await pilot.pause()
        # what a kill leaves: the journal as the last key wrote it, no save, no Esc
    again = make_app(meeting_id)
    async with again.run_test(size=(120, 36)) as pilot:
        await pilot.press("z")
        await pilot.pause()
        check = again.screen
        assert isinstance(check, PreMeetingScreen)
        assert again.timeline().fixed_end is None  # not saved: only shown again, to save or drop
        assert check.query_one("#check-end", Input).value == "20:15"
        assert check.query_one("#check-start", Input).value == "19:00"
        await pilot.press("escape")  # closed without saving: it goes
        await pilot.pause()
    third = make_app(meeting_id)
    async with third.run_test(size=(120, 36)) as pilot:
        await pilot.press("z")
        await pilot.pause()
        assert third.screen.query_one("#check-end", Input).value == "20:40"
