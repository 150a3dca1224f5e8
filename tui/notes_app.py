"""The note-taker's App: the same thin client over the store, opening the notes screen."""

from __future__ import annotations

from kring.data.clock import Clock
from kring.data.notes import draft_key, load_draft
from kring.data.store import Store
from kring.tui.app import KringApp


class NotesApp(KringApp):
    """`kring notes`: follows a live meeting and takes its minutes (role notulist)."""

    def __init__(self, store: Store, meeting_id: int, *, clock: Clock | None = None, author: str | None = None,
                 watch: bool = True) -> None:
        super().__init__(store, meeting_id, clock=clock, role="notulist", author=author, watch=watch)
        # read before the screen starts: a draft left by a dead terminal comes back at once
        self.restored_draft = load_draft(store, meeting_id, draft_key(self.author, self.role))
        # Letters are for typing here: quitting and help move to keys that type nothing.
        self.set_keymap({"quit": "ctrl+q", "help": "f1"})

    def first_screen(self):  # noqa: ANN201
        from kring.screens.notes import NotesScreen

        return NotesScreen()
