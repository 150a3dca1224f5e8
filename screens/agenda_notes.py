"""The agenda's notes part: its key, and what it feeds its panel.

The agenda is on the projector, so the panel (`kring.tui.widgets.notes_panel`)
shows how many notes came in and the newest decision or action that is not
confidential; never a confidential note's text. `m` opens a small box for a
quick note of the moderator's own (`kring.screens.dialogs.quick_note`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from kring.data.core.timeline import Timeline
from kring.data.i18n import _
from kring.data.draftjournal import recover
from kring.data.notes import draft_key
from kring.screens.dialogs.quick_note import QuickNoteScreen
from kring.tui.widgets.notecompose import NoteComposer
from kring.tui.widgets.notes_panel import NotesPanel

if TYPE_CHECKING:
    from kring.screens.agenda_core import AgendaScreen


class NotesPart:
    BINDINGS = [
        Binding("m", "quick_note", _("Note"), id="notes.quick", show=False),
    ]

    def __init__(self, screen: AgendaScreen) -> None:
        self.screen = screen
        self.live = screen.live
        self.panel = NotesPanel()
        self._composer: NoteComposer | None = None

    def show(self, tl: Timeline) -> None:
        panel = self.panel
        panel.figures = self.live.snapshot.extra.get("notes")
        panel.current = None if tl.closed else tl.current
        panel.compact = self.screen.has_class("-small")

    def quick_note(self) -> None:
        composer = self._composer
        if composer is None:
            live = self.live
            composer = NoteComposer(live)
            # the first time only: a quick note left behind by a crash comes back
            draft = recover(live.store, live.meeting_id, draft_key(live.author, live.role))
            if draft is not None and draft.text:
                notes = {n.uid: n for n in composer.notes()}
                composer.restore(draft, notes)
            self._composer = composer
        self.screen.app.push_screen(QuickNoteScreen(composer))
