"""The draft, kept per keystroke: an append-only journal a killed process leaves behind.

The store's draft is written through the outbox, a moment after the key. What is
on screen must survive `kill -9` before that moment too, so every state of the
draft is appended to a small private file first, in the thread that handles the
key, before its echo is painted. A `write` to a file is in the kernel once it
returns: a killed process cannot take it back. A thread syncs the file to disk
now and then (`fdatasync`, coalesced), for a machine that loses power.

One file per store, meeting and draft key (the note-taker's, the moderator's quick
note): next to a SQLite store, or in the user's state folder for a server. One JSON
line per state; the last whole line is the draft. When the file grows it is
replaced by one holding the last state (an atomic rename: old or new, never none).

On start, `newest` weighs the journal against the store's draft: the journal is
never older, unless the note it holds has landed since (the note's write removed
the draft), or forgetting a member rewrote the store's draft.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable

# Past this size the journal is replaced by its last line (a few notes of the largest size).
ROTATE_AT = 256 * 1024
# At most one sync to disk this often (for a machine that loses power; a killed process loses nothing).
SYNC_EVERY = 0.05


def journal_path(url: str, sqlite_path: Path | None, meeting_id: int, key: str) -> Path | None:
    """Where this draft's journal lives; None for a store that does not outlive the process."""
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    name = f"meeting-{meeting_id}-{digest}.jsonl"
    if sqlite_path is not None:
        return sqlite_path.with_name(sqlite_path.name + ".drafts") / name
    if url.startswith("sqlite"):
        return None  # in memory: nothing to come back to
    import platformdirs

    folder = platformdirs.user_state_path("kring", appauthor=False) / "drafts"
    return folder / hashlib.sha1(url.encode()).hexdigest()[:16] / name


class DraftJournal:
    """Appends each state of one draft; read back with `read`. Never raises: a journal
    that cannot be written leaves the store's draft, as before, and says so in `failing`."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.failing: str | None = None
        self._fd: int | None = None
        self._size = 0
        self._last: str | None = None
        self._dirty = threading.Event()
        self._lock = threading.Lock()  # the fd, between the writer and the syncer
        self._syncer: threading.Thread | None = None
        self._closed = False

    # --- writing ------------------------------------------------------------------------

    def write(self, text: str, data: dict[str, Any]) -> bool:
        """Append this state (skipped when it is the last one written). True once it is
        in the kernel, where killing the process cannot undo it."""
        if self.path is None or self._closed:
            return False
        line = json.dumps({"t": text, "d": data}, ensure_ascii=False, separators=(",", ":")) + "\n"
        if line == self._last:
            return True
        raw = line.encode()
        try:
            with self._lock:
                if self._fd is None:
                    self._open()
                if self._size + len(raw) > ROTATE_AT:
                    self._rotate(raw)
                else:
                    os.write(self._fd, raw)  # type: ignore[arg-type]
                    self._size += len(raw)
        except OSError as exc:
            self.failing = str(exc)
            return False
        self._last = line
        self.failing = None
        self._dirty.set()
        if self._syncer is None:
            self._syncer = threading.Thread(target=self._sync_loop, name="kring-draft-sync", daemon=True)
            self._syncer.start()
        return True

    def _open(self) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._size = os.fstat(self._fd).st_size

    def _rotate(self, last: bytes) -> None:
        """Start the journal anew, holding only `last`."""
        assert self.path is not None
        tmp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, last)
        finally:
            os.close(fd)
        os.replace(tmp, self.path)  # the old journal or the new, never neither
        if self._fd is not None:
            os.close(self._fd)
        self._fd = None
        self._open()

    def _sync_loop(self) -> None:
        while not self._closed:
            self._dirty.wait()
            self._dirty.clear()
            with self._lock:
                fd = self._fd
                if fd is not None:
                    try:
                        os.fdatasync(fd)
                    except OSError:
                        pass
            # Keys typed meanwhile share the next sync. A sleep, not a wait on the event:
            # a wait woke at the next key, so each key cost a wake-up of this thread and
            # a disk sync beside the typing (the key's write, the kill -9 guarantee, is done).
            time.sleep(SYNC_EVERY)

    def close(self, *, remove: bool = False) -> None:
        """Stop; with `remove`, delete the journal (the store holds all it held). Once only."""
        if self._closed:
            return
        self._closed = True
        self._dirty.set()
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            if remove and self.path is not None:
                try:
                    self.path.unlink()
                except OSError:
                    pass

    # --- reading ------------------------------------------------------------------------

    @staticmethod
    def read(path: Path | None) -> tuple[str, dict[str, Any]] | None:
        """The last whole state in the journal, or None."""
        if path is None:
            return None
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        for line in reversed(raw.split(b"\n")):
            try:
                state = json.loads(line)
            except ValueError:
                continue  # a line cut short (or empty): the one before it
            if isinstance(state, dict) and isinstance(state.get("t"), str) and isinstance(state.get("d"), dict):
                return state["t"], state["d"]
        return None


def newest(journal: tuple[str, dict[str, Any]] | None, stored: Any, landed: Callable[[dict[str, Any]], bool],
           rewritten: Callable[[Any], bool]) -> tuple[str, dict[str, Any]] | None:
    """Which draft to bring back: the journal's state (text, data) unless the note it holds
    has `landed` in the store, or the store's draft was `rewritten` by forgetting someone;
    then the store's. `stored`: the store's draft or None. None: the store's draft."""
    if journal is None or (stored is not None and rewritten(stored)):
        return None
    if landed(journal[1]):
        return None
    return journal


