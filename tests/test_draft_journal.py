"""The draft per keystroke: each key the note-taker sees is in the draft journal before
the next key is handled, and comes back after a kill, sent notes included."""

from __future__ import annotations

from kring.data.draftjournal import ROTATE_AT, DraftJournal, journal_path, recover
from kring.data.notes import draft_key, list_notes, load_draft
from tests.test_notes_screen import live, make_notes, note_input, settle  # noqa: F401 - fixtures


def killed(app) -> None:
    """From now on the outbox writes nothing: as if the process were killed at once."""
    app.outbox.put = lambda write: None


def journal_of(app):
    return app.composer.journal.path


async def test_each_key_is_in_the_journal_before_the_next_is_handled(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        killed(app)  # no store draft at all: the journal alone must hold every key
        typed = ""
        for ch in "Joris: nieuw plan":
            await pilot.press({" ": "space"}.get(ch, ch))
            typed += ch
            assert note_input(app).value == typed
            state = DraftJournal.read(journal_of(app))
            assert state is not None and state[0] == typed, (typed, state)
        app.composer.journal.close()  # a kill: the file stays as it is
    assert load_draft(store, live, draft_key("Sanne", "notulist")) is None
    again = make_notes(live)
    async with again.run_test(size=(80, 24)) as pilot:
        assert note_input(again).value == "Joris: nieuw plan"
        await pilot.press("enter")
        await settle(again, pilot)
    assert [n.text for n in list_notes(store, live)] == ["Joris: nieuw plan"]


async def test_a_note_sent_but_not_yet_stored_comes_back(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "e", "n")
        app.outbox.flush()
        killed(app)  # Enter is handled, its write never reaches the store
        await pilot.press("enter", "t", "w")
        assert note_input(app).value == "tw"
        app.composer.journal.close()
    again = make_notes(live)
    async with again.run_test(size=(80, 24)) as pilot:
        assert note_input(again).value == "een\ntw".replace("\n", "↵")
    assert list_notes(store, live) == []


async def test_a_clean_quit_leaves_no_journal(make_notes, live, store):
    app = make_notes(live)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "b")
        path = journal_of(app)
        assert path.exists()
    assert not path.exists()
    assert load_draft(store, live, draft_key("Sanne", "notulist")).text == "ab"


def test_a_note_that_landed_is_not_brought_back(store, live, clock):  # noqa: F811
    from kring.data.notes import NoteInfo, add_note

    key = draft_key("Sanne", "notulist")
    path = journal_path(store.url, store.path, live, key)
    note = NoteInfo(uid="u1", kind="note", text="klaar", step_index=0, step_title="", speaker=None,
                    author="Sanne", at=clock.now())
    DraftJournal(path).write("klaar", {"begun": {"uid": "u1"}})
    assert recover(store, live, key).text == "klaar"
    add_note(store, live, note, saved_at=clock.now(), draft_key=key)
    assert recover(store, live, key) is None


def test_the_journal_starts_anew_when_it_grows_and_skips_a_cut_line(tmp_path):
    path = tmp_path / "j.jsonl"
    j = DraftJournal(path)
    text = ""
    for i in range(ROTATE_AT // 1000 + 50):
        text = f"{i:04d}" + "x" * 1000
        assert j.write(text, {})
    assert path.stat().st_size < ROTATE_AT
    j.close()
    with open(path, "ab") as fh:
        fh.write(b'{"t":"half')  # a kill mid-line
    assert DraftJournal.read(path) == (text, {})


# --- the evaluation form ---------------------------------------------------------------------------


async def test_named_answers_are_kept_per_key_and_come_back(store, clock, meeting_id):
    from textual.widgets import Input

    from kring.data.evaluation import open_evaluation
    from kring.screens.evaluate import EvaluateScreen
    from kring.tui.evaluate_app import EvaluateApp

    ctx = open_evaluation(store, meeting_id)
    assert not ctx.anonymous
    app = EvaluateApp(store, ctx, participant="Lotte", clock=clock, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        form = app.screen
        assert isinstance(form, EvaluateScreen)
        await pilot.press("3", "enter", "4", "enter", "1", "0", "enter", "7", "enter", "9", "enter")
        typed = ""
        for ch in "Goed":
            await pilot.press(ch)
            typed += ch
            assert DraftJournal.read(form._journal.path)[1]["answers"]["top"] == typed
        form._journal.close()  # killed: nothing else happens
    again = EvaluateApp(store, ctx, participant="Lotte", clock=clock, watch=False)
    async with again.run_test(size=(80, 24)) as pilot:
        form = again.screen
        assert form.collect() == {"roti": 3, "relevance": 4, "safety": 10, "goals": 7, "method": 9, "top": "Goed"}
        assert form.query_one("#answer-top").query_one(Input).value == "Goed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await again.workers.wait_for_complete()
        await pilot.pause()
    assert not form._journal.path.exists()  # stored: nothing more to keep


async def test_anonymous_answers_touch_no_file(store, clock, standaard):
    from kring.data.evaluation import choose_for_network, open_evaluation
    from kring.data.meetings import create_meeting
    from kring.data.models import Network
    from kring.tui.evaluate_app import EvaluateApp

    with store.writing() as s:
        net = Network(name="Stil", created_at=clock.now())
        s.add(net)
        s.flush()
        network_id = net.id
    choose_for_network(store, network_id, form="standaard", anonymous=True)
    meeting_id = create_meeting(store, standaard, ["Anouk", "Bram"], clock, network_id=network_id)
    ctx = open_evaluation(store, meeting_id)
    assert ctx.anonymous
    app = EvaluateApp(store, ctx, participant="Anouk", clock=clock, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen._journal is None
        await pilot.press("3", "enter", "4", "enter", "5", "enter", "6", "enter", "7", "enter", *"stil")
    folder = store.path.with_name(store.path.name + ".drafts") if store.path else None
    assert folder is None or not folder.exists() or not any(folder.iterdir())


# --- the moderator's keys ----------------------------------------------------------------------------


async def test_a_moderator_key_shown_is_kept_before_its_write_and_written_on_the_next_start(make_app, meeting_id,
                                                                                              store, clock):
    from kring.data.draftjournal import keys_key
    from kring.data.meetings import load_events as list_events

    app = make_app(meeting_id)
    async with app.run_test(size=(100, 30)) as pilot:
        app.outbox.flush()
        killed(app)  # the store gets nothing more
        await pilot.press("space")  # start: the timer runs on screen
        await pilot.press("n")  # the next step
        shown = [e.kind for e in app.live.events]
        assert shown[-2:] == ["start", "next"] or shown[-2:] == ["start", "goto"], shown
        path = journal_path(store.url, store.path, meeting_id, keys_key(app.live.author, app.live.role))
        kept = DraftJournal.read(path)
        assert [e["kind"] for e in kept[1]["events"]] == shown[-2:]
        app.live._keys_journal.close()  # killed
    assert [e.kind for e in list_events(store, meeting_id)] == []
    again = make_app(meeting_id)
    stored = [e.kind for e in list_events(store, meeting_id)]
    assert stored == shown[-2:]
    async with again.run_test(size=(100, 30)):
        assert [e.kind for e in again.live.events] == stored
