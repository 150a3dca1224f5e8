"""The note-taker's screen, driven through Pilot with a fake clock, and the agenda's notes part."""

from __future__ import annotations

import pytest
from textual import events

from kring.data.live import load_snapshot
from kring.data.meetings import append_event, change_token
from kring.data.notes import draft_key, list_notes, load_draft, note_history
from kring.data.report import build_report
from kring.tui.messages import StoreChanged
from kring.tui.widgets.noteinput import NoteInput
from kring.tui.widgets.notelist import NoteList


@pytest.fixture
def make_notes(store, clock):
    def make(meeting_id: int, **kw):
        from kring.tui.notes_app import NotesApp

        kw.setdefault("watch", False)
        kw.setdefault("author", "Sanne")
        return NotesApp(store, meeting_id, clock=clock, **kw)

    return make


@pytest.fixture
def live(store, meeting_id, clock):
    """The moderator has started: step 1, Fatima has the floor."""
    append_event(store, meeting_id, "start", clock.now())
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Fatima"})
    return meeting_id


def moderator(store, meeting_id, clock, kind, data=None):
    append_event(store, meeting_id, kind, clock.now(), data, origin="moderator")


async def settle(app, pilot):
    """Write what is queued, then reload as the store watcher would; never waits for a timer."""
    app.outbox.flush()
    app.post_message(StoreChanged(load_snapshot(app.store, app.meeting_id)))
    await pilot.pause()
    app.refresh_screen()
    await pilot.pause()


def notices(app) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    app.notify = lambda message, **kw: seen.append((str(message), kw.get("severity", "information")))
    return seen


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


def screen_text(app) -> str:
    """Every piece of text on the screen as drawn (from the screenshot, tags and escapes undone)."""
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "\n", app.export_screenshot())).replace("\xa0", " ")


def note_input(app) -> NoteInput:
    return app.screen.query_one("#note-input", NoteInput)


async def paste(app, pilot, text: str) -> None:
    note_input(app).post_message(events.Paste(text))
    await pilot.pause()


# --- filing ------------------------------------------------------------------------------------


async def test_input_has_the_focus_and_enter_saves(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.focused, NoteInput)
        await type_text(pilot, "b: we starten in januari")
        await pilot.press("enter")
        await settle(app, pilot)
        assert note_input(app).value == ""
        [note] = list_notes(store, live)
        assert (note.kind, note.text, note.author) == ("decision", "we starten in januari", "Sanne")


async def test_filed_under_step_and_speaker_of_the_first_keystroke(make_notes, live, store, clock):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        begun_at = clock.now()
        await type_text(pilot, "i: Fatima ")
        # meanwhile the moderator moves on and Bram gets the floor
        clock.advance(seconds=40)
        moderator(store, live, clock, "goto", {"step": 1})
        moderator(store, live, clock, "speaker", {"name": "Bram"})
        await settle(app, pilot)
        await type_text(pilot, "zegt iets wijs")
        clock.advance(seconds=5)
        await pilot.press("enter")
        await type_text(pilot, "over Bram")
        await pilot.press("enter")
        await settle(app, pilot)
    first, second = list_notes(store, live)
    assert (first.text, first.step_index, first.step_title, first.speaker, first.at) == (
        "Fatima zegt iets wijs", 0, "Inchecken", "Fatima", begun_at)
    assert (second.step_index, second.speaker, second.at) == (1, "Bram", clock.now())


