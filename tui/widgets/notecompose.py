"""Taking a note: filing it at the first keystroke, keeping the draft, saving, editing.

Shared by the note-taker's screen and the moderator's quick-note box. No widget
here: the screens hand in what is typed and show what comes back. All writing
goes through the meeting's outbox (ordered, retried, off the UI thread).

The draft is written through the same ordered outbox as the notes, so it can never
overtake the note it became; the screen throttles how often it asks.
"""

from __future__ import annotations

import bisect
import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pendulum

from kring.data.core.consent import ConsentRule
from kring.data.core.events import EventKind
from kring.data.core.noteparse import MAX_NOTE_CHARS, ParsedNote, compose, parse_note
from kring.data.core.timeline import Timeline
from kring.data.draftjournal import DraftJournal, journal_path
from kring.data.i18n import _
from kring.tui.widgets.firstdraft import filing
from kring.data.notes import (
    DraftInfo,
    NoteInfo,
    NotesFigures,
    add_note,
    clear_draft,
    begun_order,
    delete_note,
    draft_key,
    edit_note,
    save_draft,
)

if TYPE_CHECKING:
    from kring.tui.session import LiveMeeting


@dataclass
class Pending:
    """A note as this process last wrote it, shown until the store has it."""

    note: NoteInfo
    done: bool = False  # the outbox has written it
    seen_after_done: int = 0  # snapshots loaded since


@dataclass
class Outcome:
    saved: bool
    messages: list[tuple[str, str]] = field(default_factory=list)  # (text, severity)
    text: str | None = None  # what the input should hold now (None: leave it)
    closed: bool = False  # not saved: the meeting is closed, and the note-taker has not chosen to add to it
    edited: bool = False  # an edit of a saved note ended (saved)


