"""A checkbox that says on or off without colour: Textual's draws the same ▐X▌ for
both, and only its colour changes (lost on a projector, in grey scale, to colour blindness)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class PlainCheckbox(Checkbox):
    """▐X▌ when on, ▐ ▌ when off."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button
