"""Minutes: notes, their full history, and the draft being typed.

Every change to a note writes a new row in `note_revision`; nothing is silently
overwritten, and a delete is a revision too (the note is hidden, never erased).
Each note carries a uid made by the client that typed it, so a write retried by
the outbox never lands twice, and several note-takers never collide.

Functions take a Store and return plain dataclasses, so they run in the outbox
or a watcher thread and hand the UI data, not ORM objects.
"""

from __future__ import annotations

import bisect
import threading
import uuid
import weakref
from dataclasses import dataclass, field, replace
from typing import Any

from pendulum import DateTime
from sqlmodel import col, select

from kring.data.errors import InputError
from kring.data.models import Draft, Note, NoteRevision
from kring.data.store import Store
from kring.data.core.given import MAX_AUTHOR_CHARS, clean_author, draft_key  # noqa: F401 - named here too
from kring.data.core.textgate import clean_block, clean_line, shown
from kring.data.i18n import _

DECISION_KINDS = ("decision", "action")
ACTION_STATUSES = ("open", "done", "kept", "dropped")


@dataclass(frozen=True)
class NoteInfo:
    uid: str
    kind: str
    text: str
    step_index: int | None
    step_title: str
    speaker: str | None
    author: str
    at: DateTime  # when the note was begun (its first keystroke)
    confidential: bool = False
    owner: str | None = None
    due: str | None = None
    status: str = "open"
    deleted: bool = False
    revision: int = 1
    updated_at: DateTime | None = None
    id: int | None = None

    def but(self, **changes: Any) -> "NoteInfo":
        return replace(self, **changes)


@dataclass(frozen=True)
class RevisionInfo:
    revision: int
    kind: str
    text: str
    confidential: bool
    owner: str | None
    due: str | None
    status: str
    deleted: bool
    author: str
    at: DateTime


@dataclass(frozen=True)
class DraftInfo:
    text: str
    data: dict[str, Any]
    updated_at: DateTime | None


@dataclass(frozen=True)
class NotesFigures:
    """What live screens show about the notes; see `kring.data.live`."""

    notes: tuple[NoteInfo, ...] = ()  # every note not deleted, in the order they were begun
    per_step: dict[int, int] = field(default_factory=dict)  # step index -> notes (-1: before the start)
    total: int = 0
    # the newest decision or action that is NOT confidential (safe for the projector)
    latest_public: NoteInfo | None = None
    revisions: dict[str, int] = field(default_factory=dict)  # uid -> stored revision, deleted notes too


def new_uid() -> str:
    return uuid.uuid4().hex


def _gated(note: NoteInfo) -> NoteInfo:
    """The note's texts through the text gate (idempotent: a clean note is returned as it is)."""
    fields = dict(text=clean_block(note.text), step_title=clean_line(note.step_title),
                  speaker=note.speaker and clean_line(note.speaker), author=clean_line(note.author),
                  owner=note.owner and clean_line(note.owner))
    if all(getattr(note, k) == v for k, v in fields.items()):
        return note
    return replace(note, **fields)


def _info(n: Note) -> NoteInfo:
    # the text gate on the way out: every screen reads notes through here
    return NoteInfo(
        uid=n.uid, kind=n.kind, text=shown(n.text), step_index=n.step_index, step_title=shown(n.step_title),
        speaker=n.speaker and shown(n.speaker), author=shown(n.author), at=n.at, confidential=bool(n.confidential),
        owner=n.owner and shown(n.owner),
        due=n.due, status=n.status, deleted=bool(n.deleted), revision=n.revision, updated_at=n.updated_at,
        id=n.id,
    )


def revision_of(n: Note, author: str, at: DateTime) -> NoteRevision:
    """The note_revision row that records `n` as it is now."""
    return NoteRevision(
        note_id=n.id, revision=n.revision, kind=n.kind, text=n.text, confidential=bool(n.confidential),
        owner=n.owner, due=n.due, status=n.status, deleted=bool(n.deleted), author=author, at=at,
    )


# --- writing ------------------------------------------------------------------------