async def test_keys_typed_right_after_enter_start_the_next_note(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        inp = note_input(app)
        # a fast typist (or a paste burst): all keys are queued before any is handled
        for ch in "een":
            inp.post_message(events.Key(ch, ch))
        inp.post_message(events.Key("enter", "\r"))
        for ch in "twee":
            inp.post_message(events.Key(ch, ch))
        await pilot.pause()
        await settle(app, pilot)
        assert [n.text for n in list_notes(store, live)] == ["een"]
        assert inp.value == "twee"


async def test_notes_before_the_start_and_after_the_close(make_notes, meeting_id, store, clock):
    app = make_notes(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Nog niet begonnen" in str(app.screen.query_one("#notes-step").render())
        await type_text(pilot, "vooraf")
        await pilot.press("enter")
        moderator(store, meeting_id, clock, "start")
        moderator(store, meeting_id, clock, "close")
        await settle(app, pilot)
        assert "gesloten" in str(app.screen.query_one("#notes-step").render())
        # where the note goes: after the close, not 'voor de start' as it used to say
        assert "na afloop" in note_input(app).border_subtitle and "voor de start" not in note_input(app).border_subtitle
        await type_text(pilot, "achteraf")
        await pilot.press("enter")  # a closed meeting: asked first, and the note-taker says yes
        await pilot.pause()
        await pilot.press("j")
        await settle(app, pilot)
    assert [(n.text, n.step_index) for n in list_notes(store, meeting_id)] == [("vooraf", None), ("achteraf", None)]


# --- kinds and actions ---------------------------------------------------------------------------


async def test_the_kind_shows_as_it_is_typed(make_notes, live):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        inp = note_input(app)
        assert inp.border_title == "Notitie"
        await type_text(pilot, "b:")
        assert inp.border_title == "Besluit"
        await pilot.press("ctrl+u")
        await type_text(pilot, "a: Anouk belt de gemeente @Anouk vrijdag")
        assert inp.border_title == "Actie → Anouk, vr 27 nov"
        assert "1. Inchecken" in inp.border_subtitle and "Fatima" in inp.border_subtitle
        hint = str(app.screen.query_one("#notes-hint").render())
        assert "b:besluit" in hint and "@wie wanneer" in hint


async def test_unknown_owner_and_bad_date_are_saved_with_a_kind_message(make_notes, live, store):
    app = make_notes(live)
    seen = notices(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "a: belt de wethouder @Karel vrijdg")
        hint = app.screen.query_one("#notes-hint")
        assert hint.has_class("-problem")
        await pilot.press("enter")
        await settle(app, pilot)
    [note] = list_notes(store, live)
    assert (note.kind, note.owner, note.due, note.text) == ("action", None, None, "belt de wethouder @Karel vrijdg")
    messages = [m for m, _ in seen]
    assert any("'Karel' is geen deelnemer" in m for m in messages)
    assert any("'vrijdg' kan kring niet als datum lezen" in m for m in messages)
    assert any("Toch bewaard" in m for m in messages)


# --- bad input ----------------------------------------------------------------------------------


async def test_an_empty_note_saves_nothing_and_says_so(make_notes, live, store):
    app = make_notes(live)
    seen = notices(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await type_text(pilot, "b: ")
        await pilot.press("enter")
        await settle(app, pilot)
        assert note_input(app).value == "b: "  # what was typed stays
    assert list_notes(store, live) == []
    assert seen and all("Nog niets te bewaren" in m for m, _ in seen)


async def test_a_100_kb_paste_is_kept_whole_but_not_saved_as_one_note(make_notes, live, store):
    app = make_notes(live)
    seen = notices(app)
    big = ("Een heel lang stuk tekst.\n" * 4000)[:100_000]
    async with app.run_test(size=(80, 24)) as pilot:
        await paste(app, pilot, big)
        await pilot.press("enter")
        app.screen.flush_draft()
        await settle(app, pilot)
        assert note_input(app).text == big.strip("\n")  # every line kept, none lost
    assert list_notes(store, live) == []
    assert load_draft(store, live, draft_key("Sanne", "notulist")).text == big.strip("\n")
    assert any("100\u00a0000 tekens" in m and "hoogstens 20\u00a0000" in m for m, _ in seen)


async def test_emoji_and_right_to_left_text(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await paste(app, pilot, "c: 👍🏽 שלום عليكم ✨\nen een tweede regel")
        await pilot.press("enter")
        await settle(app, pilot)
    [note] = list_notes(store, live)
    assert (note.kind, note.text) == ("quote", "👍🏽 שלום عليكم ✨\nen een tweede regel")


# --- edit, delete, history ----------------------------------------------------------------------------


async def test_edit_from_the_list_keeps_the_history(make_notes, live, store, clock):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "b: we starten in januari")
        await pilot.press("enter")
        await settle(app, pilot)
        await type_text(pilot, "half getypt")  # a new note in progress is put aside while editing
        await pilot.press("tab")
        assert isinstance(app.focused, NoteList)
        await pilot.press("e")
        inp = note_input(app)
        assert app.focused is inp and inp.value == "b: we starten in januari"
        assert inp.border_title.startswith("Bewerken")
        await pilot.press("ctrl+u")
        clock.advance(seconds=20)
        await type_text(pilot, "a: starten in februari @Bram 2026-12-04")
        await pilot.press("enter")
        await settle(app, pilot)
        assert inp.value == "half getypt"  # back to the note in progress
    [note] = list_notes(store, live)
    assert (note.kind, note.text, note.owner, note.due, note.revision) == (
        "action", "starten in februari", "Bram", "2026-12-04", 2)
    assert [r.text for r in note_history(store, note.uid)] == ["we starten in januari", "starten in februari"]


async def test_escape_leaves_an_edit_unchanged(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "origineel")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("up", "e", "ctrl+u", "x", "escape")
        await settle(app, pilot)
        assert note_input(app).value == ""
    [note] = list_notes(store, live)
    assert (note.text, note.revision) == ("origineel", 1)


async def test_delete_from_the_list_after_a_yes(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "weg ermee")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("tab", "d")
        await pilot.press("n")  # no: nothing happens
        await settle(app, pilot)
        assert len(list_notes(store, live)) == 1
        await pilot.press("d", "j")
        await settle(app, pilot)
        assert app.screen.query_one(NoteList).selected_note is None
    assert list_notes(store, live) == []
    [gone] = list_notes(store, live, include_deleted=True)
    assert [(r.revision, r.deleted) for r in note_history(store, gone.uid)] == [(1, False), (2, True)]


async def test_after_a_delete_the_selection_stays_at_the_neighbouring_note(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        for text in ("eerste", "tweede", "derde", "vierde"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("tab", "up", "up")  # from the newest up to "tweede"
        notes = app.screen.query_one(NoteList)
        assert notes.selected_note.text == "tweede"
        await pilot.press("d", "j")
        await settle(app, pilot)
        assert notes.selected_note is not None and notes.selected_note.text == "derde"
        await pilot.press("down")  # goes on from there, not from the top
        assert notes.selected_note.text == "vierde"
        await pilot.press("d", "j")  # the last one: its neighbour before it
        await settle(app, pilot)
        assert notes.selected_note.text == "derde"
    assert [n.text for n in list_notes(store, live)] == ["eerste", "derde"]


# --- confidential ------------------------------------------------------------------------------------


async def test_lifting_a_saved_notes_confidentiality_quotes_it(make_notes, live, store, clock):
    from kring.screens.dialogs.confirm import ConfirmScreen

    moderator(store, live, clock, "goto", {"step": 3})  # Intervisie met een werkvorm
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "de casus van Joris")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("tab", "ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "de casus van Joris" in app.screen.question, app.screen.question
        await pilot.press("n")
        await settle(app, pilot)
    assert [n.confidential for n in list_notes(store, live)] == [True]


async def test_one_key_makes_a_note_confidential(make_notes, live, store, clock):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+g")  # before typing: for the note about to be typed
        await type_text(pilot, "wat Fatima vertelde")
        assert "vertrouwelijk" in note_input(app).border_subtitle
        await pilot.press("enter")
        await type_text(pilot, "gewoon")
        await pilot.press("enter")
        await settle(app, pilot)
        # and on a saved note, selected in the list
        await pilot.press("tab")  # selects the newest
        await pilot.press("ctrl+g")
        await settle(app, pilot)
    notes = {n.text: n for n in list_notes(store, live)}
    assert notes["wat Fatima vertelde"].confidential and notes["gewoon"].confidential
    assert build_report(store, live, clock=clock)["notes"] == []


async def test_notes_in_an_intervision_step_start_confidential(make_notes, live, store, clock):
    moderator(store, live, clock, "goto", {"step": 3})  # Intervisie met een werkvorm
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "de casus van Joris")
        assert note_input(app).has_class("-confidential")
        await pilot.press("enter")
        await type_text(pilot, "mag gedeeld worden")
        await pilot.press("ctrl+g", "j")  # ctrl+g lifts it, after asking: a confidential step
        await pilot.press("enter")
        await settle(app, pilot)
    notes = {n.text: n.confidential for n in list_notes(store, live)}
    assert notes == {"de casus van Joris": True, "mag gedeeld worden": False}
    exported = [n["text"] for n in build_report(store, live, clock=clock)["notes"]]
    assert exported == ["mag gedeeld worden"]


# --- the draft ----------------------------------------------------------------------------------------


async def test_the_draft_comes_back_after_a_crash(make_notes, live, store, clock):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "a: Anouk belt @Anouk vrijdag")
        app.screen.flush_draft()  # what the throttle timer does while typing
        app.outbox.flush()
        # the terminal dies here: nothing else is written
        app.outbox.put = lambda write: None
    # later: the moderator went on, and the note-taker starts again
    clock.advance(minutes=3)
    moderator(store, live, clock, "goto", {"step": 2})
    again = make_notes(live)
    seen = notices(again)
    async with again.run_test(size=(80, 24)) as pilot:
        assert note_input(again).value == "a: Anouk belt @Anouk vrijdag"
        assert any("terug" in m for m, _ in seen)
        await type_text(pilot, " en mailt")
        await pilot.press("enter")
        await settle(again, pilot)
    [note] = list_notes(store, live)
    # still filed where it was begun, before the crash
    assert (note.step_index, note.speaker, note.owner) == (0, "Fatima", "Anouk")
    assert note.text == "Anouk belt @Anouk vrijdag en mailt"
    assert load_draft(store, live, draft_key("Sanne", "notulist")) is None


async def test_an_edit_in_progress_comes_back_too(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "origineel")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("up", "e", "space", "b", "i", "s")
        app.screen.flush_draft()
        app.outbox.flush()
        app.outbox.put = lambda write: None
    again = make_notes(live)
    async with again.run_test(size=(80, 24)) as pilot:
        assert note_input(again).value == "origineel bis"
        assert note_input(again).border_title.startswith("Bewerken")
        await pilot.press("enter")
        await settle(again, pilot)
    [note] = list_notes(store, live)
    assert (note.text, note.revision) == ("origineel bis", 2)


# --- following the moderator -----------------------------------------------------------------------------


async def test_follows_a_step_change_made_by_another_app(make_app, make_notes, live, store, clock):
    mod = make_app(live)
    notes = make_notes(live)
    async with mod.run_test(size=(80, 24)) as mod_pilot, notes.run_test(size=(80, 24)) as pilot:
        step = notes.screen.query_one("#notes-step")
        assert "Stap 1 van 5: Inchecken" in str(step.render())
        assert "Aan het woord: Fatima" in str(notes.screen.query_one("#notes-floor").render())
        before = change_token(store, live)
        await mod_pilot.press("n")  # the moderator's key press, in the other App
        mod.outbox.flush()
        after = change_token(store, live)
        assert after != before  # what the note-taker's watcher polls
        notes._changed_in_store(after)  # the watcher's call when the token changed
        await pilot.pause()
        assert "Stap 2 van 5: Terugblik" in str(step.render())
        assert str(notes.screen.query_one("#notes-countdown").render()) == "10:00"
        assert "Aan het woord" not in str(notes.screen.query_one("#notes-floor").render())


# --- the moderator's agenda -----------------------------------------------------------------------------


async def test_agenda_panel_counts_notes_and_never_shows_confidential_text(make_app, live, store, clock):
    from kring.data.notes import NoteInfo, add_note, new_uid

    def note(text, kind="note", step=0, confidential=False):
        add_note(store, live, NoteInfo(uid=new_uid(), kind=kind, text=text, step_index=step, step_title="",
                                       speaker=None, author="Sanne", at=clock.now(), confidential=confidential))

    app = make_app(live)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen.query_one("#notes-panel")
        assert panel.display is False  # nothing yet: no panel
        note("we starten in januari", kind="decision")
        await settle(app, pilot)
        text = str(panel.render())
        assert "Notities: 1" in text and "deze stap: 1" in text and "we starten in januari" in text
        note("GEHEIM besluit over de casus", kind="decision", confidential=True)
        note("GEHEIME actie", kind="action", step=3, confidential=True)
        await settle(app, pilot)
        text = str(panel.render())
        assert "Notities: 3" in text and "per stap" not in text  # counted in the steps' own rows instead
        assert [row.notes for row in app.screen.query_one("#steps").rows][:4] == [2, 0, 0, 1]
        assert "✎ 2" in screen_text(app) and "✎ 1" in screen_text(app)
        assert "GEHEIM" not in text
        assert "we starten in januari" in text  # the newest public one
        # nothing confidential anywhere on the projected screen
        shown = screen_text(app)
        assert "GEHEIM" not in shown and "we starten in januari" in shown


async def test_quick_note_from_the_agenda(make_app, live, store, clock):
    app = make_app(live, author="Mod")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        from kring.screens.dialogs.quick_note import QuickNoteScreen

        assert isinstance(app.screen, QuickNoteScreen)
        await type_text(pilot, "a: zaal reserveren @Lotte morgen")
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, QuickNoteScreen)
        # in the intervision step the quick note is confidential and typed blind
        await pilot.press("n", "n", "n")
        await settle(app, pilot)
        await pilot.press("m")
        await type_text(pilot, "wat Joris vertelde")
        quick = app.screen.query_one("#quick-input", NoteInput)
        assert quick.password is True
        shown = screen_text(app)
        assert "wat Joris vertelde" not in shown and "••••" in shown
        await pilot.press("escape")  # kept as a draft
        app.outbox.flush()
        assert load_draft(store, live, draft_key("Mod", "moderator")).text == "wat Joris vertelde"
        await pilot.press("m")
        assert app.screen.query_one("#quick-input", NoteInput).value == "wat Joris vertelde"
        await pilot.press("enter")
        await settle(app, pilot)
    action, secret = list_notes(store, live)
    assert (action.kind, action.owner, action.due, action.author, action.step_index) == (
        "action", "Lotte", "2026-11-21", "Mod", 0)
    assert (secret.text, secret.confidential, secret.step_index) == ("wat Joris vertelde", True, 3)


async def test_notes_the_store_never_took_are_rescued_to_a_private_file(make_notes, live, monkeypatch, tmp_path):
    import stat

    import kring.tui.widgets.notecompose as compose_module

    def store_gone(*args, **kw):
        raise OSError("disk I/O error")

    app = make_notes(live)
    seen = notices(app)
    async with app.run_test(size=(80, 24)) as pilot:
        monkeypatch.setattr(compose_module, "add_note", store_gone)
        monkeypatch.setattr(compose_module, "save_draft", store_gone)
        await type_text(pilot, "b: dit mag niet verloren gaan")
        await pilot.press("enter")
        await type_text(pilot, "en dit concept ook niet")
        await pilot.pause()
        # the list shows it at once, though the store has not taken it
        assert "dit mag niet verloren gaan" in screen_text(app)
    path = app.rescue_unsaved()
    assert path is not None and path.is_relative_to(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "dit mag niet verloren gaan" in text and "en dit concept ook niet" in text
    assert "disk I/O error" in text
    assert any("Nog niet opgeslagen" in m for m, _ in seen)


async def test_letters_type_and_f1_shows_keys_and_syntax(make_notes, live):
    from kring.screens.dialogs.notes_help import NotesHelpScreen

    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "q?")  # letters never quit or open anything here: they type
        assert note_input(app).value == "q?" and app.is_running
        await pilot.press("f1")
        assert isinstance(app.screen, NotesHelpScreen)
        shown = screen_text(app)
        assert "ctrl+g" in shown and "actiepunt: a: wat @wie wanneer" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, NotesHelpScreen)


async def test_agenda_panel_is_one_line_on_a_small_terminal(make_app, live, store, clock):
    from kring.data.notes import NoteInfo, add_note, new_uid

    add_note(store, live, NoteInfo(uid=new_uid(), kind="decision", text="we starten in januari", step_index=0,
                                   step_title="", speaker=None, author="Sanne", at=clock.now()))
    app = make_app(live)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(app, pilot)
        assert str(app.screen.query_one("#notes-panel").render()) == "✎ Notities: 1  ·  deze stap: 1"
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot)
        assert "we starten in januari" in str(app.screen.query_one("#notes-panel").render())


