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
