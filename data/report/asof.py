"""The meeting's actions as they stood at its close, for a report made later.

An action made in a meeting is marked later (done, kept, dropped: at the next
meeting's look-back, kring.data.actions), and its owner or due date may change.
Every change keeps the old version as a `NoteRevision` with its moment, so the
report of a closed meeting reads each action's status, owner and due date from
the last version made up to the close, not from the note as it is today. A
live meeting's report shows them as they are now.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any, Sequence

from sqlmodel import col, select

from kring.data.models import NoteRevision


def actions_as_of(s: Any, notes: Sequence[Any], closed_at: Any) -> list[Any]:
    """`notes` (rows with id, kind, owner, due, status) with each action's state at `closed_at`.

    An action whose first version was saved after the close (a note the outbox
    stored a moment late) reads its first version; one with no version at all
    (a store older than revisions) keeps its state as stored.
    """
    notes = list(notes)
    ids = [n.id for n in notes if n.kind == "action"]
    if closed_at is None or not ids:
        return notes
    rows = s.exec(
        select(NoteRevision.note_id, NoteRevision.at, NoteRevision.owner, NoteRevision.due, NoteRevision.status)
        .where(col(NoteRevision.note_id).in_(ids))
        .order_by(col(NoteRevision.note_id), col(NoteRevision.revision))
    ).all()
    then: dict[int, tuple[Any, Any, Any]] = {}
    for note_id, at, owner, due, status in rows:
        if note_id not in then or (at is not None and _moment(at) <= _moment(closed_at)):
            then[note_id] = (owner, due, status)
    if not then:
        return notes
    as_row = namedtuple("NoteRow", notes[0]._fields)  # type: ignore[misc]
    out = []
    for n in notes:
        state = then.get(n.id)
        if state is None:
            out.append(n)
            continue
        owner, due, status = state
        out.append(as_row(*n)._replace(owner=owner, due=due, status=status))
    return out


def _moment(value: Any) -> Any:
    """A stored moment as an aware datetime (SQLite may hand back ISO text)."""
    if isinstance(value, str):
        import pendulum

        return pendulum.parse(value)
    if getattr(value, "tzinfo", None) is None:
        import pendulum

        return pendulum.instance(value, tz="UTC")
    return value
