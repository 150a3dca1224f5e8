"""Offline first, central later: a laptop's meetings join the central store.

`push` copies every meeting of one store (SQLite on a laptop in a room without
network) to another (the organisation's PostgreSQL): the meeting, its
participants, events, notes with every revision, evaluation answers and
receipts, and the series' planned meetings. `pull` brings one network down: the
network, its members and their learning questions, its planned meetings, and
its open actions with the meetings they were agreed in,
so the network's id matches when the laptop pushes later.

Rows are matched by their unique ids (`uid`; participants and receipts by their
meeting and name), never by the numbers each store gives its rows, so running
either twice changes nothing the second time. Each meeting is one transaction
on the receiving store: a sync killed or cut off half-way leaves whole meetings
or none, and running it again finishes the rest.

A note edited in both stores since they last met has revisions each lacks:
both are kept in its history, the pushed one as its current text, and the
report names the note (`conflicts`). Afterwards the laptop's copy of that note
holds the same revisions as the central one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

from sqlmodel import col, select

from kring.data.errors import InputError
from kring.data.models import (
    EvaluationReceipt, EvaluationResponse, Event, LearningQuestion, Meeting, Member, Network, Note, NoteRevision,
    Participant, PlannedMeeting,
)
from kring.data.store import Store
from kring.data.i18n import _, ngettext

OPEN = ("open", "kept")  # an action still to do (see kring.data.actions)


@dataclass
class SyncReport:
    meetings: int = 0  # meetings looked at
    added: Counter = field(default_factory=Counter)  # rows added to the receiving store, per table
    conflicts: list[str] = field(default_factory=list)  # notes changed in both stores: both versions kept

    @property
    def changed(self) -> bool:
        return bool(sum(self.added.values()) or self.conflicts)


def _copy(row: Any, **override: Any) -> Any:
    """A new row of the same table with the same values, for another store (no id)."""
    values = {k: getattr(row, k) for k in type(row).model_fields if k != "id"}
    values.update(override)
    return type(row)(**values)


def _by_uid(s: Any, model: Any, uid: str) -> Any:
    return s.exec(select(model).where(model.uid == uid)).first()


class _Matcher:
    """Networks and members of the sending store, found or made in the receiving one."""

    def __init__(self, src: Any, dst: Any, report: SyncReport,
                 adopt: Callable[[str, str, str], None] | None = None) -> None:
        """`adopt(table, sender's uid, receiver's uid)` for a row both stores made before they
        met (matched by name): the sender takes the receiver's uid. Without it the receiver
        takes the sender's (a pull: the central store's ids are the ones that last)."""
        self.src, self.dst, self.report, self._adopt = src, dst, report, adopt

    def adopt(self, table: str, row: Any, found: Any) -> None:
        if self._adopt is not None:
            self._adopt(table, row.uid, found.uid)
        else:
            found.uid = row.uid
            self.dst.add(found)

    def network(self, network_id: int | None) -> int | None:
        if network_id is None:
            return None
        net = self.src.get(Network, network_id)
        found = _by_uid(self.dst, Network, net.uid)
        if found is None:
            found = self.dst.exec(select(Network).where(Network.name == net.name)).first()
            if found is not None:  # the same network, made in both stores before they met
                self.adopt("network", net, found)
        if found is None:
            found = _copy(net)
            self.dst.add(found)
            self.dst.flush()
            self.report.added["network"] += 1
        return found.id

    def member(self, member_id: int | None, network_id: int) -> int | None:
        if member_id is None:
            return None
        m = self.src.get(Member, member_id)
        found = _by_uid(self.dst, Member, m.uid)
        if found is None:
            found = self.dst.exec(select(Member).where(Member.network_id == network_id, Member.name == m.name)).first()
            if found is not None:
                self.adopt("member", m, found)
        if found is None:
            found = _copy(m, network_id=network_id)
            self.dst.add(found)
            self.dst.flush()
            self.report.added["member"] += 1
        have = set(self.dst.exec(select(LearningQuestion.uid).where(LearningQuestion.member_id == found.id)).all())
        for q in self.src.exec(select(LearningQuestion).where(LearningQuestion.member_id == m.id)).all():
            if q.uid not in have:
                self.dst.add(_copy(q, member_id=found.id))
                self.report.added["learning_question"] += 1
        return found.id


def _revisions(s: Any, note_id: int) -> list[NoteRevision]:
    return list(s.exec(select(NoteRevision).where(NoteRevision.note_id == note_id)
                       .order_by(col(NoteRevision.revision), col(NoteRevision.id))).all())


NOTE_STATE = ("kind", "text", "confidential", "owner", "due", "status", "deleted", "updated_at")


def _note(src: Any, dst: Any, note: Note, meeting_id: int, report: SyncReport) -> bool:
    """Copy one note and the revisions the receiving store lacks; True when the two
    stores' histories of it now differ from the sender's (the sender must mirror it)."""
    revs = _revisions(src, note.id)
    found = _by_uid(dst, Note, note.uid)
    if found is None:
        found = _copy(note, meeting_id=meeting_id)
        dst.add(found)
        dst.flush()
        for r in revs:
            dst.add(_copy(r, note_id=found.id))
        report.added["note"] += 1
        report.added["note_revision"] += len(revs)
        return False
    theirs = _revisions(dst, found.id)
    their_uids, our_uids = {r.uid for r in theirs}, {r.uid for r in revs}
    new = [r for r in revs if r.uid not in their_uids]
    only_theirs = [r for r in theirs if r.uid not in our_uids]
    if new:
        number = max((r.revision for r in theirs), default=0)
        for r in new:
            number += 1
            dst.add(_copy(r, note_id=found.id, revision=number))
        for name in NOTE_STATE:
            setattr(found, name, getattr(note, name))
        found.revision = number
        dst.add(found)
        report.added["note_revision"] += len(new)
        if only_theirs:
            report.conflicts.append(note.text or found.text)
    return bool(only_theirs)


def _mirror_note(src: Store, dst: Store, uid: str) -> None:
    """Make `dst`'s copy of a note hold the same revisions, numbered the same, as `src`'s."""
    with src.session() as s:
        note = _by_uid(s, Note, uid)
        revs = _revisions(s, note.id)
    with dst.writing() as d:
        mine = _by_uid(d, Note, uid)
        have = {r.uid: r for r in _revisions(d, mine.id)}
        for r in revs:
            if r.uid in have:
                have[r.uid].revision = r.revision
                d.add(have[r.uid])
            else:
                d.add(_copy(r, note_id=mine.id))
        for name in NOTE_STATE + ("revision",):
            setattr(mine, name, getattr(note, name))
        d.add(mine)


def _meeting(src: Any, dst: Any, meeting: Meeting, match: _Matcher, report: SyncReport) -> int:
    """The meeting's row in the receiving store, made when missing, closed when the sender closed it."""
    network_id = match.network(meeting.network_id)
    found = _by_uid(dst, Meeting, meeting.uid)
    if found is None:
        found = _copy(meeting, network_id=network_id)
        dst.add(found)
        dst.flush()
        report.added["meeting"] += 1
    elif meeting.status == "closed" and found.status != "closed":
        found.status, found.ended_at = "closed", meeting.ended_at
        found.started_at = found.started_at or meeting.started_at
        dst.add(found)
    names = set(dst.exec(select(Participant.name).where(Participant.meeting_id == found.id)).all())
    for p in src.exec(select(Participant).where(Participant.meeting_id == meeting.id)).all():
        if p.name not in names:
            member = match.member(p.member_id, network_id) if network_id is not None else None
            dst.add(_copy(p, meeting_id=found.id, member_id=member))
            report.added["participant"] += 1
    return found.id