def add_note(store: Store, meeting_id: int, note: NoteInfo, *, saved_at: DateTime | None = None,
             draft_key: str | None = None) -> bool:
    """File a new note (revision 1). A uid already stored is left alone: retries are safe.

    With `draft_key`, that draft goes in the same transaction, so a crash can never
    leave both the note and its draft (a duplicate) or neither. Returns whether the
    note was new.
    """
    note = _gated(note)
    with store.writing() as s:
        known = s.exec(select(Note.id).where(Note.uid == note.uid)).first()
        if draft_key is not None:
            _drop_draft(s, meeting_id, draft_key)
        if known is not None:
            return False
        row = Note(
            uid=note.uid, meeting_id=meeting_id, kind=note.kind, text=note.text, step_index=note.step_index,
            step_title=note.step_title, speaker=note.speaker, author=note.author, at=note.at,
            confidential=note.confidential, owner=note.owner, due=note.due, status=note.status,
            revision=1, updated_at=saved_at or note.at,
        )
        s.add(row)
        s.flush()
        s.add(revision_of(row, note.author, saved_at or note.at))
        return True


_KEEP: Any = object()


def edit_note(store: Store, uid: str, *, author: str, at: DateTime, kind: Any = _KEEP, text: Any = _KEEP,
              confidential: Any = _KEEP, owner: Any = _KEEP, due: Any = _KEEP, status: Any = _KEEP,
              deleted: Any = _KEEP, draft_key: str | None = None) -> int | None:
    """Change a note: a new revision with who and when. Returns the new revision number,
    or None when nothing changed (so a retried write adds no second revision)."""
    changes = {k: v for k, v in dict(kind=kind, text=text, confidential=confidential, owner=owner, due=due,
                                     status=status, deleted=deleted).items() if v is not _KEEP}
    if isinstance(changes.get("text"), str):
        changes["text"] = clean_block(changes["text"])
    if isinstance(changes.get("owner"), str):
        changes["owner"] = clean_line(changes["owner"])
    if "status" in changes and changes["status"] not in ACTION_STATUSES:
        raise InputError(_("status '{status}': choose one of {choices}").format(status=changes['status'], choices=', '.join(ACTION_STATUSES)))
    with store.writing() as s:
        row = s.exec(select(Note).where(Note.uid == uid)).first()
        if row is None:
            raise InputError(_("no note {uid}").format(uid=uid))
        if draft_key is not None:
            _drop_draft(s, row.meeting_id, draft_key)
        if all(getattr(row, k) == v for k, v in changes.items()):
            return None
        for k, v in changes.items():
            setattr(row, k, v)
        row.revision += 1
        row.updated_at = at
        s.add(row)
        s.flush()
        s.add(revision_of(row, author, at))
        return int(row.revision)


def delete_note(store: Store, uid: str, *, author: str, at: DateTime) -> int | None:
    """Hide a note; its every version stays in note_revision."""
    return edit_note(store, uid, author=author, at=at, deleted=True)


def restore_note(store: Store, uid: str, *, author: str, at: DateTime) -> int | None:
    return edit_note(store, uid, author=author, at=at, deleted=False)


# --- the draft ---------------------------------------------------------------------------
# One draft per meeting and key. The key is the author and the client's role
# ("Sanne#notulist"), so the moderator's quick note and the note-taker's never
# overwrite each other, even under one login.


# Set in a draft's data by kring.data.forget when it replaced a name in it.
REWRITTEN = "rewritten"



def _drop_draft(s: Any, meeting_id: int, key: str) -> None:
    row = s.exec(select(Draft).where(Draft.meeting_id == meeting_id, Draft.author == key)).first()
    if row is not None:
        s.delete(row)


def save_draft(store: Store, meeting_id: int, key: str, text: str, data: dict[str, Any],
               at: DateTime) -> None:
    """Keep what is being typed; an empty text removes the draft."""
    text = clean_block(text)
    with store.writing() as s:
        row = s.exec(select(Draft).where(Draft.meeting_id == meeting_id, Draft.author == key)).first()
        if not text and not data.get("edit"):
            if row is not None:
                s.delete(row)
            return
        if row is None:
            row = Draft(meeting_id=meeting_id, author=key)
        elif (row.data or {}).get(REWRITTEN):
            # Forgetting a member rewrote this draft after the client read it: the
            # client's copy may still hold the name, so it is not written back. The
            # text stays in the client's input; the next note starts a fresh draft.
            return
        row.text, row.data, row.updated_at = text, dict(data), at
        s.add(row)


def clear_draft(store: Store, meeting_id: int, key: str) -> None:
    with store.writing() as s:
        _drop_draft(s, meeting_id, key)


def load_draft(store: Store, meeting_id: int, key: str) -> DraftInfo | None:
    with store.session() as s:
        row = s.exec(select(Draft).where(Draft.meeting_id == meeting_id, Draft.author == key)).first()
        if row is None:
            return None
        return DraftInfo(row.text, dict(row.data or {}), row.updated_at)


# --- reading -------------------------------------------------------------------------------


