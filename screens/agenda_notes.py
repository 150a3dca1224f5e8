"""The agenda screen's notes part: its keys, its panel and how it refreshes.

AgendaScreen inherits this class, so its BINDINGS and actions join the agenda's
(Textual merges BINDINGS along the class hierarchy).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from kring.data.timeline import Timeline


class NotesPart(Screen):
    BINDINGS = []

    def notes_panel(self) -> Widget:
        """The widget this part shows beside the countdown (hidden while empty)."""
        return Static("", id="notes-panel", classes="side-panel")

    def refresh_notes(self, tl: Timeline) -> None:
        """Called on every refresh with the derived timeline; update only what changed."""
