"""The agenda's big countdown, in the font of Textual's Digits, drawn by two widgets.

Textual sends a changed line of the screen from the left edge of the widget
that changed: a tick that changes the last digit would resend the whole
picture if it were one widget (the screen may travel over SSH on a weak link).
So the last character is a widget of its own, and the rest another: most
ticks send three lines of one glyph. Two, not one a character, because every
widget mounted before the first frame costs start-up time. The picture is
Digits' own: left-aligned, the same font (bold when the style is bold), colour
and ground.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.geometry import Size
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


class _Glyphs(Widget):
    """Some characters of the countdown, drawn in the Digits font."""

    DEFAULT_CSS = """
    _Glyphs { width: auto; height: 3; }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def show(self, text: str) -> None:
        if text != self.text:
            layout = sum(map(glyph_width, text)) != sum(map(glyph_width, self.text))
            self.text = text
            self.refresh(layout=layout)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return sum(glyph_width(c) for c in self.text)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return HEIGHT

    def render_line(self, y: int) -> Strip:
        style: Style = self.rich_style
        width = self.size.width
        if not 0 <= y < HEIGHT:
            return Strip.blank(width, style)
        line = "".join(glyph_rows(c, bool(style.bold))[y] for c in self.text)
        return Strip([Segment(line, style)]).crop_extend(0, width, style)


class Countdown(Widget):
    """A ticking clock in big digits: `value` and `update(value)`, as Digits has."""

    DEFAULT_CSS = """
    Countdown { layout: horizontal; width: auto; height: 3; }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._value = value
        self._head = _Glyphs(value[:-1])
        self._tail = _Glyphs(value[-1:])

    def compose(self) -> ComposeResult:
        yield self._head
        yield self._tail

    @property
    def value(self) -> str:
        return self._value

    def update(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("value must be a str")
        self._value = value
        self._head.show(value[:-1])
        self._tail.show(value[-1:])

    def render(self) -> str:
        return ""  # the glyphs paint the picture; this paints the ground beside them
