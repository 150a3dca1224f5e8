"""A note as a client files it, for tests of the notes' store and its readers."""

from __future__ import annotations

from kring.data.notes import NoteInfo, new_uid


def make_note(clock, **kw) -> NoteInfo:
    base = dict(uid=new_uid(), kind="note", text="tekst", step_index=0, step_title="Inchecken", speaker="Bram",
                author="Sanne", at=clock.now())
    base.update(kw)
    return NoteInfo(**base)
