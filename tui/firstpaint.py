"""Start-up: paint the agenda first, open the store after.

Importing the store's libraries (SQLAlchemy, SQLModel, pydantic) takes longer
than drawing the whole agenda. So `kring demo` and `kring resume` read what the
first paint needs (the meeting and its event log) with Python's own sqlite3;
the App shows the agenda's core at once (`kring.screens.agenda_core`), then a
thread opens the store the usual way and hands over, and the capabilities'
panels join (`kring.screens.agenda`).

This quick read is taken only when everything is plainly fine: an SQLite file
that is the owner's, writable, at the schema this kring knows, with a live
meeting as asked. Anything else (no store yet, another schema, PostgreSQL, a
bad id, a damaged file) gives None, and the command takes the usual path,
which opens the store and says what is wrong (exit 2) before any screen starts.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

# The demo's network, as kring.data.demo names it (a test keeps the two equal;
# importing that module would load the store's libraries).
DEMO_NETWORK = "Demo leernetwerk"


# Plain classes, not dataclasses: a dataclass writes and compiles its methods as it
# is made, some 0.3 ms each, and these five are made at every start.


class FirstEvent:
    """An event as `kring.data.meetings.EventRow` has it."""

    __slots__ = ("at", "kind", "data", "uid", "id", "origin")

    def __init__(self, at: datetime, kind: str, data: dict[str, Any], uid: str, id: int | None = None,  # noqa: A002
                 origin: str = "") -> None:
        self.at = at  # aware; pendulum's once the store is open
        self.kind = kind
        self.data = data
        self.uid = uid
        self.id = id
        self.origin = origin


class FirstParticipant:
    __slots__ = ("name", "seat", "roles")

    def __init__(self, name: str, seat: int, roles: list[str] | None = None) -> None:
        self.name = name
        self.seat = seat
        self.roles = roles if roles is not None else []


class FirstMeeting:
    """What `kring.data.meetings.MeetingInfo` holds, read without the ORM."""

    def __init__(self, id: int, title: str, werkvorm: str, format_data: dict[str, Any], status: str,  # noqa: A002
                 created_at: Any, started_at: Any, ended_at: Any, place: str, network_id: int | None,
                 participants: list[FirstParticipant]) -> None:
        self.id = id
        self.title = title
        self.werkvorm = werkvorm
        self.format_data = format_data
        self.status = status
        self.created_at = created_at
        self.started_at = started_at
        self.ended_at = ended_at
        self.place = place
        self.network_id = network_id
        self.participants = participants

    @cached_property
    def format(self):  # noqa: ANN201 - FormatSteps, as MeetingInfo.format
        from kring.data.core.steps import FormatSteps

        return FormatSteps.of(self.format_data)

    @property
    def plan(self):  # noqa: ANN201 - list[PlannedStep], as MeetingInfo.plan
        return self.format.plan

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.participants]


class FirstSnapshot:
    """The event log, as `kring.data.live.Snapshot` has it; the panels' figures come later."""

    __slots__ = ("events", "status", "extra")

    def __init__(self, events: list[FirstEvent], status: str = "live", extra: dict[str, Any] | None = None) -> None:
        self.events = events
        self.status = status
        self.extra = extra if extra is not None else {}


class FirstPaint:
    __slots__ = ("url", "meeting", "snapshot", "make")

    def __init__(self, url: str, meeting: FirstMeeting, snapshot: FirstSnapshot,
                 make: Callable[[Any], int] | None = None) -> None:
        self.url = url  # the store to open after the first paint
        self.meeting = meeting
        self.snapshot = snapshot
        # For a meeting not made yet (kring run, the demo on a new store): makes it in the
        # opening thread, given the open store, and returns its id.
        self.make = make


def read(db: str | None = None, *, meeting_id: int | None = None, demo: bool = False,
         closed_too: bool = False) -> FirstPaint | None:
    """The live meeting to show (the demo's, `meeting_id`, or the latest; `closed_too`:
    live or closed, as `kring evaluate` takes it), or None when the usual path should
    open the store and judge."""
    try:
        return _read(db, meeting_id, demo, closed_too)
    except Exception:  # noqa: BLE001 - any doubt: the usual path says what is wrong
        return None


def _sqlite_file(db: str | None) -> tuple[str, Path] | None:
    """The store's URL and file, for an SQLite file (not one in memory, not a server)."""
    from kring.data.store import resolve_url

    url = resolve_url(db)
    if not url.startswith("sqlite:///") or url in ("sqlite:///:memory:",):
        return None
    return url, Path(url.removeprefix("sqlite:///"))