class NoteComposer:
    def __init__(self, live: LiveMeeting) -> None:
        self.live = live
        self.draft_key = draft_key(live.author, live.role)
        self.text = ""
        self.begun: dict[str, Any] | None = None  # filing captured at the first keystroke
        self.after_close: int | None = None  # the closed meeting the note-taker chose to add notes to
        self.confidential_next: bool | None = None  # toggled before typing began
        self.editing: NoteInfo | None = None
        self.stash: dict[str, Any] | None = None  # the new note put aside while editing
        self.pending: dict[str, Pending] = {}
        self._last_snapshot: int | None = None
        self._notes_key: list | None = None  # what the cached, sorted list was made from
        self._notes_cache: list[NoteInfo] = []
        self._journal: DraftJournal | None = None  # opened with the store (see journal)
        composers = getattr(live, "composers", None)
        if composers is not None:
            composers.append(self)  # the App closes the journals as it ends

    # --- what is being typed -----------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return self.live.meeting.names

    def parse(self) -> ParsedNote:
        return parse_note(self.text, self.names, self.live.clock.now())

    def changed(self, text: str) -> ParsedNote:
        """The input changed: begin a note on its first keystroke, forget an emptied one."""
        self.text = text
        if self.editing is None:
            if text.strip() and self.begun is None:
                self.begin()
            elif not text and self.begun is not None:
                self.begun, self.confidential_next = None, None
        self.keep()
        return self.parse()

    def begin(self) -> dict[str, Any]:
        """File the note now: the live step and who has the floor at this moment."""
        self.begun = filing(self.live, self.confidential_next)
        return self.begun

    @property
    def confidential(self) -> bool:
        return self.is_confidential()

    def is_confidential(self, tl: Timeline | None = None) -> bool:
        """Whether the note being typed is stored confidential (its step's default or the
        note-taker's choice); `tl`: the live state, if derived already."""
        if self.editing is not None:
            return bool(self._edit_confidential)
        if self.begun is not None:
            return bool(self.begun["confidential"])
        if self.confidential_next is not None:
            return self.confidential_next
        if tl is None:
            tl = self.live.timeline()
        live = None if tl.closed else tl.current
        return self.live.format.is_confidential(live)

    def chosen(self) -> bool:
        """Whether the note-taker chose the confidentiality of the note being typed on purpose."""
        if self.editing is not None:
            return self._edit_chosen
        if self.begun is not None:
            return bool(self.begun.get("chosen"))
        return self.confidential_next is not None

    def shared_by_consent(self, tl: Timeline | None = None) -> str | None:
        """The case-bringer whose consent shares the note being typed, or None."""
        if not self.is_confidential(tl) or self.chosen():
            return None
        rule = ConsentRule.of(self.live.format, self.live.events)
        if self.editing is not None:
            step, at = self.editing.step_index, self.editing.at
            if rule.kept_confidential(self.editing.uid):
                return None
        elif self.begun is not None:
            step, at = self.begun["step"], self.begun["at"]
        else:
            tl = tl or self.live.timeline()
            step, at = (None if tl.closed else tl.current), self.live.clock.now()
        consent = rule.agreed(rule.case_of(step, at))
        return consent.name if consent else None

    def in_confidential_step(self, tl: Timeline | None = None) -> bool:
        step, _title, _speaker = self.filed_under(tl)
        return self.live.format.is_confidential(step)

    def toggle_confidential(self, value: bool | None = None) -> bool:
        """One key: the note being typed (or edited) becomes confidential, or no longer.
        The choice is the note-taker's own: no consent overrides it."""
        if value is None:
            value = not self.confidential
        if self.editing is not None:
            self._edit_confidential, self._edit_chosen = value, True
        elif self.begun is not None:
            self.begun["confidential"], self.begun["chosen"] = value, True
        else:
            self.confidential_next = value
        self.save_draft()
        return value

    def filed_under(self, tl: Timeline | None = None) -> tuple[int | None, str, str | None]:
        """(step index, step title, speaker) the note is or will be filed under; `tl` as above."""
        if self.editing is not None:
            return self.editing.step_index, self.editing.step_title, self.editing.speaker
        if self.begun is not None:
            return self.begun["step"], self.begun["step_title"], self.begun["speaker"]
        if tl is None:
            tl = self.live.timeline()
        live = None if tl.closed else tl.current
        return live, tl.steps[live].title if live is not None else "", tl.speaker if live is not None else None

    def step_number(self, index: int, tl: Timeline | None = None) -> str:
        """The step's number as the agenda shows it: "5", or "5.1" inside a sub-agenda."""
        steps = (tl or self.live.timeline()).steps
        return steps[index].number if 0 <= index < len(steps) and steps[index].number else str(index + 1)

    # --- saving -----------------------------------------------------------------------------

    def submit(self) -> Outcome:
        parsed = self.parse()
        if parsed.empty:
            if self.editing is not None:
                return Outcome(False, [(_("The note is empty. To delete it, select it in the list and press d."),
                                        "warning")])
            return Outcome(False, [(_("Nothing to save yet: type a note, then Enter."), "information")])
        if len(parsed.text) > MAX_NOTE_CHARS:
            return Outcome(False, [(
                _("This text is {n} characters long; a note holds at most {max}. Nothing is lost: it stays "
                  "here (and in your draft). Shorten it, or clear it with ctrl+u.").format(
                    n=f"{len(parsed.text):,}".replace(",", "\u00a0"), max=f"{MAX_NOTE_CHARS:,}".replace(",", "\u00a0")),
                "warning")])
        now = self.live.clock.now()
        messages = [(p, "warning") for p in parsed.problems]
        if self.editing is not None:
            outcome = self._submit_edit(parsed, now, messages)
            outcome.edited = outcome.saved
            return outcome
        if self.after_close != self.live.meeting_id and self.live.timeline().closed:
            return Outcome(False, closed=True)  # the screen asks first: nothing lands there unchosen
        b = self.begun or self.begin()
        gone = self.live.forgotten  # names forgotten while this client ran never reach the store again
        note = NoteInfo(
            uid=b["uid"], kind=parsed.kind, text=gone.text(parsed.text), step_index=b["step"],
            step_title=gone.text(b["step_title"]), speaker=gone.text(b["speaker"]), author=self.live.author,
            at=pendulum.parse(b["at"]), confidential=bool(b["confidential"]), owner=gone.text(parsed.owner),
            due=parsed.due, updated_at=now,
        )
        self.last_saved_step = note.step_index
        # names forgotten between the key and the write (kring.data.forgotten) go at the write
        self._write(note, lambda: add_note(self.live.store, self.live.meeting_id, self._as_written(note),
                                              saved_at=now, draft_key=gone.text(self.draft_key)))
        if b.get("chosen"):
            self.live.record(EventKind.NOTE_CONFIDENTIAL, {"uid": note.uid, "confidential": note.confidential})
        # add_note removes the draft in the same transaction: no separate write
        self.begun, self.confidential_next, self.text = None, None, ""
        self.keep()
        if messages:
            messages.append((_("Saved anyway, as typed. Select it in the list (Tab) to fix it."), "information"))
        return Outcome(True, messages, "")

    def _submit_edit(self, parsed: ParsedNote, now: Any, messages: list[tuple[str, str]]) -> Outcome:
        old = self.editing
        assert old is not None
        gone = self.live.forgotten
        changes = dict(kind=parsed.kind, text=gone.text(parsed.text), owner=gone.text(parsed.owner), due=parsed.due,
                       confidential=bool(self._edit_confidential))
        note = old.but(**changes, revision=old.revision + 1, updated_at=now)
        if self._edit_chosen:
            self.live.record(EventKind.NOTE_CONFIDENTIAL, {"uid": old.uid, "confidential": bool(self._edit_confidential)})
        if any(getattr(old, k) != v for k, v in changes.items()):
            store, author = self.live.store, self.live.author
            key = self.draft_key
            self._write(note, lambda: edit_note(store, old.uid, author=gone.text(author), at=now,
                                                draft_key=gone.text(key), **gone.data(changes)))
            messages.insert(0, (_("Changed; the earlier version is kept."), "information"))
            text = self._leave_edit(write_draft=False)  # edit_note removed the draft
            if self.text:
                self.save_draft()
            else:
                self.keep()
        else:
            text = self._leave_edit()
        return Outcome(True, messages, text)

    def _as_written(self, note: NoteInfo) -> NoteInfo:
        """`note` without the names forgotten by the time it is written."""
        gone = self.live.forgotten
        if not gone:
            return note
        return note.but(text=gone.text(note.text), speaker=gone.text(note.speaker), owner=gone.text(note.owner),
                        author=gone.text(note.author), step_title=gone.text(note.step_title))

    def _write(self, note: NoteInfo, write: Any) -> None:
        entry = Pending(note)
        self.pending[note.uid] = entry

        def run() -> None:
            write()
            entry.done = True

        self.live.outbox.put(run)

    # --- editing, deleting, confidential ------------------------------------------------------

    def start_edit(self, note: NoteInfo) -> str:
        if self.editing is None and self.text:
            self.stash = {"text": self.text, "begun": self.begun, "confidential_next": self.confidential_next}
        self.editing = note
        self._edit_confidential, self._edit_chosen = note.confidential, False
        self.text = compose(note.kind, note.text, note.owner, note.due)
        self.save_draft()
        return self.text

    def cancel_edit(self) -> str:
        return self._leave_edit()

    def _leave_edit(self, write_draft: bool = True) -> str:
        self.editing = None
        stash, self.stash = self.stash, None
        if stash:
            self.text, self.begun, self.confidential_next = stash["text"], stash["begun"], stash["confidential_next"]
        else:
            self.text, self.begun, self.confidential_next = "", None, None
        if write_draft:
            self.save_draft()
        return self.text

    def delete(self, note: NoteInfo) -> None:
        now = self.live.clock.now()
        store, author = self.live.store, self.live.author
        self._write(note.but(deleted=True, revision=note.revision + 1, updated_at=now),
                    lambda: delete_note(store, note.uid, author=self.live.forgotten.text(author), at=now))

    def set_confidential(self, note: NoteInfo, value: bool) -> None:
        """A saved note's confidentiality, chosen on purpose: no consent overrides it."""
        now = self.live.clock.now()
        store, author = self.live.store, self.live.author
        self._write(note.but(confidential=value, revision=note.revision + 1, updated_at=now),
                    lambda: edit_note(store, note.uid, author=self.live.forgotten.text(author), at=now,
                                      confidential=value))
        self.live.record(EventKind.NOTE_CONFIDENTIAL, {"uid": note.uid, "confidential": value})

    def moved(self) -> None:
        """The App follows another meeting now: what is typed is filed there, from its live step.
        Notes still being written go to the meeting they were taken in (the outbox has them)."""
        self.begun = None
        self.after_close = None
        self.pending = {uid: e for uid, e in self.pending.items() if not e.done}
        self._notes_key = None

    # --- the notes as this process knows them ---------------------------------------------------

    def figures(self) -> NotesFigures:
        return self.live.snapshot.extra.get("notes") or NotesFigures()

    def notes(self) -> list[NoteInfo]:
        """Stored notes, with this process's own writes shown before the store confirms them."""
        figures = self.figures()
        snap = id(self.live.snapshot)
        if snap != self._last_snapshot:
            self._last_snapshot = snap
            for uid, entry in list(self.pending.items()):
                if figures.revisions.get(uid, 0) >= entry.note.revision:
                    del self.pending[uid]
                elif entry.done:
                    entry.seen_after_done += 1
                    if entry.seen_after_done >= 2:  # a no-op edit, or someone else's newer one
                        del self.pending[uid]
        # The screen asks four times a second; with thousands of notes, merging
        # and sorting each time is what made typing slow. Same inputs, same list.
        # Compared by identity: the snapshot and NoteInfo objects are immutable.
        key = [self.live.snapshot, figures, *((e.note, e.done) for e in self.pending.values())]
        cached = self._notes_key
        if cached is not None and len(cached) == len(key) and all(
            (a is b) if not isinstance(a, tuple) else (a[0] is b[0] and a[1] == b[1]) for a, b in zip(cached, key)
        ):
            return self._notes_cache
        # The stored notes come in the order they were begun (notes_figures keeps
        # them so); this process's own writes take their place, or theirs in order.
        pending = self.pending
        notes = [n for n in figures.notes if n.uid not in pending] if pending else list(figures.notes)
        for entry in pending.values():
            if not entry.note.deleted:
                bisect.insort_right(notes, entry.note, key=begun_order)
        self._notes_key = key
        self._notes_cache = notes
        return notes

    # --- the draft ---------------------------------------------------------------------------------

    def _draft_now(self) -> tuple[str, dict[str, Any]]:
        data: dict[str, Any] = {}
        if self.editing is not None:
            data["edit"] = self.editing.uid
            data["edit_revision"] = self.editing.revision
            data["edit_confidential"] = bool(self._edit_confidential)
            data["edit_chosen"] = self._edit_chosen
            if self.stash:
                data["stash"] = self.stash
        else:
            if self.begun is not None:
                data["begun"] = self.begun
            if self.confidential_next is not None:
                data["confidential_next"] = self.confidential_next
        gone = self.live.forgotten
        return gone.text(self.text), gone.data(copy.deepcopy(data))  # written later, in the outbox thread

    def _set_draft(self, text: str, data: dict[str, Any]) -> None:
        store, meeting_id, key, now = self.live.store, self.live.meeting_id, self.draft_key, self.live.clock.now()
        gone = self.live.forgotten  # read at the write: a name forgotten meanwhile goes
        self.live.outbox.put(lambda: save_draft(store, meeting_id, gone.text(key), gone.text(text), gone.data(data),
                                                now))

    def save_draft(self) -> None:
        """Queue a write of the draft as it is now. The outbox keeps order, so a draft
        never lands after the note it became (the note's write removes it)."""
        text, data = self._draft_now()
        self.keep(text, data)
        self._set_draft(text, data)

    # --- the draft per keystroke ------------------------------------------------------------------

    @property
    def journal(self) -> DraftJournal | None:
        """This draft's journal (kring.data.draftjournal), once the store is known."""
        if self._journal is None and self.live.store is not None:
            store = self.live.store
            self._journal = DraftJournal(journal_path(store.url, store.path, self.live.meeting_id, self.draft_key))
        return self._journal

    def keep(self, text: str | None = None, data: dict[str, Any] | None = None) -> None:
        """Append the draft as it is now to the journal, before the screen shows it: a
        killed process keeps every key it showed. Notes sent but not yet in the store
        ride along, so a kill before the outbox wrote them loses none either."""
        journal = self.journal
        if journal is None:
            return
        if text is None or data is None:
            text, data = self._draft_now()
        unsent = [{"uid": e.note.uid, "text": compose(e.note.kind, e.note.text, e.note.owner, e.note.due),
                   "revision": e.note.revision, "step": e.note.step_index, "step_title": e.note.step_title,
                   "speaker": e.note.speaker, "at": e.note.at.isoformat(), "confidential": e.note.confidential}
                  for e in self.pending.values() if not e.done and not e.note.deleted]
        if unsent:
            data = {**data, "unsent": unsent}
        journal.write(text, data)

    def names_forgotten(self) -> str:
        """Someone was forgotten (kring.data.forgotten): what is being typed loses their name,
        the journal starts again without it (its older lines held it), and the draft goes
        under this client's name as it is now (the placeholder, if it was theirs)."""
        gone = self.live.forgotten
        self.text = gone.text(self.text)
        self.begun = gone.data(self.begun)
        self.stash = gone.data(self.stash)
        if self.editing is not None:
            self.editing = self.editing.but(text=gone.text(self.editing.text), owner=gone.text(self.editing.owner),
                                            speaker=gone.text(self.editing.speaker), author=gone.text(self.editing.author))
        if self._journal is not None:
            self._journal.close(remove=True)
            self._journal = None
        key = draft_key(self.live.author, self.live.role)
        if key != self.draft_key:
            store, meeting_id, old = self.live.store, self.live.meeting_id, self.draft_key
            self.live.outbox.put(lambda: clear_draft(store, meeting_id, old))  # if it came back meanwhile
            self.draft_key = key
        self._notes_key = None
        self.save_draft()
        return self.text

    def close_journal(self, all_written: bool) -> None:
        """The process ends: with everything in the store, the journal has nothing more to say."""
        if self._journal is not None:
            self._journal.close(remove=all_written)

    def restore(self, draft: DraftInfo, notes: dict[str, NoteInfo]) -> str:
        """Bring back a draft from the store (after a crash or a closed terminal)."""
        data = draft.data or {}
        edit = data.get("edit")
        if edit and edit in notes:
            self.stash = data.get("stash")
            self.editing = notes[edit]
            self._edit_confidential = bool(data.get("edit_confidential", notes[edit].confidential))
            self._edit_chosen = bool(data.get("edit_chosen", False))
        else:
            begun = data.get("begun") or (data.get("stash") or {}).get("begun")
            self.begun = dict(begun) if begun else None
            cn = data.get("confidential_next")
            self.confidential_next = None if cn is None else bool(cn)
            if edit and data.get("stash"):  # the note being edited is gone: bring back the new one
                stash = data["stash"]
                self.begun, self.confidential_next = stash.get("begun"), stash.get("confidential_next")
                self.text = stash.get("text", "")
                return self.text
        self.text = draft.text
        if self.editing is None and self.text.strip() and self.begun is None:
            self.begin()
        return self.text

    _edit_confidential: bool = False
    _edit_chosen: bool = False
    last_saved_step: int | None = None
