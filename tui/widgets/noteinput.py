"""The one-line input the notes are typed in.

A paste keeps all its lines (Textual's Input keeps only the first): line breaks
show as ↵ and are stored as real line breaks. Control characters are dropped.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.widgets import Input

from kring.data.core.textgate import clean_block
from kring.data.i18n import _

NEWLINE_MARK = "↵"


def hint_text() -> str:
    """The kinds of note and their prefixes, shown under the input."""
    return _("d:decision  a:action @who when  i:insight  q:question  p:parking  c:quote")


def clean_paste(text: str) -> str:
    """What a paste puts in the input: every line kept, joined with ↵."""
    # the text gate: terminal controls (escape sequences) and direction overrides
    # go; every letter, emoji and right-to-left mark is kept as it is
    text = clean_block(text).strip("\n")
    return text.replace("\n", NEWLINE_MARK)


def to_input(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", NEWLINE_MARK)


def from_input(value: str) -> str:
    return value.replace(NEWLINE_MARK, "\n")


class NoteInput(Input):
    """With a composer, the note's state follows each keystroke here, in key order:
    a note is begun by its first key, and Enter saves exactly what was typed before
    it, even when more keys are already on their way."""

    DEFAULT_CSS = """
    NoteInput { border: tall $primary 50%; }
    NoteInput:focus { border: tall $primary; }
    NoteInput.-confidential { border: tall $warning; }
    """

    # Textual's Input sets its virtual size (the text's width) on every key, and
    # that reactive asks for a layout of the whole screen and a repaint of the
    # input. The input's place never depends on its text (full width, three lines
    # high), and the key's own repaint follows (see refresh).
    virtual_size = Reactive(Size(0, 0), layout=False, repaint=False)

    class Saved(Message):
        """Enter was handled by the composer: `outcome` says what happened."""

        def __init__(self, outcome: Any) -> None:
            super().__init__()
            self.outcome = outcome

    def __init__(self, *args: Any, composer: Any = None, **kw: Any) -> None:
        kw.setdefault("select_on_focus", False)  # coming back from the list must not select all to overwrite
        super().__init__(*args, **kw)
        self.composer = composer

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        if self.composer is not None:
            self.composer.changed(from_input(value))
        self._text_only = True

    # A key, a cursor move or the cursor's blink changes the text line only; the
    # border with its title stays as it is. Textual repaints the whole input for
    # them, three lines of 120 cells sent down the wire each key: these repaint
    # the text line (the reactive's own refresh follows its watcher at once).
    _text_only = False

    def _watch_selection(self, selection: Any) -> None:
        super()._watch_selection(selection)
        self._text_only = True

    def _watch__cursor_visible(self, _visible: bool) -> None:
        self._text_only = True

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False,
                recompose: bool = False) -> "NoteInput":
        text_only, self._text_only = self._text_only, False
        if text_only and not regions and repaint and not layout and not recompose and self.is_mounted:
            regions = (Region(0, 0, self.content_size.width, self.content_size.height),)
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and self.composer is not None:
            # Handled here, in key order: a binding would run only after the key
            # bubbled up, when the keys typed after Enter are already in the input.
            event.stop()
            event.prevent_default()  # Textual would also call Input._on_key: not for this key
            await self.action_submit()

    async def action_submit(self) -> None:
        if self.composer is None:
            await super().action_submit()
            return
        self.composer.text = self.text
        outcome = self.composer.submit()
        if outcome.text is not None:
            self.set_text(outcome.text)
        self.post_message(self.Saved(outcome))

    class Pasted(Message):
        def __init__(self, length: int) -> None:
            super().__init__()
            self.length = length

    @property
    def text(self) -> str:
        """The note as typed, with real line breaks."""
        return from_input(self.value)

    def set_text(self, text: str) -> None:
        self.value = to_input(text)
        self.cursor_position = len(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Input._on_paste would insert the first line a second time
        text = clean_paste(event.text)
        if not text:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)
        self.post_message(self.Pasted(len(text)))
