"""Action items carried from one meeting of a network to the next.

An action is a `Note` of kind "action" with an owner, a due date and a status:
open | done (gedaan) | kept (houden: it stays on the list) | dropped (laten
vallen). Open and kept actions of a network's earlier meetings are its *open
actions*: the next meeting shows them at the start and at its look-back step
(step id `terugblik`), where the moderator marks each one.

Nothing is silently overwritten: a change of status adds a `NoteRevision` and
bumps `Note.revision`. The live meeting also logs the change as an event, so
every client shows it at once and the meeting's report can say what was
looked back on:

  action_status  {note: uid, status, text}

Functions return plain data, never live ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from pendulum import DateTime
from sqlmodel import col, select

from kring.data.core.events import EventKind
from kring.data.errors import InputError
from kring.data.models import (
    LearningQuestion,
    Meeting,
    Member,
    Network,
    Note,
    NoteRevision,
    Participant,
)
from kring.data.store import Store
from kring.data.i18n import _

STATUSES = ("open", "done", "kept", "dropped")
CARRIED = ("open", "kept")  # still to do: shown again next time
EVENT = EventKind.ACTION_STATUS


@dataclass
class ActionInfo:
    id: int
    uid: str
    meeting_id: int
    meeting_title: str
    meeting_at: DateTime | None
    text: str
    owner: str | None
    due: str | None
    status: str
    revision: int
    confidential: bool = False
    step_title: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "uid": self.uid, "meeting_id": self.meeting_id, "meeting": self.meeting_title,
            "meeting_at": self.meeting_at.isoformat() if self.meeting_at else None, "text": self.text,
            "owner": self.owner, "due": self.due, "status": self.status, "revision": self.revision,
            "confidential": self.confidential,
        }


def check_status(status: str) -> str:
    value = (status or "").strip().casefold()
    if value not in STATUSES:
        raise InputError(_("action status '{status}': choose one of {choices}").format(status=status, choices=', '.join(STATUSES)))
    return value


def open_actions(
    store: Store,
    network_id: int,
    *,
    before_meeting: int | None = None,
    also: Iterable[str] = (),
    include_confidential: bool = True,
) -> list[ActionInfo]:
    """Open and kept actions of the network's meetings (those before `before_meeting`), oldest first.

    `also` names note uids to list whatever their status: the ones marked in
    the meeting under way, so the look-back list does not shrink while it runs.
    """
    extra = set(also)
    with store.session() as s:
        q = (
            select(Note, Meeting)
            .join(Meeting, Meeting.id == Note.meeting_id)
            .where(Meeting.network_id == network_id, Note.kind == "action", Note.deleted == False)  # noqa: E712
            .order_by(col(Meeting.id), col(Note.at), col(Note.id))
        )
        if before_meeting is not None:
            q = q.where(Meeting.id < before_meeting)
        if not include_confidential:
            q = q.where(Note.confidential == False)  # noqa: E712
        rows = s.exec(q).all()
    return [
        ActionInfo(n.id, n.uid, m.id, m.title, m.started_at or m.created_at, n.text, n.owner, n.due, n.status,
                   n.revision, n.confidential, n.step_title)
        for n, m in rows
        if n.status in CARRIED or n.uid in extra
    ]


def mark_action(store: Store, note: int | str, status: str, author: str, at: DateTime) -> ActionInfo:
    """Set an action's status, keeping the old version. Marking it again the same way changes nothing."""
    status = check_status(status)
    with store.writing() as s:
        q = select(Note).where(Note.id == note) if isinstance(note, int) else select(Note).where(Note.uid == note)
        row = s.exec(q).first()
        if row is None:
            raise InputError(_("no action {note} in this store").format(note=note))
        if row.kind != "action":
            raise InputError(_("note {id} is a {kind}, not an action").format(id=row.id, kind=row.kind))
        if row.status != status:
            row.status = status
            row.revision = (row.revision or 1) + 1
            row.updated_at = at
            s.add(row)
            s.add(NoteRevision(
                note_id=row.id, revision=row.revision, kind=row.kind, text=row.text, confidential=row.confidential,
                owner=row.owner, due=row.due, status=row.status, deleted=row.deleted, author=author, at=at,
            ))
        m = s.get(Meeting, row.meeting_id)
        return ActionInfo(row.id, row.uid, m.id, m.title, m.started_at or m.created_at, row.text, row.owner,
                          row.due, row.status, row.revision, row.confidential, row.step_title)


def marked_in(events: Iterable[Any]) -> dict[str, str]:
    """note uid -> status, as the meeting's log says the moderator marked them (last one wins)."""
    out: dict[str, str] = {}
    for e in events:
        if e.kind == EVENT and e.data.get("note") and e.data.get("status") in STATUSES:
            out[e.data["note"]] = e.data["status"]
    return out


def live_network(store: Store, meeting_id: int, events: Iterable[Any]) -> dict[str, Any] | None:
    """What the live agenda shows of the meeting's network: `Snapshot.extra["network"]`.

    None for a meeting outside any network. Plain data only.
    """
    with store.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None or meeting.network_id is None:
            return None
        net = s.get(Network, meeting.network_id)
        if net is None:
            return None
        members = s.exec(
            select(Member).where(Member.network_id == net.id).order_by(col(Member.seat), col(Member.id))
        ).all()
        questions: list[list[str]] = []
        if members:
            names = {m.id: m.name for m in members}
            rows = s.exec(
                select(LearningQuestion).where(col(LearningQuestion.member_id).in_(list(names)))
            ).all()
            order = {m.id: i for i, m in enumerate(members)}
            for q in sorted(rows, key=lambda q: (order[q.member_id], q.id)):
                questions.append([names[q.member_id], q.text])
        parts = s.exec(
            select(Participant).where(Participant.meeting_id == meeting_id).order_by(col(Participant.seat))
        ).all()
        roles: dict[str, str] = {}
        for p in parts:
            for role in p.roles or []:
                roles.setdefault(role, p.name)
        network = {"id": net.id, "name": net.name, "theme": net.theme, "ground_rules": list(net.ground_rules or []),
                   "role_names": list(net.roles or [])}
        format_data = dict(meeting.format_data or {})
    from kring.data.recall import brought_back

    marked = marked_in(events)
    actions = open_actions(store, network["id"], before_meeting=meeting_id, also=marked)
    return {
        **network,
        "roles": roles,
        "questions": questions,
        "actions": [a.as_dict() for a in actions],
        # what earlier meetings said they would do differently, for a step that brings it back
        "brought_back": brought_back(store, meeting_id, format_data),
    }
