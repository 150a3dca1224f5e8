"""The right to be forgotten: remove a member and everything in the network that names them.

Which names: the member's full name, by default their first name on its own too
(in a group of twelve a first name identifies a person), and any alias given
(`--alias Fa`). A first name another member shares is still replaced where it
stands alone; that member's full name is left as it is, and the preview says
that the first name is shared, so the facilitator can keep it
(`keep_first_name`) and name the forms to replace as aliases instead.
Names match as whole words, in any case, with or without diacritics (NFC or
NFD), and with a possessive ("Fatima's", "Brams").

What changes, in the network's meetings, confidential notes included:
- the member row and their learning questions are deleted; the name in other
  members' learning questions, the network's ground rules and meeting titles
  is replaced;
- their participant rows keep their seat and roles but lose the name (a
  placeholder such as "voormalig lid" takes its place) and the link to the member;
- notes they wrote stay, with the author replaced; speaker and owner fields
  naming them are replaced; their name in the text of any note and of every
  kept revision is replaced (the history keeps no copy of it);
- unsent drafts they were typing are deleted; their name in others' drafts is
  replaced, and such a draft is marked so that a client still showing the old
  text does not save it back (kring.data.notes.save_draft);
- evaluation receipts naming them carry the placeholder (so the number who
  answered stays right); their evaluation answers stay, without their name (as
  if anonymous); their name in anyone's answers is replaced;
- event payloads naming them (speaker, rounds, roles, case-bringer) are rewritten.

Afterwards nothing of the name is left in the store's files: on SQLite the
rewrite runs with secure_delete, the full-text index is rebuilt, and the WAL is
checkpointed and the file vacuumed; on PostgreSQL the rewritten tables are
vacuumed, so the old row versions and index entries go.

`forget_member(..., apply=False)` counts all this without changing anything,
so the command line can say what it will do before asking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select

from kring.data.core.clock import Clock, SystemClock
from kring.data.errors import InputError
from kring.data.forget_names import Scrubber as _Scrubber, fold
from kring.data.models import (
    Draft,
    EvaluationReceipt,
    EvaluationResponse,
    Event,
    LearningQuestion,
    Meeting,
    Member,
    Network,
    Note,
    NoteRevision,
    Participant,
)
from kring.data.notes import REWRITTEN, revision_of
from kring.data.store import Store
from kring.data.i18n import _

SAMPLES = 3  # changed texts the preview shows
ERASE_WAIT_MS = 1000  # how long clearing the files waits for another process's read


def placeholder_base() -> str:

    return _("former member")


@dataclass
class ForgetReport:
    network: str
    member: str
    names: list[str] = field(default_factory=list)  # what is replaced, longest first
    shared_first_name: list[str] = field(default_factory=list)  # other members with the same first name
    counts: dict[str, int] = field(default_factory=dict)
    confidential: int = 0  # confidential notes among those changed
    samples: list[str] = field(default_factory=list)  # a few changed texts, the name shown replaced
    erased: bool | None = None  # after apply: whether the store's files hold no old copy (None: not known)

    def add(self, key: str, n: int = 1) -> None:
        if n:
            self.counts[key] = self.counts.get(key, 0) + n


def _placeholder(taken: set[str]) -> str:
    base = placeholder_base()
    if base.casefold() not in taken:
        return base
    n = 2
    while f"{base} {n}".casefold() in taken:
        n += 1
    return f"{base} {n}"


def _sample(report: ForgetReport, scrub: _Scrubber, text: str | None, ph: str, confidential: bool) -> None:
    """Keep a few changed texts to show, the name replaced by a marked placeholder.
    Confidential notes are counted, never shown."""
    if confidential or not text or len(report.samples) >= SAMPLES:
        return
    shown, _c = scrub.text(" ".join(text.split()), f"[{ph}]")
    if shown and shown not in report.samples:
        report.samples.append(shown if len(shown) <= 72 else shown[:71] + "…")


def forget_member(store: Store, network_id: int, member_name: str, *, apply: bool = False,
                  clock: Clock | None = None, aliases: list[str] | tuple[str, ...] = (),
                  keep_first_name: bool = False) -> ForgetReport:
    """Count (apply=False) or carry out (apply=True) forgetting a member. One transaction,
    then (apply) the store's files are cleared of old copies."""
    at = (clock or SystemClock()).now()
    with (store.writing() if apply else store.session()) as s:
        net = s.get(Network, network_id)
        if net is None:
            raise InputError(_("no network with id {network_id}").format(network_id=network_id))
        wanted = fold(member_name)
        members = s.exec(select(Member).where(Member.network_id == network_id)).all()
        member = next((m for m in members if fold(m.name) == wanted), None)
        if member is None:
            raise InputError(_("network '{network}' has no member '{name}'").format(network=net.name, name=member_name.strip()))
        if apply and store.is_sqlite:
            # pages the rewrite frees are overwritten with zeros, not left with the old text
            s.connection().exec_driver_sql("PRAGMA secure_delete=ON")
        report = ForgetReport(net.name, member.name)
        names = [member.name] + [a for a in (" ".join(a.split()) for a in aliases) if a]
        first = member.name.split()[0]
        others = [m for m in members if m.id != member.id]
        report.shared_first_name = [m.name for m in others if fold(m.name.split()[0]) == fold(first)]
        if not keep_first_name and fold(first) != wanted:
            names.append(first)
        report.names = list(dict.fromkeys(names))
        scrub = _Scrubber(report.names, [m.name for m in others])

        questions = s.exec(select(LearningQuestion).where(LearningQuestion.member_id == member.id)).all()
        report.add("learning questions", len(questions))
        report.add("member", 1)
        for q in s.exec(select(LearningQuestion).where(
                col(LearningQuestion.member_id).in_([m.id for m in others]))).all() if others else []:
            new, changed = scrub.text(q.text, placeholder_base())
            if changed:
                report.add("others' learning questions")
                if apply:
                    q.text = new
                    s.add(q)

        meetings = s.exec(select(Meeting).where(Meeting.network_id == network_id).order_by(col(Meeting.id))).all()
        for meeting in meetings:
            parts = s.exec(select(Participant).where(Participant.meeting_id == meeting.id)).all()
            mine = [p for p in parts if p.member_id == member.id or scrub.is_name(p.name)]
            taken = {p.name.casefold() for p in parts if p not in mine}
            ph = _placeholder(taken)
            for p in mine:
                report.add("participant rows")
                if apply:
                    # two rows of theirs in one meeting (member and guest) stay apart
                    p.name, p.member_id = (ph if p is mine[0] else _placeholder(taken)), None
                    taken.add(p.name.casefold())
                    s.add(p)
            if apply:
                s.flush()
            for attr, key in (("title", "meeting titles"), ("place", "meeting titles")):
                new, changed = scrub.text(getattr(meeting, attr), ph)
                if changed:
                    report.add(key)
                    if apply:
                        setattr(meeting, attr, new)
                        s.add(meeting)
            sessions = _notes(s, meeting.id, scrub, ph, report, apply, at)
            _evaluation(s, meeting.id, scrub, ph, report, apply)
            for ev in s.exec(select(Event).where(Event.meeting_id == meeting.id)).all():
                data, changed = scrub.data(ev.data, ph)
                if changed:
                    report.add("events")
                    if apply:
                        ev.data = data
                        s.add(ev)
            if apply:
                s.add(_told(meeting.id, at, ph, first_name=first in report.names, sessions=sessions))

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
            s.flush()
            _rebuild_search_index(s, store)
    if apply:
        report.erased = erase_traces(store)
        _forget_journals(store, [m.id for m in meetings], scrub, report.names)
    return report