def recover(store: Any, meeting_id: int, key: str) -> Any:
    """The draft to bring back on start (a kring.data.notes.DraftInfo, or None): the
    store's, or the journal's when that is newer. Notes the journal holds as sent but
    the store never got come back in the draft, so they are sent again, not lost."""
    from kring.data.notes import REWRITTEN, DraftInfo, get_note, load_draft

    stored = load_draft(store, meeting_id, key)
    state = DraftJournal.read(journal_path(store.url, store.path, meeting_id, key))
    if state is None or (stored is not None and (stored.data or {}).get(REWRITTEN)):
        return stored
    text, data = state
    unsent = data.pop("unsent", None) or []

    def landed(uid: Any, revision: Any) -> bool:
        note = get_note(store, uid) if isinstance(uid, str) else None
        return note is not None and note.revision >= (revision if isinstance(revision, int) else 1)

    begun = data.get("begun") or {}
    if data.get("edit"):
        if landed(data["edit"], (data.get("edit_revision") or 0) + 1):
            text, data = "", {}  # the edit landed: the draft was what came after it
    elif begun.get("uid") and landed(begun["uid"], 1):
        text, data = "", {}  # the note landed; the kill came before the next state was kept
    lost = [u for u in unsent if isinstance(u, dict) and not landed(u.get("uid"), u.get("revision"))]
    if lost:
        if not text and not data.get("edit") and len(lost) == 1 and (lost[0].get("revision") or 1) > 1:
            data = {"edit": lost[0]["uid"], "edit_revision": lost[0]["revision"] - 1}
            text = str(lost[0].get("text", ""))
        else:
            first = next((u for u in lost if (u.get("revision") or 1) == 1), None)
            pieces = [str(u.get("text", "")) for u in lost] + ([text] if text.strip() else [])
            text = "\n".join(p for p in pieces if p)
            if first is not None and not data.get("edit"):
                data["begun"] = {"uid": first["uid"], "step": first.get("step"),
                                 "step_title": first.get("step_title", ""), "speaker": first.get("speaker"),
                                 "at": first.get("at"), "confidential": bool(first.get("confidential")),
                                 "chosen": False}
    if not text and not data.get("edit"):
        return None if stored is None or not stored.text else DraftInfo("", {}, stored.updated_at)
    return DraftInfo(text, data, stored.updated_at if stored is not None else None)


# --- the moderator's keys ---------------------------------------------------------------------
# A key's effect (the next step, the timer started) shows at once; its event is
# written by the outbox a moment later. The events shown but not yet confirmed
# stored are kept in a journal of their own, and written on the next start.


def keys_key(author: str, role: str) -> str:
    return f"{author}#{role}#keys"


def event_state(events: list[Any]) -> dict[str, Any]:
    """The journal's data for these events (kring.data.meetings.EventRow)."""
    return {"events": [{"at": e.at.isoformat(), "kind": e.kind, "data": e.data, "uid": e.uid, "origin": e.origin}
                       for e in events]}


def replay_events(store: Any, meeting_id: int, key: str) -> int:
    """Write the events a killed process showed but never stored; those stored are
    skipped (by uid). Returns how many the journal held."""
    state = DraftJournal.read(journal_path(store.url, store.path, meeting_id, key))
    rows = (state[1].get("events") if state else None) or []
    if not isinstance(rows, list) or not rows:
        return 0
    import pendulum

    from kring.data.meetings import EventRow, append_events

    events = []
    for r in rows:
        try:
            events.append(EventRow(at=pendulum.parse(r["at"]), kind=str(r["kind"]), data=dict(r.get("data") or {}),
                                   uid=str(r["uid"]), origin=str(r.get("origin", ""))))
        except (KeyError, TypeError, ValueError):
            continue  # a damaged entry: the others still count
    if events:
        append_events(store, meeting_id, events)
    return len(events)