def _open_fine(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to a store file that is plainly fine (the owner's, writable,
    at the schema this kring knows), or None."""
    from kring.data.schema import HEAD

    info = path.stat()
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0 or info.st_uid != os.getuid():
        return None
    if stat.S_IMODE(info.st_mode) & 0o077:  # the usual path makes it the owner's only
        return None
    if not (os.access(path, os.R_OK | os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)):
        return None
    con = sqlite3.connect(str(path), timeout=5.0, isolation_level=None)
    try:
        con.execute("PRAGMA query_only=1")
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except Exception:
        con.close()
        raise
    if row is None or row[0] != HEAD:
        con.close()
        return None
    return con


def store_for_new_meeting(db: str | None) -> str | None:
    """The URL of the store a new meeting can be made in after the first paint: an SQLite
    file that is plainly fine, or none yet in a folder that is the owner's and writable
    (the store is created, migrations and all, in the opening thread). None: the usual path."""
    try:
        found = _sqlite_file(db)
        if found is None:
            return None
        url, path = found
        if not path.exists():
            folder = path.parent.stat()
            fine = folder.st_uid == os.getuid() and os.access(path.parent, os.W_OK | os.X_OK)
            return url if fine and stat.S_ISDIR(folder.st_mode) and not path.is_symlink() else None
        con = _open_fine(path)
        if con is None:
            return None
        con.close()
        return url
    except Exception:  # noqa: BLE001 - any doubt: the usual path says what is wrong
        return None


def _connect(db: str | None) -> tuple[str, sqlite3.Connection] | None:
    """(the store's URL, an open connection) for an SQLite file that is plainly fine; None: the usual path."""
    found = _sqlite_file(db)
    if found is None:
        return None
    url, path = found
    con = _open_fine(path)
    return None if con is None else (url, con)


def _read(db: str | None, meeting_id: int | None, demo: bool, closed_too: bool = False) -> FirstPaint | None:
    opened = _connect(db)
    if opened is None:
        return None
    url, con = opened
    try:
        con.execute("BEGIN")  # one consistent view of the meeting and its log
        if demo:
            row = con.execute(
                "SELECT m.id FROM meeting m JOIN network n ON n.id = m.network_id "
                "WHERE n.name = ? AND m.status = 'live' ORDER BY m.id DESC LIMIT 1", (DEMO_NETWORK,)
            ).fetchone()
        elif meeting_id is None:
            row = con.execute("SELECT id FROM meeting " + ("" if closed_too else "WHERE status = 'live' ")
                              + "ORDER BY id DESC LIMIT 1").fetchone()
        else:
            row = (meeting_id,)
        if row is None:
            return None
        m = con.execute(
            "SELECT id, title, werkvorm, format_data, status, created_at, started_at, ended_at, place, network_id "
            "FROM meeting WHERE id = ?", (int(row[0]),)
        ).fetchone()
        if m is None or m[4] not in (("live", "closed") if closed_too else ("live",)):
            return None
        people = con.execute(
            "SELECT name, seat, roles FROM participant WHERE meeting_id = ? ORDER BY seat", (m[0],)
        ).fetchall()
        rows = con.execute(
            "SELECT at, kind, data, uid, id, origin FROM event WHERE meeting_id = ? ORDER BY id", (m[0],)
        ).fetchall()
        con.execute("COMMIT")
    finally:
        con.close()

    def moment(value: str | None) -> datetime | None:
        # The store writes isoformat(); Python reads it back without pendulum,
        # which loads after the first paint with the store.
        if value is None:
            return None
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("naive moment in the store")  # the usual path judges
        return parsed

    from kring.data.core.textgate import shown, shown_tree  # what the store holds is shown through the gate

    format_data = shown_tree(json.loads(m[3]))
    if not isinstance(format_data, dict) or not format_data.get("steps"):
        return None
    meeting = FirstMeeting(
        id=int(m[0]), title=shown(m[1]), werkvorm=shown(m[2]), format_data=format_data, status=m[4],
        created_at=moment(m[5]), started_at=moment(m[6]), ended_at=moment(m[7]), place=shown(m[8]),
        network_id=m[9],
        participants=[FirstParticipant(shown(name), seat, list(json.loads(roles) or []))
                      for name, seat, roles in people],
    )
    events = [
        FirstEvent(moment(at), kind, dict(json.loads(data) or {}), uid, int(eid), origin or "")
        for at, kind, data, uid, eid, origin in rows
    ]
    return FirstPaint(url, meeting, FirstSnapshot(events, status=meeting.status))


def draft_waiting(first: FirstPaint, key: str) -> bool:
    """Whether a draft kept under `key` waits to come back (in the store or its journal):
    bringing it back weighs the two with the store's notes, so that start takes the
    usual path. True in any doubt."""
    from kring.data.draftjournal import DraftJournal
    from kring.tui.widgets.firstdraft import draft_journal_path

    try:
        state = DraftJournal.read(draft_journal_path(first.url, first.meeting.id, key))
        if state is not None and (state[0] or state[1]):
            return True
        con = sqlite3.connect(first.url.removeprefix("sqlite:///"), timeout=5.0, isolation_level=None)
        try:
            con.execute("PRAGMA query_only=1")
            row = con.execute("SELECT text, data FROM draft WHERE meeting_id = ? AND author = ?",
                              (first.meeting.id, key)).fetchone()
        finally:
            con.close()
    except Exception:  # noqa: BLE001
        return True
    return row is not None and bool(row[0] or json.loads(row[1] or "null"))


def served_meeting(db: str | None, meeting_id: int | None) -> tuple[str, int, str | None] | None:
    """For `kring serve`: (the store's URL, the live meeting, its link's token or None when
    it has none yet), read as quickly as the rest here; None: the usual path."""
    try:
        opened = _connect(db)
        if opened is None:
            return None
        url, con = opened
        try:
            con.execute("BEGIN")
            if meeting_id is None:
                row = con.execute("SELECT id FROM meeting WHERE status = 'live' ORDER BY id DESC LIMIT 1").fetchone()
            else:
                row = con.execute("SELECT id FROM meeting WHERE id = ? AND status = 'live'", (meeting_id,)).fetchone()
            if row is None:
                return None
            token = con.execute("SELECT token FROM web_link WHERE meeting_id = ? ORDER BY id LIMIT 1",
                                (row[0],)).fetchone()
            con.execute("COMMIT")
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - any doubt: the usual path says what is wrong
        return None
    return url, int(row[0]), (str(token[0]) if token is not None else None)
