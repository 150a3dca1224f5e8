"""The right to be forgotten: remove a member and everything in the network that names them.

What changes, in the network's meetings:
- the member row and their learning questions are deleted;
- their participant rows keep their seat and roles but lose the name (a
  placeholder such as "voormalig lid" takes its place) and the link to the member;
- notes they wrote stay, with the author replaced; speaker and owner fields
  naming them are replaced; their name in the text of any note and of every
  kept revision is replaced (the history keeps no copy of it);
- unsent drafts they were typing are deleted;
- evaluation receipts naming them are deleted; their evaluation answers stay,
  without their name (as if anonymous);
- event payloads naming them (speaker, rounds, roles) are rewritten.

`forget_member(..., apply=False)` counts all this without changing anything,
so the command line can say what it will do before asking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select

from kring.data.clock import Clock, SystemClock
from kring.data.errors import InputError
from kring.data.models import (
    Draft, EvaluationReceipt, EvaluationResponse, Event, LearningQuestion, Meeting, Member, Network, Note,
    NoteRevision, Participant,
)
from kring.data.notes import revision_of
from kring.data.store import Store


def placeholder_base() -> str:
    from kring.data.i18n import _

    return _("former member")


@dataclass
class ForgetReport:
    network: str
    member: str
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        if n:
            self.counts[key] = self.counts.get(key, 0) + n


class _Scrubber:
    """Replaces a name, as a whole word and in any case, in text and in JSON-like data."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)

    def is_name(self, value: Any) -> bool:
        return isinstance(value, str) and value.strip().casefold() == self.name.casefold()

    def text(self, value: str | None, placeholder: str) -> tuple[str | None, bool]:
        if not value:
            return value, False
        new = self.pattern.sub(placeholder, value)
        return new, new != value

    def data(self, value: Any, placeholder: str) -> tuple[Any, bool]:
        if isinstance(value, str):
            return self.text(value, placeholder)
        if isinstance(value, list):
            changed = False
            out = []
            for item in value:
                new, c = self.data(item, placeholder)
                out.append(new)
                changed |= c
            return out, changed
        if isinstance(value, dict):
            changed = False
            out_d = {}
            for key, item in value.items():
                new_key, ck = self.text(key, placeholder) if isinstance(key, str) else (key, False)
                new, c = self.data(item, placeholder)
                out_d[new_key] = new
                changed |= c or ck
            return out_d, changed
        return value, False


def _placeholder(taken: set[str]) -> str:
    base = placeholder_base()
    if base.casefold() not in taken:
        return base
    n = 2
    while f"{base} {n}".casefold() in taken:
        n += 1
    return f"{base} {n}"


def forget_member(store: Store, network_id: int, member_name: str, *, apply: bool = False,
                  clock: Clock | None = None) -> ForgetReport:
    """Count (apply=False) or carry out (apply=True) forgetting a member. One transaction."""
    at = (clock or SystemClock()).now()
    with (store.writing() if apply else store.session()) as s:
        net = s.get(Network, network_id)
        if net is None:
            raise InputError(f"no network with id {network_id}")
        wanted = " ".join(member_name.split()).casefold()
        member = next((m for m in s.exec(select(Member).where(Member.network_id == network_id)).all()
                       if m.name.casefold() == wanted), None)
        if member is None:
            raise InputError(f"network '{net.name}' has no member '{member_name.strip()}'")
        report = ForgetReport(net.name, member.name)
        scrub = _Scrubber(member.name)

        questions = s.exec(select(LearningQuestion).where(LearningQuestion.member_id == member.id)).all()
        report.add("learning questions", len(questions))
        report.add("member", 1)

        meetings = s.exec(select(Meeting).where(Meeting.network_id == network_id).order_by(col(Meeting.id))).all()
        for meeting in meetings:
            parts = s.exec(select(Participant).where(Participant.meeting_id == meeting.id)).all()
            mine = [p for p in parts if p.member_id == member.id or scrub.is_name(p.name)]
            taken = {p.name.casefold() for p in parts if p not in mine}
            ph = _placeholder(taken)
            for p in mine:
                report.add("participant rows")
                if apply:
                    p.name, p.member_id = ph, None
                    s.add(p)
            if apply:
                s.flush()
            title, changed = scrub.text(meeting.title, ph)
            if changed:
                report.add("meeting titles")
                if apply:
                    meeting.title = title
                    s.add(meeting)
            _notes(s, meeting.id, scrub, ph, report, apply, at)
            _evaluation(s, meeting.id, scrub, ph, report, apply)
            for ev in s.exec(select(Event).where(Event.meeting_id == meeting.id)).all():
                data, changed = scrub.data(ev.data, ph)
                if changed:
                    report.add("events")
                    if apply:
                        ev.data = data
                        s.add(ev)

        rules, changed = scrub.data(list(net.ground_rules or []), placeholder_base())
        if changed:
            report.add("ground rules")
            if apply:
                net.ground_rules = rules
                s.add(net)
        if apply:
            for q in questions:
                s.delete(q)
            s.flush()
            s.delete(member)
        return report


