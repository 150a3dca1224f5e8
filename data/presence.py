"""Who takes notes now: a running `kring notes` announces itself in the store.

The announcement is a row of the drafts' table under the note-taker's name with
a suffix no draft has (`<author>#present`), its time renewed every
HEARTBEAT_SECONDS; the moderator's pre-meeting check counts a note-taker as
connected while that time is fresher than FRESH_SECONDS. A row, not an event:
the event log is the meeting's own story, and a heartbeat is not part of it.
Forgetting a member treats the row as any draft.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import select

from kring.data.models import Draft

if TYPE_CHECKING:
    from pendulum import DateTime

    from kring.data.store import Store

SUFFIX = "#present"
SESSION = "session"  # the announcing client's random token, in the row's data
HEARTBEAT_SECONDS = 20
FRESH_SECONDS = 60


def announce(store: Store, meeting_id: int, author: str, at: DateTime, session: str = "") -> None:
    """The note-taker `author` is here (again) at `at`. `session` is the client's own random
    token: forgetting the note-taker names it (not them) so that the client knows it is meant."""
    key = f"{author}{SUFFIX}"
    with store.writing() as s:
        if session and session in forgotten_sessions(s, meeting_id):
            return  # the client of a note-taker forgotten since, not told yet: their name stays gone
        row = s.exec(select(Draft).where(Draft.meeting_id == meeting_id, Draft.author == key)).first()
        if row is None:
            row = Draft(meeting_id=meeting_id, author=key, text="", data={"present": True})
        if session and (row.data or {}).get(SESSION) != session:
            row.data = {**(row.data or {}), SESSION: session}
        row.updated_at = at
        s.add(row)


def forgotten_sessions(s, meeting_id: int) -> set[str]:  # noqa: ANN001 - a session
    """The tokens of the note-takers' clients forgotten in this meeting (kring.data.forget)."""
    from kring.data.core.events import EventKind
    from kring.data.models import Event

    found: set[str] = set()
    for data in s.exec(select(Event.data).where(Event.meeting_id == meeting_id,
                                                Event.kind == EventKind.FORGOTTEN)).all():
        found.update(t for t in (data or {}).get("sessions") or [] if isinstance(t, str))
    return found


def note_takers(store: Store, meeting_id: int, now: DateTime) -> list[str]:
    """The note-takers heard from in the last FRESH_SECONDS, by name."""
    since = now - timedelta(seconds=FRESH_SECONDS)
    with store.session() as s:
        rows = s.exec(select(Draft).where(Draft.meeting_id == meeting_id, Draft.author.endswith(SUFFIX))).all()
        return sorted(r.author[: -len(SUFFIX)] for r in rows if r.updated_at is not None and r.updated_at >= since)