def _push_meeting(src: Store, dst: Store, meeting_id: int, report: SyncReport,
                  adopt: Callable[[str, str, str], None], step: Callable[[str], None]) -> list[str]:
    """One meeting, in one transaction of the receiving store. Returns the uids of notes
    whose history the sender must mirror afterwards."""
    mirror: list[str] = []
    with src.session() as s, dst.writing() as d:
        meeting = s.get(Meeting, meeting_id)
        target = _meeting(s, d, meeting, _Matcher(s, d, report, adopt=adopt), report)
        have = set(d.exec(select(Event.uid).where(Event.meeting_id == target)).all())
        for e in s.exec(select(Event).where(Event.meeting_id == meeting_id).order_by(col(Event.id))).all():
            if e.uid not in have:
                d.add(_copy(e, meeting_id=target))
                report.added["event"] += 1
        step("events")
        for n in s.exec(select(Note).where(Note.meeting_id == meeting_id).order_by(col(Note.id))).all():
            if _note(s, d, n, target, report):
                mirror.append(n.uid)
        step("notes")
        have = set(d.exec(select(EvaluationResponse.uid).where(EvaluationResponse.meeting_id == target)).all())
        for r in s.exec(select(EvaluationResponse).where(EvaluationResponse.meeting_id == meeting_id)).all():
            if r.uid not in have:
                d.add(_copy(r, meeting_id=target))
                report.added["evaluation_response"] += 1
        have = set(d.exec(select(EvaluationReceipt.participant).where(EvaluationReceipt.meeting_id == target)).all())
        for r in s.exec(select(EvaluationReceipt).where(EvaluationReceipt.meeting_id == meeting_id)).all():
            if r.participant not in have:
                d.add(_copy(r, meeting_id=target))
                report.added["evaluation_receipt"] += 1
    return mirror


def _adopter(store: Store) -> Callable[[str, str, str], None]:
    """When a network or member made in both stores is matched by name, the sender
    takes the receiver's uid, so they are matched by id from then on."""
    model = {"network": Network, "member": Member}

    def adopt(table: str, old: str, new: str) -> None:
        with store.writing() as s:
            row = _by_uid(s, model[table], old)
            if row is not None:
                row.uid = new
                s.add(row)

    return adopt


