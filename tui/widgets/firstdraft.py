"""The note being typed before the store is open (the note-taker's first paint).

The note-taker types at once, while a thread opens the store. What is typed is
echoed in the input and appended to the draft's journal on every key, as the
NoteComposer does once the store is open (kring.data.draftjournal): a process
killed now keeps every key it showed. The note is filed under the step and
speaker of its first key (`filing`, shared with the NoteComposer). Nothing is
sent or shown as saved here: the hand-over gives the text to the NoteComposer.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kring.data.draftjournal import DraftJournal, journal_path

if TYPE_CHECKING:
    from kring.tui.session import LiveMeeting


def filing(live: LiveMeeting, confidential_next: bool | None = None) -> dict[str, Any]:
    """Where a note begun now is filed: the live step and who has the floor at this moment."""
    tl = live.timeline()
    step = None if tl.closed else tl.current
    # stored as the step has it; a case-bringer's consent is applied where notes are shown
    default = live.format.is_confidential(step)
    return {
        "uid": uuid.uuid4().hex,  # as kring.data.notes.new_uid
        "step": step,
        "step_title": tl.steps[step].title if step is not None else "",
        "speaker": tl.speaker if step is not None else None,
        "at": live.clock.now().isoformat(),
        "confidential": default if confidential_next is None else confidential_next,
        "chosen": confidential_next is not None,  # by the note-taker, on purpose
    }


def draft_journal_path(url: str, meeting_id: int, key: str) -> Path | None:
    """The journal the NoteComposer will use for this draft, known before the store is open."""
    sqlite_path = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None
    return journal_path(url, sqlite_path, meeting_id, key)


class FirstDraft:
    """A composer for NoteInput before the store is open: follows each key, journals it."""

    def __init__(self, live: LiveMeeting, path: Path | None) -> None:
        self.live = live
        self.text = ""
        self.begun: dict[str, Any] | None = None
        self.journal = DraftJournal(path)
        self._written = False

    def changed(self, text: str) -> None:
        self.text = text
        if text.strip() and self.begun is None:
            self.begun = filing(self.live)
        elif not text:
            self.begun = None
        if text or self._written:  # an empty input at the start is nothing to keep
            self.journal.write(text, {"begun": self.begun} if self.begun is not None else {})
            self._written = True

    def data(self) -> dict[str, Any]:
        return {"begun": dict(self.begun)} if self.begun is not None else {}

    def close(self) -> None:
        """The NoteComposer takes over the same journal; this one only lets go of its file."""
        self.journal.close(remove=False)
