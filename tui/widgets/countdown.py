"""The agenda's big countdown: Textual's Digits, rewriting only what changed.

A tick changes one digit most seconds, yet Digits repaints all three lines of
its picture, and Textual sends a widget's line from its left edge up to the
last cell that changed. Here every character is a small widget of its own, so
a tick sends the three lines of one glyph (the screen may travel over SSH on a
weak link). It is still a Digits: `value` and `update` work as before, and the
picture is the same (left-aligned, the same font, colour and boldness, which
the glyphs inherit from the countdown's style and classes).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD
from textual.widget import Widget
from textual.widgets import Digits


def _width(character: str) -> int:
    return 3 if character in DIGITS else 1  # as Textual's Digits counts


class _GlyphPicture:
    """One character of the Digits font, three lines high."""

    def __init__(self, character: str, style: Style) -> None:
        self.character = character
        self.style = style

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204
        font = DIGITS3X3_BOLD if self.style.bold else DIGITS3X3
        character = "•" if self.character == "." else self.character
        try:
            position = DIGITS.index(character) * 3
        except ValueError:
            rows = [" ", " ", character]
        else:
            rows = [font[position + r].ljust(3) for r in range(3)]
        new_line = Segment.line()
        for row in rows:
            yield Segment(row, self.style)
            yield new_line


class Glyph(Widget):
    """A character of the countdown."""

    DEFAULT_CSS = """
    Glyph { width: 3; height: 3; }
    Glyph.-narrow { width: 1; }
    """

    def __init__(self, character: str) -> None:
        super().__init__()
        self.character = character
        self.set_class(_width(character) == 1, "-narrow")

    def show(self, character: str) -> None:
        if character != self.character:
            self.character = character
            self.refresh()

    def render(self) -> _GlyphPicture:
        return _GlyphPicture(self.character, self.rich_style)


class Countdown(Digits):
    """A Digits for a ticking clock: each tick repaints only the glyphs that changed."""

    DEFAULT_CSS = """
    Countdown { layout: horizontal; }
    """

    def compose(self) -> ComposeResult:
        for character in self.value:
            yield Glyph(character)

    def update(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("value must be a str")
        old = self.value
        self._value = value
        if not self.is_mounted:
            return
        glyphs = list(self.query_children(Glyph))
        if len(value) == len(old) == len(glyphs) and all(_width(a) == _width(b) for a, b in zip(old, value)):
            for glyph, character in zip(glyphs, value):
                glyph.show(character)
            return
        # another shape (a sign, an hour more): lay the glyphs out again
        self.remove_children()
        self.mount_all([Glyph(character) for character in value])
        self.refresh(layout=True)

    def render(self) -> "_Ground":
        return _Ground(self.rich_style)  # the glyphs paint the picture; this paints the ground


class _Ground:
    """The countdown's ground in its own style, as Digits pads its picture."""

    def __init__(self, style: Style) -> None:
        self.style = style

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204
        line = Segment(" " * options.max_width, self.style)
        for _ in range(3):
            yield line
            yield Segment.line()