def list_notes(store: Store, meeting_id: int, *, include_deleted: bool = False) -> list[NoteInfo]:
    with store.session() as s:
        q = select(Note).where(Note.meeting_id == meeting_id)
        if not include_deleted:
            q = q.where(Note.deleted == False)  # noqa: E712
        return [_info(n) for n in s.exec(q.order_by(col(Note.at), col(Note.id))).all()]


def get_note(store: Store, uid: str) -> NoteInfo | None:
    with store.session() as s:
        row = s.exec(select(Note).where(Note.uid == uid)).first()
        return None if row is None else _info(row)


def note_history(store: Store, uid: str) -> list[RevisionInfo]:
    """Every version of a note, oldest first."""
    with store.session() as s:
        rows = s.exec(
            select(NoteRevision).join(Note, Note.id == NoteRevision.note_id).where(Note.uid == uid)
            .order_by(col(NoteRevision.revision), col(NoteRevision.id))
        ).all()
        return [
            RevisionInfo(r.revision, r.kind, r.text, bool(r.confidential), r.owner, r.due, r.status,
                         bool(r.deleted), r.author, r.at)
            for r in rows
        ]


def figures_of(notes: list[NoteInfo] | tuple[NoteInfo, ...]) -> NotesFigures:
    live = tuple(n for n in notes if not n.deleted)
    per_step: dict[int, int] = {}
    for n in live:
        key = -1 if n.step_index is None else n.step_index
        per_step[key] = per_step.get(key, 0) + 1
    public = [n for n in live if n.kind in DECISION_KINDS and not n.confidential]
    latest = max(public, key=lambda n: (n.id or 0, n.at), default=None)  # the newest filed
    return NotesFigures(notes=live, per_step=per_step, total=len(live), latest_public=latest,
                        revisions={n.uid: n.revision for n in notes})


def begun_order(n: NoteInfo) -> tuple[Any, int]:
    """The order notes were begun in (a note not stored yet after every stored one begun as early)."""
    return (n.at, n.id if n.id is not None else 1 << 62)


def _public(n: NoteInfo) -> bool:
    return not n.deleted and n.kind in DECISION_KINDS and not n.confidential


def _newest_filed(n: NoteInfo) -> tuple[int, Any]:
    return (n.id or 0, n.at)


@dataclass
class _Known:
    """One meeting's figures as this process last read them, and how to tell what changed since."""

    figures: NotesFigures
    newest: int | None  # the store's newest note revision id when they were read
    live: dict[str, NoteInfo]  # uid -> the note, for the notes not deleted
    revision_sum: int  # the sum of every note's revision: any change to a note raises it
    reads: int = 0  # incremental reads since the last full one


_known: "weakref.WeakKeyDictionary[Store, dict[int, _Known]]" = weakref.WeakKeyDictionary()
_known_lock = threading.Lock()
FULL_READ_EVERY = 16  # an incremental read that many times, then a full one


def notes_figures(store: Store, meeting_id: int) -> NotesFigures:
    """The meeting's notes and figures, read again only where they changed.

    Live clients call this on every change in the store (a speaker, a step, a
    note). Reading every note each time took half a second at 10,000 notes and
    made new objects for all of them; now only the notes with a revision newer
    than the last read are read and merged in, and unchanged notes keep their
    objects, so the screens can tell at once what changed. The count of notes and
    the sum of their revisions, read in the same session, check the merge (a
    revision PostgreSQL committed out of id order would show there): if they
    disagree, and every `FULL_READ_EVERY` reads regardless (forgetting a member
    rewrites notes without a revision), everything is read again.
    """
    from sqlalchemy import func

    with _known_lock:
        known = _known.get(store, {}).get(meeting_id)
        with store.session() as s:
            newest = s.exec(select(func.max(NoteRevision.id))).one()
            count, revision_sum = s.exec(
                select(func.count(Note.id), func.coalesce(func.sum(Note.revision), 0))
                .where(Note.meeting_id == meeting_id)
            ).one()
            if known is not None and known.reads < FULL_READ_EVERY and known.newest is not None \
                    and newest is not None and newest >= known.newest:
                rows = s.exec(
                    select(Note).where(
                        Note.meeting_id == meeting_id,
                        col(Note.id).in_(select(NoteRevision.note_id).where(NoteRevision.id > known.newest)),
                    )
                ).all() if newest > known.newest else []
                merged = _merge(known, [_info(n) for n in rows], newest)
                if (len(merged.figures.revisions), merged.revision_sum) == (count, int(revision_sum)):
                    _known.setdefault(store, {})[meeting_id] = merged
                    return merged.figures
        figures = _read_all(store, meeting_id)
        live = {n.uid: n for n in figures.notes}
        _known.setdefault(store, {})[meeting_id] = _Known(figures, newest, live, sum(figures.revisions.values()))
        return figures


