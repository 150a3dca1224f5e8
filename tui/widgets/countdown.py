"""The agenda's big countdown, drawn by three widgets, as large as the window allows.

The digits are a 3x5 bitmap scaled by a whole factor in each direction and drawn
in full blocks (`Countdown.scale`): the farthest reader of a projected screen
needs letters about 1/150 of the distance high, so the clock grows with the
window (`scale_for`). Below the size where a scaled clock fits, it is the font
of Textual's Digits, three rows high.

Textual sends a changed line of the screen from the left edge of the widget
that changed: a tick that changes the last digit would resend the whole
picture if it were one widget (the screen may travel over SSH on a weak link).
So the last character is a widget of its own, the one before it (the tens of
seconds, every tenth tick) another, and the rest a third: a tick sends the
lines of the glyph that changed, not the minutes before it. Three, not one a
character, because every widget mounted before the first frame costs start-up time.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.geometry import Region, Size
from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD
from textual.strip import Strip
from textual.widget import Widget

HEIGHT = 3  # the Digits font

# A 3x5 bitmap a character ("#" is a pixel); ":" and "." are one pixel wide.
BITMAP: dict[str, tuple[str, ...]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", " ##", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
    ".": (" ", " ", " ", " ", "#"),
    "+": ("   ", " # ", "###", " # ", "   "),
    "-": ("   ", "   ", "###", "   ", "   "),
    " ": ("  ", "  ", "  ", "  ", "  "),
}
BITMAP_ROWS = 5
GAP = 1  # pixels after every glyph
FULL = "█"
# Share of the window the clock may take: a quarter of the rows and more at
# projector sizes, and room beside it for the round (see scale_for).
HEIGHT_SHARE = 0.3
WIDTH_SHARE = 0.66
WIDEST = "+00:00"  # the clock's size does not jump when a step runs over


def glyph_width(character: str, scale: tuple[int, int] | None = None,
                font: dict[str, tuple[str, ...]] = BITMAP) -> int:
    if scale is None:
        return 3 if character in DIGITS else 1  # as Textual's Digits counts
    bitmap = font.get(character)
    pixels = len(bitmap[0]) if bitmap else 3
    return (pixels + GAP) * scale[0]


def text_width(text: str, scale: tuple[int, int] | None = None, font: dict[str, tuple[str, ...]] = BITMAP) -> int:
    return sum(glyph_width(c, scale, font) for c in text)


def text_height(scale: tuple[int, int] | None) -> int:
    return HEIGHT if scale is None else BITMAP_ROWS * scale[1]


def glyph_rows(character: str, bold: bool) -> list[str]:
    """The three lines of one character in the Digits font, `glyph_width` cells each."""
    font = DIGITS3X3_BOLD if bold else DIGITS3X3
    character = "•" if character == "." else character
    try:
        position = DIGITS.index(character) * 3
    except ValueError:
        return [" ", " ", character]
    return [font[position + r].ljust(3) for r in range(3)]


def big_rows(character: str, scale: tuple[int, int], font: dict[str, tuple[str, ...]] = BITMAP) -> list[str]:
    """The lines of one character from the bitmap (another `font` of BITMAP_ROWS rows: the
    round's big name), each pixel `sx` cells by `sy` rows."""
    sx, sy = scale
    bitmap = font.get(character) or BITMAP["-"]
    out = []
    for line in bitmap:
        cells = "".join((FULL if pixel == "#" else " ") * sx for pixel in line) + " " * (GAP * sx)
        out += [cells] * sy
    return out


def scale_for(width: int, height: int) -> tuple[int, int] | None:
    """The clock's scale in a window of this size, or None for the Digits font.

    Rows first: five bitmap rows times `sy` within HEIGHT_SHARE of the window
    (80x24: 5 rows, 120x36: 10, 200x60: 15). Then columns: a pixel twice as
    wide as high looks square in a terminal's cells, narrower when the window
    is narrow, never narrower than high."""
    sy = int(height * HEIGHT_SHARE) // BITMAP_ROWS
    room = int(width * WIDTH_SHARE)
    while sy >= 1:
        for sx in range(2 * sy, sy - 1, -1):
            if text_width(WIDEST, (sx, sy)) <= room:
                return sx, sy
        sy -= 1
    return None


class _Glyphs(Widget):
    """Some characters of the countdown."""

    DEFAULT_CSS = """
    _Glyphs { width: auto; height: auto; }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.scale: tuple[int, int] | None = None

    def show(self, text: str) -> None:
        if text == self.text:
            return
        before = self.text
        self.text = text
        if text_width(text, self.scale) != text_width(before, self.scale):
            self.refresh(layout=True)
            return
        # Same size: repaint only the cells that changed (most ticks change a few rows
        # of one glyph; 9 -> 8 only the fourth pixel row), so fewer bytes go out.
        changed = []
        for y in range(text_height(self.scale)):
            old, new = self._line(before, y), self._line(text, y)
            if old == new:
                continue
            first = next(i for i, (a, b) in enumerate(zip(old, new)) if a != b)
            last = len(new) - next(i for i, (a, b) in enumerate(zip(reversed(old), reversed(new))) if a != b)
            changed.append(Region(first, y, last - first, 1))
        if changed:
            self.refresh(*changed)

    def _line(self, text: str, y: int) -> str:
        if self.scale is None:
            return "".join(glyph_rows(c, bool(self.rich_style.bold))[y] for c in text)
        return "".join(big_rows(c, self.scale)[y] for c in text)

    def rescale(self, scale: tuple[int, int] | None) -> None:
        if scale != self.scale:
            self.scale = scale
            self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return text_width(self.text, self.scale)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return text_height(self.scale)

    def render_line(self, y: int) -> Strip:
        style: Style = self.rich_style
        width = self.size.width
        if not 0 <= y < text_height(self.scale):
            return Strip.blank(width, style)
        line = self._line(self.text, y)
        return Strip([Segment(line, style)]).crop_extend(0, width, style)


class Countdown(Widget):
    """A ticking clock in big digits: `value` and `update(value)`, as Digits has;
    `rescale` sets its size (None: the Digits font)."""

    DEFAULT_CSS = """
    Countdown { layout: horizontal; width: auto; height: auto; }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._value = value
        self._parts = [_Glyphs(text) for text in self._split(value)]

    @staticmethod
    def _split(value: str) -> tuple[str, str, str]:
        """The minutes (and sign and colon), the tens of seconds, the last digit."""
        return value[:-2], value[-2:-1], value[-1:]

    def compose(self) -> ComposeResult:
        yield from self._parts

    @property
    def value(self) -> str:
        return self._value

    @property
    def scale(self) -> tuple[int, int] | None:
        return self._parts[0].scale

    def update(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError("value must be a str")
        self._value = value
        for part, text in zip(self._parts, self._split(value)):
            part.show(text)

    def rescale(self, scale: tuple[int, int] | None) -> None:
        for part in self._parts:
            part.rescale(scale)

    def render(self) -> str:
        return ""  # the glyphs paint the picture; this paints the ground beside them