def push(src: Store, dst: Store, *, progress: Callable[[int, int], None] = lambda done, total: None,
         step: Callable[[str], None] = lambda where: None) -> SyncReport:
    """Every meeting of `src` into `dst`, oldest first, one transaction each."""
    report = SyncReport()
    with src.session() as s:
        ids = list(s.exec(select(Meeting.id).order_by(col(Meeting.id))).all())
    adopt = _PendingAdoptions(src)
    for done, meeting_id in enumerate(ids, 1):
        mirror = _push_meeting(src, dst, meeting_id, report, adopt, step)
        adopt.apply()
        for uid in mirror:
            _mirror_note(dst, src, uid)
        report.meetings += 1
        progress(done, len(ids))
    _planned(src, dst, report)
    return report


def _planned(src: Store, dst: Store, report: SyncReport, network_uids: list[str] | None = None) -> None:
    """The series' planned meetings of every network both stores hold (or of `network_uids`):
    the missing ones added, and the meeting a planned one became, once it was held."""
    with src.session() as s, dst.writing() as d:
        for net in s.exec(select(Network)).all():
            if network_uids is not None and net.uid not in network_uids:
                continue
            theirs = _by_uid(d, Network, net.uid)
            if theirs is None:
                continue
            for p in s.exec(select(PlannedMeeting).where(PlannedMeeting.network_id == net.id)).all():
                held = s.get(Meeting, p.meeting_id) if p.meeting_id is not None else None
                meeting = _by_uid(d, Meeting, held.uid) if held is not None else None
                found = _by_uid(d, PlannedMeeting, p.uid)
                if found is None:
                    d.add(_copy(p, network_id=theirs.id, meeting_id=meeting.id if meeting else None))
                    report.added["planned_meeting"] += 1
                elif found.meeting_id is None and meeting is not None:
                    found.meeting_id = meeting.id
                    d.add(found)


class _PendingAdoptions:
    """Adoptions are written to the sender after the receiver's transaction committed:
    were the sender's uid changed first and the receiver's write then lost, the next
    sync would look for a uid the receiver never got (it then matches by name again)."""

    def __init__(self, store: Store) -> None:
        self.write = _adopter(store)
        self.waiting: list[tuple[str, str, str]] = []

    def __call__(self, table: str, old: str, new: str) -> None:
        self.waiting.append((table, old, new))

    def apply(self) -> None:
        for item in self.waiting:
            self.write(*item)
        self.waiting.clear()


def pull(src: Store, dst: Store, network: str) -> SyncReport:
    """One network of `src` (the central store) into `dst` (the laptop): the network, its
    members and learning questions, and its open actions with the meetings that agreed them."""
    from kring.data.networks import network_id_by_name

    report = SyncReport()
    network_id = network_id_by_name(src, network)
    with src.session() as s:
        action_meetings = list(s.exec(
            select(Meeting.id).join(Note, col(Note.meeting_id) == Meeting.id)
            .where(Meeting.network_id == network_id, Note.kind == "action", col(Note.status).in_(OPEN),
                   col(Note.deleted).is_(False))
            .distinct().order_by(col(Meeting.id))).all())
        member_ids = list(s.exec(select(Member.id).where(Member.network_id == network_id)).all())
    with src.session() as s, dst.writing() as d:
        match = _Matcher(s, d, report)
        target = match.network(network_id)
        for member_id in member_ids:
            match.member(member_id, target)
        network_uid = s.get(Network, network_id).uid
    for meeting_id in action_meetings:
        mirror: list[str] = []
        with src.session() as s, dst.writing() as d:
            meeting = s.get(Meeting, meeting_id)
            local = _meeting(s, d, meeting, _Matcher(s, d, report), report)
            for n in s.exec(select(Note).where(Note.meeting_id == meeting_id, Note.kind == "action")).all():
                if _note(s, d, n, local, report):
                    mirror.append(n.uid)
        for uid in mirror:
            _mirror_note(dst, src, uid)
        report.meetings += 1
    _planned(src, dst, report, [network_uid])
    return report


def open_central(url: str, *, what: str) -> Store:
    """The other store of a sync, by its URL (or a file path)."""
    from kring.data.store import resolve_url

    if not url.strip():
        raise InputError(_("{what}: give the central store's URL").format(what=what))
    return Store(resolve_url(url))


def sync_failure(exc: BaseException, done: int, total: int) -> Exception:
    """What a person is told when the other store refused or went away mid-sync."""
    from sqlalchemy.exc import DBAPIError

    from kring.data.errors import StoreError, first_line

    reason = first_line(exc)
    if "row-level security" in reason or "permission denied" in reason:
        return InputError(_("sync: the central store refused a network that is not shared with your role; ask its "
                            "owner to share it (kring network share NET --with ROLE), then pull it once (kring sync "
                            "--from URL NET)"))
    lost = isinstance(exc, DBAPIError) and exc.connection_invalidated
    where = (ngettext("after {done} of {total} meeting", "after {done} of {total} meetings", total)
             .format(done=done, total=total) if total else _("before the first meeting"))
    said = (_("sync: the connection was lost {where} ({reason}); what was sent is whole, run the same command "
              "again to finish") if lost else
            _("sync: stopped {where} ({reason}); what was sent is whole, run the same command again to finish"))
    return StoreError(said.format(where=where, reason=reason))
