"""The command palette (ctrl+p) offers the agenda's own actions that apply now, by their
Dutch names: next step, the case-bringer, the loop, the break, the evaluation, the export
and the check before the first step; and the export writes the report where asked."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from kring.tui.palette import screen_commands
from tests.test_room import searched, settle


def names(app) -> dict[str, tuple[str, str]]:
    return {name: (help_text, action) for name, help_text, action in screen_commands(app.screen)}


async def test_the_palette_offers_the_actions_that_apply_now(make_app, store, clock):
    from kring.data.meetings import create_meeting
    from kring.workformats.loader import find

    five = create_meeting(store, find("vijfstappenmethode").model_dump(mode="json"),
                          ["Anouk", "Bram", "Fatima", "Joris"], clock)
    app = make_app(five)
    async with app.run_test(size=(120, 36)) as pilot:
        before = names(app)
        assert before["Volgende stap"] == ("toets n", "next_step")
        assert before["Check voor de eerste stap"] == ("toets z", "pre_meeting_check")
        assert before["Inbrenger kiezen"] == ("toets c", "choose_case")
        assert before["Evalueren"] == ("toets e", "evaluate")
        assert before["Verslag exporteren"] == ("toets ctrl+e", "export_report")  # a word, not Textual's ^e
        assert before["Starten, pauzeren of verdergaan"] == ("toets spatie", "start_pause")  # Dutch, not "space"
        assert "Pauze" not in before  # a break once the meeting runs
        assert not any(action.startswith(("screen.", "app.")) for _help, action in before.values())
        assert "Copy selected text" not in before  # Textual's own keys, in English, are not the agenda's
        fmt = app.meeting.format
        loop_step = next(i for i in range(len(fmt.steps)) if fmt.loop_target(i) is not None)
        await pilot.press("space")
        app.record("goto", {"step": loop_step})
        await settle(app, pilot)
        running = names(app)
        assert running["Pauze"] == ("toets f", "take_break")
        assert running["Terug naar de eerdere stap (lus)"] == ("toets r", "loop_back")
        assert "Check voor de eerste stap" not in running
        assert "Verslag exporteren" in running and "Evalueren" in running
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # yes, close
        await settle(app, pilot)
        assert app.timeline().closed
        closed = names(app)
        assert {"Verslag exporteren", "Evalueren"} <= set(closed)
        assert not {"Volgende stap", "Pauze", "Inbrenger kiezen"} & set(closed)


async def test_the_palette_exports_the_report_without_confidential_notes(make_app, meeting_id, tmp_path, store,
                                                                          clock):
    from tests.test_network import add_note

    add_note(store, meeting_id, "decision", "We werken met vaste duo's", clock)
    add_note(store, meeting_id, "note", "Geheim van de kring", clock, confidential=True)
    app = make_app(meeting_id)
    target = tmp_path / "verslag.md"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"verslag exp")
        await searched(app, pilot)
        await pilot.press("enter")
        await pilot.pause()
        box = app.screen.query_one(Input)
        assert box.value == f"verslag-{meeting_id}-2026-11-20.html"
        box.value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(str(target) in str(n.message) and "geschreven" in str(n.message) for n in app._notifications)
    text = target.read_text()
    assert "We werken met vaste duo's" in text and "Geheim" not in text


async def test_an_export_that_cannot_be_written_says_why(make_app, meeting_id, store, tmp_path):
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        # the store's own file is refused; a central store has none here, and a folder is no file either
        app.screen.query_one(Input).value = str(store.path or tmp_path)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Kon het verslag niet exporteren" in str(n.message) for n in app._notifications)
    assert app.timeline() is not None
