"""What the note-taker sees at 80x24, with a frozen clock: the live step and speaker, notes of
every kind under their steps, and an action being typed with its kind, owner and due date shown."""

from __future__ import annotations

from kring.data.meetings import append_event
from kring.data.notes import NoteInfo, add_note


def test_note_taker_80x24(snap_compare, store, clock, meeting_id):
    from kring.tui.notes_app import NotesApp

    def note(uid, kind, text, step, title, speaker, author="Sanne", **kw):
        add_note(store, meeting_id, NoteInfo(uid=uid, kind=kind, text=text, step_index=step, step_title=title,
                                             speaker=speaker, author=author, at=clock.now(), **kw))

    append_event(store, meeting_id, "start", clock.now())
    note("n1", "note", "Iedereen is er, Joris iets later", 0, "Inchecken", "Anouk")
    clock.advance(minutes=10)
    append_event(store, meeting_id, "goto", clock.now(), {"step": 1})
    note("n2", "decision", "Het buurtplan gaat door, in januari", 1, "Terugblik op de acties van vorige keer", None)
    clock.advance(minutes=10)
    append_event(store, meeting_id, "goto", clock.now(), {"step": 2})
    clock.advance(minutes=2)
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Fatima"})
    note("n3", "quote", "Samen ben je minder alleen in de wijk", 2, "Inhoud door een deelnemer", "Fatima")
    note("n4", "question", "Wie betaalt de zaalhuur?", 2, "Inhoud door een deelnemer", "Fatima", author="Pim")
    note("n5", "insight", "Wat Fatima over haar team vertelde", 2, "Inhoud door een deelnemer", "Fatima",
         confidential=True)
    clock.advance(minutes=5, seconds=30)

    async def typing(pilot):
        app = pilot.app
        field = app.screen.query_one("#note-input")
        field.cursor_blink = False
        await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in "a: Anouk belt de gemeente @Anouk vrijdag"])
        await pilot.pause()

    app = NotesApp(store, meeting_id, clock=clock, author="Sanne", watch=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=typing)