def _notes(s: Any, meeting_id: int, scrub: _Scrubber, ph: str, report: ForgetReport, apply: bool,
           at: Any) -> None:
    notes = s.exec(select(Note).where(Note.meeting_id == meeting_id)).all()
    for n in notes:
        changed = False
        if scrub.is_name(n.author):
            report.add("notes written by them")
            changed = True
            if apply:
                n.author = ph
        for attr in ("speaker", "owner"):
            if scrub.is_name(getattr(n, attr)):
                report.add("notes naming them as speaker or owner")
                changed = True
                if apply:
                    setattr(n, attr, ph)
        new, c = scrub.text(n.text, ph)
        if c:
            report.add("notes mentioning them")
            changed = True
            if apply:
                n.text = new
        revisions = s.exec(select(NoteRevision).where(NoteRevision.note_id == n.id)).all()
        if changed and apply:
            # A revision of its own (by kring, with the name already replaced), so
            # a running note-taker reads the note again instead of keeping, and
            # perhaps saving back, the version with the name.
            n.revision += 1
            n.updated_at = at
            s.add(n)
            s.add(revision_of(n, "kring", at))
        for r in revisions:
            rc = False
            if scrub.is_name(r.author):
                rc = True
                if apply:
                    r.author = ph
            if scrub.is_name(r.owner):
                rc = True
                if apply:
                    r.owner = ph
            new, c = scrub.text(r.text, ph)
            if c:
                rc = True
                if apply:
                    r.text = new
            if rc:
                report.add("note revisions")
                if apply:
                    s.add(r)
    for d in s.exec(select(Draft).where(Draft.meeting_id == meeting_id)).all():
        if scrub.is_name(d.author):
            report.add("drafts")
            if apply:
                s.delete(d)
            continue
        new, c = scrub.text(d.text, ph)
        data, cd = scrub.data(d.data, ph)
        if c or cd:
            report.add("drafts")
            if apply:
                d.text, d.data = new, data
                s.add(d)


def _evaluation(s: Any, meeting_id: int, scrub: _Scrubber, ph: str, report: ForgetReport, apply: bool) -> None:
    for r in s.exec(select(EvaluationReceipt).where(EvaluationReceipt.meeting_id == meeting_id)).all():
        if scrub.is_name(r.participant):
            report.add("evaluation receipts")
            if apply:
                s.delete(r)
    for r in s.exec(select(EvaluationResponse).where(EvaluationResponse.meeting_id == meeting_id)).all():
        changed = False
        if scrub.is_name(r.participant):
            changed = True
            if apply:
                r.participant = None
        answers, c = scrub.data(r.answers, ph)
        if c:
            changed = True
            if apply:
                r.answers = answers
        if changed:
            report.add("evaluation answers")
            if apply:
                s.add(r)


def forget_question(report: ForgetReport) -> str:
    """What forgetting will change, in counts, for a person to confirm."""
    from kring.data.i18n import _

    labels = {
        "member": _("the member and their details"),
        "learning questions": _("learning questions deleted"),
        "participant rows": _("meeting places: name replaced"),
        "meeting titles": _("meeting titles: name replaced"),
        "notes written by them": _("notes they wrote: kept, author replaced"),
        "notes naming them as speaker or owner": _("notes naming them as speaker or owner: replaced"),
        "notes mentioning them": _("notes mentioning them: name replaced in the text"),
        "note revisions": _("earlier versions of notes: name replaced"),
        "drafts": _("drafts: deleted or name replaced"),
        "evaluation receipts": _("evaluation receipts deleted"),
        "evaluation answers": _("evaluation answers: kept without their name"),
        "events": _("meeting log entries: name replaced"),
        "ground rules": _("ground rules: name replaced"),
    }
    lines = [_("Forget {name} in network '{network}'? This changes:").format(
        name=report.member, network=report.network)]
    for key, n in report.counts.items():
        lines.append(f"  {n:>4}  {labels.get(key, key)}")
    lines.append(_("This cannot be undone."))
    return "\n".join(lines)