def _told(meeting_id: int, at: Any, ph: str, *, first_name: bool, sessions: list[str]) -> Event:
    """The event that tells a meeting's open clients (through the store, as every change
    reaches them) to read its names again: the placeholder, whether first names alone
    went too, and the random tokens of the forgotten note-takers' clients. No name."""
    import uuid

    from kring.data.core.events import EventKind

    return Event(uid=uuid.uuid4().hex, meeting_id=meeting_id, at=at, kind=EventKind.FORGOTTEN,
                 data={"placeholder": ph, "first_name": first_name, "sessions": sessions}, origin="kring")


def _forget_journals(store: Store, meeting_ids: list[int], scrub: "_Scrubber", names: list[str]) -> None:
    """Draft journals on this machine (kring.data.draftjournal) that name the member go:
    the store's rewritten draft is what comes back on the next start. So do the member's
    own journals, whose file name is made from their name (a hash that a first name
    could be guessed back from), even when what they hold names no one."""
    from kring.data.draftjournal import journal_path, keys_key

    for meeting_id in meeting_ids:
        probe = journal_path(store.url, store.path, meeting_id, "")
        if probe is None or not probe.parent.is_dir():
            continue
        theirs = {journal_path(store.url, store.path, meeting_id, key).name  # type: ignore[union-attr]
                  for name in names for typed in {name, name.casefold(), name.title(), name.upper()}
                  for role in ("notulist", "moderator", "evaluate")
                  for key in (f"{typed}#{role}", keys_key(typed, role))}
        for path in probe.parent.glob(f"meeting-{meeting_id}-*.jsonl"):
            try:
                lines = path.read_text("utf-8", errors="replace").splitlines()
                if path.name in theirs or any(_names_in_line(line, scrub) for line in lines):
                    path.unlink()
            except OSError:
                pass


