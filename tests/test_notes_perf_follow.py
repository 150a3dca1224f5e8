"""The note-taker's follow token: change_token's figures, without joining every note at each poll."""

from __future__ import annotations

from kring.data.meetings import append_event, change_token, create_meeting
from kring.data.models import EvaluationReceipt
from kring.data.notes import FollowToken, add_note, delete_note, edit_note
from tests.note_helpers import make_note as note


def test_the_token_is_change_tokens_after_every_kind_of_change(store, meeting_id, clock, standaard):
    other = create_meeting(store, standaard, ["Anouk", "Bram"], clock)
    token = FollowToken(store, meeting_id)
    seen = [token()]
    assert seen[-1] == change_token(store, meeting_id)  # nothing yet: no notes, no events

    def changed(write) -> None:  # noqa: ANN001
        write()
        now = token()
        assert now == change_token(store, meeting_id)
        seen.append(now)

    first = note(clock)
    changed(lambda: add_note(store, meeting_id, first))
    changed(lambda: add_note(store, meeting_id, note(clock, kind="decision")))
    changed(lambda: edit_note(store, first.uid, author="Sanne", at=clock.now(), text="anders"))
    changed(lambda: delete_note(store, first.uid, author="Sanne", at=clock.now()))
    changed(lambda: append_event(store, meeting_id, "start", clock.now()))

    def receipt() -> None:
        with store.writing() as s:
            s.add(EvaluationReceipt(meeting_id=meeting_id, participant="Bram", at=clock.now()))

    changed(receipt)
    assert len(set(seen)) == len(seen)  # every change showed

    # a note in another meeting moves the store's newest revision, not this meeting's token
    before = token()
    add_note(store, other, note(clock))
    assert token() == before == change_token(store, meeting_id)


def test_the_meetings_own_figure_is_read_again_only_when_the_store_moved(store, meeting_id, clock):
    from sqlalchemy import event

    token = FollowToken(store, meeting_id, recheck=1000)
    add_note(store, meeting_id, note(clock))
    token()
    joins: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if "JOIN" in statement.upper():
            joins.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        for _ in range(5):
            token()
        assert joins == []  # nothing changed: no join over the meeting's notes
        add_note(store, meeting_id, note(clock))
        assert token() == change_token(store, meeting_id)
        assert len(joins) == 2  # once for the token, once for change_token here
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)


def test_a_revision_the_store_wide_figure_missed_shows_within_recheck_polls(store, meeting_id, clock):
    token = FollowToken(store, meeting_id, recheck=3)
    add_note(store, meeting_id, note(clock))
    token()
    # as if PostgreSQL committed an older revision id late: the store-wide newest did not move
    token._mark = None
    token._polls = 0
    results = [token() for _ in range(3)]
    assert results[-1] == change_token(store, meeting_id)
