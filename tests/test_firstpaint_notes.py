"""`kring notes` paints first: the note-taker types at once, before the store is open.

What is typed on the core screen is journalled per key and lands in the draft once
the store is open; a key that does more than edit the text (Enter) waits, with the
keys after it, and follows in order. Nothing is shown as saved before it is.
"""

from __future__ import annotations

import time

import pytest

from tests.test_firstpaint_doors import HEAVY


@pytest.fixture(autouse=True)
def _sqlite(db_url):
    if not db_url.startswith("sqlite:///"):
        pytest.skip("the quick read is for SQLite files")


def _path(store) -> str:
    return store.url.removeprefix("sqlite:///")


async def _until(pilot, test, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not test():
        assert time.monotonic() < deadline, "gave up waiting"
        await pilot.pause(0.05)


async def test_keys_typed_before_the_store_is_open_land_in_the_draft_and_enter_waits(store, clock, meeting_id):
    from kring.data.core.given import draft_key
    from kring.data.draftjournal import DraftJournal
    from kring.data.meetings import append_event
    from kring.data.notes import list_notes
    from kring.screens.notes import NotesScreen
    from kring.screens.notes_core import NotesScreen as NotesCore
    from kring.tui.firstpaint import draft_waiting, read
    from kring.tui.notes_app import NotesApp
    from kring.tui.widgets.firstdraft import draft_journal_path

    append_event(store, meeting_id, "start", clock.now())
    first = read(_path(store), meeting_id=meeting_id)
    key = draft_key("Sanne", "notulist")
    assert not draft_waiting(first, key)
    app = NotesApp(None, meeting_id, clock=clock, author="Sanne", watch=False, first_paint=first)
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None  # hold the store back: the note-taker types first
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen) is NotesCore and not app.connected
        assert "Stap 1 van 5: Inchecken" in str(app.screen.query_one("#notes-step").render())
        await pilot.press(*"eerste")
        await pilot.pause()
        assert app.screen.query_one("#note-input").value == "eerste"
        # each key is in the journal before the next is handled; nothing in the store yet
        journal = DraftJournal.read(draft_journal_path(first.url, meeting_id, key))
        assert journal is not None and journal[0] == "eerste" and journal[1]["begun"]["step"] == 0
        begun_at = journal[1]["begun"]["at"]
        clock.advance(minutes=2)
        await pilot.press("enter", *"tweede")
        await pilot.pause()
        assert app.screen.query_one("#note-input").value == "eerste"  # Enter waits: not shown as saved
        assert list(app.waiting_keys) == [("enter", None)] + [(c, c) for c in "tweede"]
        assert list_notes(store, meeting_id) == []
        opening()
        await _until(pilot, lambda: isinstance(app.screen, NotesScreen) and not app.waiting_keys)
        await _until(pilot, lambda: app.screen.query_one("#note-input").value == "tweede")
        app.outbox.flush()
        notes = list_notes(store, meeting_id)
        assert [(n.text, n.step_index, n.author) for n in notes] == [("eerste", 0, "Sanne")]
        assert notes[0].at.isoformat() == begun_at  # filed at its first key, on the first paint
        app.screen.flush_draft()
        app.outbox.flush()
        from kring.data.notes import load_draft

        assert load_draft(store, meeting_id, key).text == "tweede"


def test_a_draft_waiting_to_come_back_takes_the_usual_path(store, clock, meeting_id):
    from kring.data.core.given import draft_key
    from kring.data.notes import save_draft
    from kring.tui.firstpaint import draft_waiting, read

    first = read(_path(store), meeting_id=meeting_id)
    key = draft_key("Sanne", "notulist")
    assert not draft_waiting(first, key)
    save_draft(store, meeting_id, key, "half af", {}, clock.now())
    assert draft_waiting(first, key)
    assert not draft_waiting(first, draft_key("Sem", "notulist"))


def test_a_draft_in_the_journal_takes_the_usual_path(store, meeting_id):
    from kring.data.core.given import draft_key
    from kring.data.draftjournal import DraftJournal
    from kring.tui.firstpaint import draft_waiting, read
    from kring.tui.widgets.firstdraft import draft_journal_path

    first = read(_path(store), meeting_id=meeting_id)
    key = draft_key("Sanne", "notulist")
    journal = DraftJournal(draft_journal_path(first.url, meeting_id, key))
    journal.write("getypt voor de kill", {})
    journal.close()
    assert draft_waiting(first, key)


def test_nothing_heavy_loads_before_the_note_takers_first_frame(store, clock, meeting_id, tmp_path):
    import json
    import os
    import subprocess
    import sys

    from tests.test_firstpaint_doors import _PROBE

    env = {**os.environ, "KRING_DB": _path(store)}
    done = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY), "notes", str(meeting_id), "--as",
                           "Sanne"], capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"loaded": [], "screen": "kring.screens.notes_core.NotesScreen"}


async def test_keys_typed_as_the_full_screen_comes_up_follow_those_that_waited(store, clock, meeting_id,
                                                                               monkeypatch):
    """Keys typed while the full screen's word that it is up waits its turn in the App's
    queue come after the keys that waited for the store, not before them."""
    from textual import events

    from kring.data.meetings import append_event
    from kring.data.notes import list_notes
    from kring.screens.notes import NotesScreen
    from kring.tui.firstpaint import read
    from kring.tui.notes_app import NotesApp

    shown = NotesApp.on_screen_shown

    async def typed_meanwhile(app, message):
        if isinstance(app.screen, NotesScreen):
            for ch in "ede":  # queued behind the message: typed after the screen sent it
                app.post_message(events.Key(ch, ch))
        await shown(app, message)

    monkeypatch.setattr(NotesApp, "on_screen_shown", typed_meanwhile)
    append_event(store, meeting_id, "start", clock.now())
    app = NotesApp(None, meeting_id, clock=clock, author="Sanne", watch=False,
                   first_paint=read(_path(store), meeting_id=meeting_id))
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None  # the store waits until the keys are typed
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"eerste", "enter", *"twe")
        opening()
        await _until(pilot, lambda: isinstance(app.screen, NotesScreen) and not app.waiting_keys
                     and not app._handing_over)
        await pilot.pause()
        assert app.screen.query_one("#note-input").value == "tweede"
        app.outbox.flush()
        assert [n.text for n in list_notes(store, meeting_id)] == ["eerste"]


async def test_keys_the_core_was_handed_as_the_store_opens_follow_into_the_full_screen(store, clock, meeting_id):
    """The store opens while keys the App handed to the core's input still wait in its queue:
    the full screen's draft has them, in order, and the keys after them."""
    from textual import events

    from kring.screens.notes import NotesScreen
    from kring.tui.firstpaint import read
    from kring.tui.notes_app import NotesApp

    first = read(_path(store), meeting_id=meeting_id)
    app = NotesApp(None, meeting_id, clock=clock, author="Sanne", watch=False, first_paint=first)
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None
    opened: list = []
    app._call_from_opening = lambda fn, *args: opened.append((fn, args))  # the store opens; the App is told below
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"abc")
        opening()
        await _until(pilot, lambda: opened)
        (fn, args), = opened
        # in one go, as the App's queue holds them: three keys, the store open, three more
        for ch in "def":
            app.post_message(events.Key(ch, ch))
        app.call_later(fn, *args)
        for ch in "ghi":
            app.post_message(events.Key(ch, ch))
        await _until(pilot, lambda: isinstance(app.screen, NotesScreen) and not app.waiting_keys, 10)
        await pilot.pause()
        assert app.screen.query_one("#note-input").value == "abcdefghi"