# --- following the room -------------------------------------------------------------------------------


async def look_for_next(app, pilot) -> None:
    """One look for the next meeting, as the App's timer makes it, waited for."""
    app.look_for_next_meeting()
    for worker in [w for w in app.workers if w.group == "next meeting"]:
        await worker.wait()
    await pilot.pause()


async def test_the_note_taker_moves_to_the_next_live_meeting_and_says_so(make_notes, live, store, clock, standaard):
    from kring.data.meetings import create_meeting
    from kring.screens.dialogs.confirm import ConfirmScreen

    app = make_notes(live)
    async with app.run_test(size=(100, 30)) as pilot:
        said = notices(app)
        await type_text(pilot, "in de eerste")
        await pilot.press("enter")
        moderator(store, live, clock, "close")
        await settle(app, pilot)
        # closed, and nothing else is live: a note is not filed there unasked
        await type_text(pilot, "te laat")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert note_input(app).value == "te laat"
        assert [n.text for n in list_notes(store, live)] == ["in de eerste"]
        await look_for_next(app, pilot)
        assert app.meeting_id == live  # nothing to move to yet
        # the moderator starts the next meeting in the same store
        second = create_meeting(store, standaard, ["Anouk", "Bram"], clock, title="Tweede ronde")
        append_event(store, second, "start", clock.now())
        await look_for_next(app, pilot)
        assert app.meeting_id == second
        assert any("Tweede ronde" in text and "gesloten" in text and "die loopt" in text for text, _ in said)
        assert "Tweede ronde" in str(app.screen.query_one("#notes-title").render())
        # the new meeting's check sees the note-taker at once, not at the next heartbeat (20 s)
        from kring.data.presence import note_takers

        app.outbox.flush()
        assert note_takers(store, second, clock.now()) == ["Sanne"]
        await pilot.press("enter")  # the note typed meanwhile lands in the live meeting, unasked
        await settle(app, pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        shown = [str(o.prompt) for o in app.screen.query_one(NoteList).options]
        assert any("te laat" in p for p in shown) and not any("in de eerste" in p for p in shown), shown
    assert [n.text for n in list_notes(store, live)] == ["in de eerste"]
    assert [(n.text, n.step_index) for n in list_notes(store, second)] == [("te laat", 0)]


async def test_a_next_meeting_not_started_yet_is_said_to_be_so(make_notes, live, store, clock, standaard):
    from kring.data.meetings import create_meeting

    app = make_notes(live)
    async with app.run_test(size=(100, 30)) as pilot:
        said = notices(app)
        moderator(store, live, clock, "close")
        await settle(app, pilot)
        second = create_meeting(store, standaard, ["Anouk", "Bram"], clock, title="Tweede ronde")  # at its check
        await look_for_next(app, pilot)
        assert app.meeting_id == second
        moved = [text for text, _ in said if "Tweede ronde" in text]
        assert moved and "nog niet begonnen" in moved[-1] and "die loopt" not in moved[-1]


@pytest.mark.parametrize("how", ["edit", "escape", "delete"])
async def test_the_list_keeps_the_newest_note_in_view_after_editing_or_deleting(make_notes, live, store, how):
    from kring.data.notes import NoteInfo, add_note, new_uid

    for i in range(40):
        add_note(store, live, NoteInfo(uid=new_uid(), kind="note", text=f"notitie {i}", step_index=0,
                                       step_title="Welkom", speaker=None, author="Sanne", at=store_now(i)))
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        lst = app.screen.query_one(NoteList)
        await pilot.press("tab", "home", "down", "down")  # an old note, far up the list
        await pilot.pause()
        assert lst.scroll_y < lst.max_scroll_y
        if how == "delete":
            await pilot.press("d", "j")
        else:
            await pilot.press("e", "x")
            await pilot.press("enter" if how == "edit" else "escape")
        await settle(app, pilot)
        await pilot.pause()
        if how == "delete":  # the selection moves to the neighbouring note, in view (the next ↓ goes on from it)
            assert lst.selected_note is not None and lst.selected_note.text == "notitie 3"
            assert lst.scroll_y < lst.max_scroll_y
            return
        assert lst.scroll_y == lst.max_scroll_y and lst.selected_note is None


def store_now(i: int):
    import pendulum

    return pendulum.datetime(2026, 11, 20, 19, 0, tz="Europe/Amsterdam").add(seconds=i)


async def test_a_notice_takes_the_hints_place_and_never_covers_the_list(make_notes, live):
    app = make_notes(live)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        lst = app.screen.query_one(NoteList)
        before = lst.region
        app.notify("Nog niet bewaard: schijf vol. kring houdt het vast en probeert het opnieuw.", severity="error")
        await pilot.pause()
        notice = app.screen.query_one("#notes-notice")
        assert notice.display and "schijf vol" in str(notice.render())
        assert not notice.region.overlaps(lst.region) and not notice.region.overlaps(note_input(app).region)
        assert lst.region.height >= before.height - 2
        assert not app.screen.query("Toast")  # no toast over the list