def _names_in_line(line: str, scrub: "_Scrubber") -> bool:
    import json

    try:
        state = json.loads(line)
    except ValueError:
        return bool(scrub.text(line, "")[1])  # a line cut short: judged as text
    return bool(scrub.data(state, "")[1])


def _notes(s: Any, meeting_id: int, scrub: _Scrubber, ph: str, report: ForgetReport, apply: bool,
           at: Any) -> list[str]:
    """Rewrite the meeting's notes and drafts; the session tokens of the forgotten
    note-takers' presence rows (kring.data.presence) that go."""
    sessions: list[str] = []
    notes = s.exec(select(Note).where(Note.meeting_id == meeting_id)).all()
    for n in notes:
        changed = False
        if scrub.is_name(n.author):
            report.add("notes written by them")
            changed = True
            if apply:
                n.author = ph
        for attr in ("speaker", "owner"):
            new, c = scrub.field(getattr(n, attr), ph)
            if c:
                report.add("notes naming them as speaker or owner")
                changed = True
                if apply:
                    setattr(n, attr, new)
        new, c = scrub.text(n.text, ph)
        if c:
            report.add("actions mentioning them" if n.kind == "action" else "notes mentioning them")
            _sample(report, scrub, n.text, ph, bool(n.confidential))
            changed = True
            if apply:
                n.text = new
        if changed and n.confidential:
            report.confidential += 1
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
            for attr in ("author", "owner"):
                new, c = scrub.field(getattr(r, attr), ph)
                if c:
                    rc = True
                    if apply:
                        setattr(r, attr, new)
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
        # a draft's author is a key: "Fatima#notulist"
        if scrub.is_name(d.author.rsplit("#", 1)[0]):
            report.add("drafts")
            token = (d.data or {}).get("session")
            if isinstance(token, str) and token:
                sessions.append(token)
            if apply:
                s.delete(d)
            continue
        new, c = scrub.text(d.text, ph)
        data, cd = scrub.data(d.data, ph)
        if c or cd:
            report.add("drafts")
            if apply:
                d.text, d.data = new, {**data, REWRITTEN: True}  # a running client's copy is stale
                s.add(d)
    return sessions


def _evaluation(s: Any, meeting_id: int, scrub: _Scrubber, ph: str, report: ForgetReport, apply: bool) -> None:
    for r in s.exec(select(EvaluationReceipt).where(EvaluationReceipt.meeting_id == meeting_id)).all():
        if scrub.is_name(r.participant):
            # kept under the placeholder: the number who answered must not drop
            report.add("evaluation receipts")
            if apply:
                r.participant = ph
                s.add(r)
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