def _read_all(store: Store, meeting_id: int) -> NotesFigures:
    notes = list_notes(store, meeting_id, include_deleted=True)
    notes.sort(key=begun_order)  # as Python orders moments: the store orders their text
    return figures_of(notes)


def _merge(known: _Known, changed: list[NoteInfo], newest: int) -> _Known:
    """`known` with the changed notes in their place; the unchanged keep their objects."""
    old = known.figures
    if not changed:
        return _Known(old, newest, known.live, known.revision_sum, known.reads + 1)
    notes = list(old.notes)
    live = dict(known.live)
    per_step = dict(old.per_step)
    revisions = dict(old.revisions)
    revision_sum = known.revision_sum
    latest = old.latest_public
    recount_latest = False
    for n in changed:
        revision_sum += n.revision - revisions.get(n.uid, 0)
        revisions[n.uid] = n.revision
        was = live.pop(n.uid, None)
        if was is not None:
            i = bisect.bisect_left(notes, begun_order(was), key=begun_order)
            while i < len(notes) and notes[i].uid != n.uid:  # begun at the same moment: find this one
                i += 1
            if i == len(notes):  # not where its order says: look everywhere
                i = next(j for j, other in enumerate(notes) if other.uid == n.uid)
            del notes[i]
            step = -1 if was.step_index is None else was.step_index
            per_step[step] -= 1
            if not per_step[step]:
                del per_step[step]
            if latest is not None and latest.uid == n.uid:
                recount_latest = True
        if not n.deleted:
            notes.insert(bisect.bisect_right(notes, begun_order(n), key=begun_order), n)
            live[n.uid] = n
            step = -1 if n.step_index is None else n.step_index
            per_step[step] = per_step.get(step, 0) + 1
    if recount_latest:
        latest = max((n for n in notes if _public(n)), key=_newest_filed, default=None)
    else:
        latest = max([latest] * (latest is not None) + [n for n in changed if _public(n)], key=_newest_filed,
                     default=None)
    figures = NotesFigures(notes=tuple(notes), per_step=per_step, total=len(notes), latest_public=latest,
                           revisions=revisions)
    return _Known(figures, newest, live, revision_sum, known.reads + 1)


# --- following a meeting --------------------------------------------------------------------


class FollowToken:
    """What `kring.data.meetings.change_token` returns, without its cost per poll.

    The note-taker's watcher asks ten times a second whether anything changed.
    The meeting's newest note revision takes a join over every note of the
    meeting (3 ms at 10,000 notes, against 0.4 ms for the rest); the newest
    revision in the whole store is one index lookup and moves whenever any note
    changes. So the meeting's own figure is looked up again only when that moved.
    On PostgreSQL also every `recheck` polls: it may commit revisions out of id
    order, which the store-wide figure alone could miss (SQLite writes one at a
    time, so ids appear in order). The tuple is change_token's, so a change shows
    when it would have (in that rare case, within `recheck` polls).
    """

    def __init__(self, store: Store, meeting_id: int, recheck: int | None = None) -> None:
        if recheck is None:
            recheck = 1 << 62 if store.is_sqlite else 20
        self.store, self.meeting_id, self.recheck = store, meeting_id, recheck
        self._newest: Any = object()  # the store-wide newest revision when the meeting's was last read
        self._mark: int | None = None  # the meeting's newest revision
        self._polls = 0

    def __call__(self) -> tuple[Any, ...]:
        from sqlalchemy import func

        from kring.data.models import EvaluationReceipt, Event

        mid = self.meeting_id
        with self.store.session() as s:
            events, newest, receipts = s.exec(
                select(
                    select(func.max(Event.id)).where(Event.meeting_id == mid).scalar_subquery(),
                    select(func.max(NoteRevision.id)).scalar_subquery(),
                    select(func.count(EvaluationReceipt.id)).where(EvaluationReceipt.meeting_id == mid)
                    .scalar_subquery(),
                )
            ).one()
            self._polls += 1
            if newest != self._newest or self._polls >= self.recheck:
                self._mark = s.exec(
                    select(func.max(NoteRevision.id)).join(Note, Note.id == NoteRevision.note_id)
                    .where(Note.meeting_id == mid)
                ).one()
                self._newest, self._polls = newest, 0
        return (events, self._mark, receipts)
