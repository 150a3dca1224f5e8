"""The notes a live client reloads on each change in the store: read again only where they changed,
and always the same figures as reading every note."""

from __future__ import annotations

import pytest

from kring.data import notes as notes_module
from kring.data.live import load_snapshot
from kring.data.meetings import create_meeting
from kring.data.notes import (
    add_note,
    delete_note,
    edit_note,
    figures_of,
    list_notes,
    notes_figures,
    restore_note,
)
from tests.note_helpers import make_note as note


def read_everything(store, meeting_id):
    notes = list_notes(store, meeting_id, include_deleted=True)
    notes.sort(key=lambda n: (n.at, n.id))
    return figures_of(notes)


def same(a, b) -> None:
    assert a.notes == b.notes
    assert a.per_step == b.per_step
    assert a.total == b.total
    assert a.latest_public == b.latest_public
    assert a.revisions == b.revisions


def test_every_kind_of_change_gives_the_figures_a_full_read_gives(store, meeting_id, clock, standaard):
    other = create_meeting(store, standaard, ["Anouk"], clock)
    first = note(clock, kind="decision", text="we starten in januari")
    second = note(clock, kind="action", text="zaal boeken", owner="Bram", due="2026-12-01", step_index=1,
                  step_title="Terugblik")
    changes = [
        lambda: None,
        lambda: add_note(store, meeting_id, first),
        lambda: add_note(store, meeting_id, second),
        lambda: add_note(store, meeting_id, note(clock, step_index=None, step_title="")),
        lambda: add_note(store, meeting_id, note(clock, text="eerder begonnen", at=clock.now().subtract(minutes=5))),
        lambda: add_note(store, other, note(clock, kind="decision")),  # another meeting's note
        lambda: edit_note(store, first.uid, author="Sanne", at=clock.now(), text="we starten in februari"),
        lambda: edit_note(store, second.uid, author="Sanne", at=clock.now(), confidential=True),
        lambda: edit_note(store, first.uid, author="Sanne", at=clock.now(), confidential=True),  # latest public goes
        lambda: delete_note(store, first.uid, author="Sanne", at=clock.now()),
        lambda: restore_note(store, first.uid, author="Sanne", at=clock.now()),
        lambda: edit_note(store, second.uid, author="Sanne", at=clock.now(), confidential=False),
    ]
    for change in changes:
        change()
        clock.advance(seconds=30)
        same(notes_figures(store, meeting_id), read_everything(store, meeting_id))


def test_unchanged_notes_keep_their_objects_and_only_changed_ones_are_read(store, meeting_id, clock):
    from sqlalchemy import event

    for i in range(20):
        add_note(store, meeting_id, note(clock, text=f"notitie {i}"))
        clock.advance(seconds=10)
    before = notes_figures(store, meeting_id)
    assert notes_figures(store, meeting_id) is before  # nothing changed: the very same figures

    rows: list[int] = []

    def counted(_conn, _cursor, statement, _params, _context, _many) -> None:  # noqa: ANN001
        if "FROM note" in statement and "note.text" in statement:
            rows.append(1)

    added = note(clock, text="nieuw")
    add_note(store, meeting_id, added)
    event.listen(store.engine, "before_cursor_execute", counted)
    try:
        after = notes_figures(store, meeting_id)
    finally:
        event.remove(store.engine, "before_cursor_execute", counted)
    assert after.total == 21 and after.notes[-1].uid == added.uid
    assert all(a is b for a, b in zip(before.notes, after.notes))  # the twenty kept their objects
    assert len(rows) == 1  # one query for the changed notes, not the full list


def test_a_late_revision_or_a_disagreeing_count_reads_everything_again(store, meeting_id, clock, monkeypatch):
    a = note(clock)
    add_note(store, meeting_id, a)
    notes_figures(store, meeting_id)
    edit_note(store, a.uid, author="Sanne", at=clock.now(), text="later")
    # as if the revision had been committed with an id older than the last read: the merge misses it
    known = notes_module._known[store][meeting_id]
    known.newest = 10**9
    monkeypatch.setattr(notes_module, "_merge", lambda k, changed, newest: notes_module._Known(
        k.figures, newest, k.live, k.revision_sum, k.reads + 1))
    figures = notes_figures(store, meeting_id)
    assert figures.notes[0].text == "later"  # the count and revisions disagreed: read in full


def test_every_so_many_reads_is_a_full_one(store, meeting_id, clock, monkeypatch):
    """Forgetting a member rewrites notes without a revision: a full read now and then picks that up."""
    from kring.data.models import Note
    from sqlmodel import select

    a = note(clock, text="Bram belt")
    add_note(store, meeting_id, a)
    notes_figures(store, meeting_id)
    with store.writing() as s:
        row = s.exec(select(Note).where(Note.uid == a.uid)).one()
        row.text = "voormalig lid belt"
        s.add(row)
    texts = [notes_figures(store, meeting_id).notes[0].text for _ in range(notes_module.FULL_READ_EVERY + 1)]
    assert texts[0] == "Bram belt" and texts[-1] == "voormalig lid belt"


@pytest.mark.parametrize("count", [0, 3])
def test_the_snapshot_carries_them(store, meeting_id, clock, count):
    for _ in range(count):
        add_note(store, meeting_id, note(clock))
    snap = load_snapshot(store, meeting_id)
    same(snap.extra["notes"], read_everything(store, meeting_id))