def _rebuild_search_index(s: Any, store: Store) -> None:
    """The full-text index keeps the words of every version it indexed until its
    segments merge: build it anew from the notes as they are now."""
    if not store.is_sqlite:
        return  # PostgreSQL's GIN index is cleaned by the VACUUM in erase_traces
    conn = s.connection()
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'note_fts'").first():
        conn.exec_driver_sql("INSERT INTO note_fts(note_fts) VALUES ('rebuild')")


_PG_TABLES = ("note", "note_revision", "draft", "event", "participant", "evaluation_response",
              "evaluation_receipt", "meeting", "member", "learning_question", "network")


def erase_traces(store: Store) -> bool:
    """Remove old copies of rewritten rows from the store's files. True when done in
    full; False when another process held the store open so that the WAL could not be
    emptied (SQLite) or the tables could not be vacuumed (PostgreSQL, without the right)."""
    if store.is_sqlite:
        import sqlite3

        from kring.data.store import BUSY_TIMEOUT_MS

        raw = store.engine.raw_connection()
        cur = raw.cursor()
        # a reader elsewhere makes the checkpoint wait for it: not for long
        cur.execute(f"PRAGMA busy_timeout={ERASE_WAIT_MS}")
        try:
            cur.execute("PRAGMA secure_delete=ON")
            busy = cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            cur.execute("VACUUM")  # a fresh file: no free page keeps old text
            busy |= cur.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.OperationalError:
            busy = 1  # another writer: the rows are rewritten; the next checkpoint carries it through
        finally:
            cur.execute("PRAGMA secure_delete=OFF")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.close()
            raw.close()
        return not busy
    if store.engine.dialect.name != "postgresql":
        return False
    from sqlalchemy.exc import DBAPIError

    try:
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM " + ", ".join(_PG_TABLES))
    except DBAPIError:
        return False  # not the tables' owner: the old row versions go at the server's next vacuum
    return True


def forget_question(report: ForgetReport) -> str:
    """What forgetting will change, in counts and a few examples, for a person to confirm."""

    labels = {
        "member": _("the member and their details"),
        "learning questions": _("learning questions deleted"),
        "others' learning questions": _("other members' learning questions: name replaced"),
        "participant rows": _("meeting places: name replaced"),
        "meeting titles": _("meeting titles: name replaced"),
        "notes written by them": _("notes they wrote: kept, author replaced"),
        "notes naming them as speaker or owner": _("notes naming them as speaker or owner: replaced"),
        "notes mentioning them": _("notes mentioning them: name replaced in the text"),
        "actions mentioning them": _("actions mentioning them: name replaced in the text"),
        "note revisions": _("earlier versions of notes: name replaced"),
        "drafts": _("drafts: deleted or name replaced"),
        "evaluation receipts": _("evaluation receipts: name replaced"),
        "evaluation answers": _("evaluation answers: kept without their name"),
        "events": _("meeting log entries: name replaced"),
        "ground rules": _("ground rules: name replaced"),
    }
    lines = [_("Forget {name} in network '{network}'? This changes:").format(
        name=report.member, network=report.network)]
    lines.append("  " + _("names replaced: {names}").format(names=", ".join(f"'{n}'" for n in report.names)))
    if report.shared_first_name:
        first = report.member.split()[0]
        lines.append("  " + _("'{first}' is also the first name of {others}: their full name is kept, but "
                              "'{first}' on its own is replaced everywhere (--keep-first-name keeps it; "
                              "name other forms with --alias)").format(
            first=first, others=", ".join(report.shared_first_name)))
    for key, n in report.counts.items():
        lines.append(f"  {n:>4}  {labels.get(key, key)}")
    if report.confidential:
        lines.append("  " + _("of these notes {count} are confidential (changed too, not shown)").format(
            count=report.confidential))
    if report.samples:
        lines.append("  " + _("for example:"))
        lines += [f"        {text}" for text in report.samples]
    lines.append(_("This cannot be undone."))
    return "\n".join(lines)
