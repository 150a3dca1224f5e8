"""The agenda's big countdown, in the font of Textual's Digits, drawn as one widget.

A tick changes one digit most seconds. The countdown marks only that glyph's
cells for repaint, so the terminal gets the three lines of one glyph, not the
whole picture (the screen may travel over SSH on a weak link). It is one
widget, not one per character, because every widget mounted before the first
frame costs start-up time. The picture is Digits' own: left-aligned, the same
font (bold when the style is bold), colour and ground.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD
from textual.strip import Strip
from textual.widget import Widget

HEIGHT = 3


def glyph_width(character: str) -> int:
    return 3 if character in DIGITS else 1  # as Textual's Digits counts


def glyph_rows(character: str, bold: bool) -> list[str]:
    """The three lines of one character, `glyph_width` cells each."""
    font = DIGITS3X3_BOLD if bold else DIGITS3X3
    character = "•" if character == "." else character
    try:
        position = DIGITS.index(character) * 3
    except ValueError:
        return [" ", " ", character]
    return [font[position + r].ljust(3) for r in range(3)]


class Countdown(Widget):
    """A ticking clock in big digits: `value` and `update(value)`, as Digits has."""

    DEFAULT_CSS = """
    Countdown { width: auto; height: 3; }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._value = value

    @property
    def value(self) -> str:
        return self._value

    def update(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("value must be a str")
        old, self._value = self._value, value
        if old == value:
            return
        if len(old) != len(value) or any(glyph_width(a) != glyph_width(b) for a, b in zip(old, value)):
            self.refresh(layout=True)  # another shape (a sign, an hour more)
            return
        x = 0
        for before, now in zip(old, value):
            width = glyph_width(now)
            if before != now:
                self.refresh(Region(x, 0, width, HEIGHT))  # this glyph's cells only
            x += width

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return sum(glyph_width(c) for c in self._value)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return HEIGHT

    def render_line(self, y: int) -> Strip:
        style: Style = self.rich_style
        width = self.size.width
        if not 0 <= y < HEIGHT:
            return Strip.blank(width, style)
        text = "".join(glyph_rows(c, bool(style.bold))[y] for c in self._value)
        return Strip([Segment(text, style)]).crop_extend(0, width, style)
