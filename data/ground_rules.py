"""Ground rules a learning network agrees in its meetings.

A rule is agreed in a meeting's `spelregels` step (the kick-off has one): a
decision note filed there, and a rule on the network at once. At the next
meeting the network adopts the rules of the meetings held since, each meeting
once, so a rule the network later drops from its list does not come back.
"""

from __future__ import annotations

import uuid

from pendulum import DateTime
from sqlmodel import col, select

from kring.data.core.clock import Clock
from kring.data.core.events import EventKind
from kring.data.core.steps import FormatSteps
from kring.data.errors import InputError
from kring.data.models import Event, Meeting, Network, Note, NoteRevision
from kring.data.networks import GROUND_RULES_STEP, clean_list, clean_text
from kring.data.store import Store
from kring.data.i18n import _


def record_ground_rule(store: Store, meeting_id: int, text: str, author: str, at: DateTime,
                       uid: str | None = None) -> None:
    """A ground rule agreed in a meeting: a decision note in the live step and a rule on the network.

    `uid` makes a retried write land once.
    """
    rule = clean_text(text)
    if not rule:
        raise InputError(_("the ground rule is empty"))
    uid = uid or uuid.uuid4().hex
    with store.writing() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise InputError(_("no meeting with id {meeting_id}").format(meeting_id=meeting_id))
        if s.exec(select(Note.id).where(Note.uid == uid)).first() is None:
            steps = FormatSteps.of(meeting.format_data)
            index = steps.index_of(GROUND_RULES_STEP)
            title = steps.steps[index].title if index is not None else ""
            note = Note(uid=uid, meeting_id=meeting_id, kind="decision", text=rule, step_index=index,
                        step_title=title, author=author, at=at, updated_at=at)
            s.add(note)
            s.flush()
            s.add(NoteRevision(note_id=note.id, revision=1, kind=note.kind, text=note.text, confidential=False,
                               author=author, at=at))
        if meeting.network_id is not None:
            net = s.get(Network, meeting.network_id)
            net.ground_rules = clean_list(list(net.ground_rules or []) + [rule], "ground rule")
            s.add(net)


ADOPTED = EventKind.GROUND_RULES_ADOPTED


def adopt_ground_rules(store: Store, network_id: int, clock: Clock, *, include_live: bool = False) -> list[str]:
    """Store on the network the ground rules agreed in its meetings' `spelregels` steps.

    A rule is a decision note (not deleted, not confidential) filed in that step.
    Each meeting is adopted once (an event in its log marks it), so a rule the
    network later drops from its list does not come back. Returns the new rules.
    """
    added: list[str] = []
    with store.writing() as s:
        net = s.get(Network, network_id)
        if net is None:
            return added
        q = select(Meeting).where(Meeting.network_id == network_id).order_by(col(Meeting.id))
        if not include_live:
            q = q.where(Meeting.status == "closed")
        for meeting in s.exec(q).all():
            index = FormatSteps.of(meeting.format_data).index_of(GROUND_RULES_STEP)
            if index is None:
                continue
            done = s.exec(select(Event.id).where(Event.meeting_id == meeting.id, Event.kind == ADOPTED)).first()
            if done is not None:
                continue
            notes = s.exec(
                select(Note).where(Note.meeting_id == meeting.id, Note.step_index == index, Note.kind == "decision",
                                   Note.deleted == False, Note.confidential == False)  # noqa: E712
                .order_by(col(Note.at), col(Note.id))
            ).all()
            rules: list[str] = []
            for n in notes:  # no length limit here: what the meeting agreed is taken as written
                text = clean_text(n.text)
                if text and text.casefold() not in {r.casefold() for r in rules}:
                    rules.append(text)
            have = {r.casefold() for r in net.ground_rules or []}
            new = [r for r in rules if r.casefold() not in have]
            net.ground_rules = list(net.ground_rules or []) + new
            added += new
            s.add(Event(uid=uuid.uuid4().hex, meeting_id=meeting.id, at=clock.now(), kind=ADOPTED,
                        data={"rules": rules}, origin="network"))
        s.add(net)
    return added
