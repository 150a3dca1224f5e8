"""A name in big letters, so the back of the room can read whose turn it is.

Where the agenda's countdown is drawn in scaled blocks (`rescale` gives the
largest scale the name may take), the name is drawn by the same machinery
(`kring.tui.widgets.countdown.big_rows`) from a 3x5 letter bitmap, at the
largest scale up to that which fits its width. Otherwise, and when the scaled
letters do not fit, the glyphs are three rows high in the heavy box-drawing
style of the countdown's Digits. Accents are dropped (Zoë reads as ZOE); a
name with a character the fonts lack, or one too wide for the space, is shown
as plain bold text on one line instead.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from kring.tui.widgets.countdown import BITMAP, BITMAP_ROWS, big_rows, text_width

GLYPHS: dict[str, tuple[str, str, str]] = {
    "A": ("┏━┓", "┣━┫", "╹ ╹"),
    "B": ("┏┓ ", "┣┻┓", "┗━┛"),
    "C": ("┏━╸", "┃  ", "┗━╸"),
    "D": ("┏━┓", "┃ ┃", "┻━┛"),
    "E": ("┏━╸", "┣━ ", "┗━╸"),
    "F": ("┏━╸", "┣━ ", "╹  "),
    "G": ("┏━╸", "┃╺┓", "┗━┛"),
    "H": ("╻ ╻", "┣━┫", "╹ ╹"),
    "I": ("╻", "┃", "╹"),
    "J": ("  ╻", "  ┃", "┗━┛"),
    "K": ("╻ ╻", "┣┳┛", "╹┗╸"),
    "L": ("╻  ", "┃  ", "┗━╸"),
    "M": ("┏┳┓", "┃╹┃", "╹ ╹"),
    "N": ("┏┓╻", "┃┃┃", "╹┗┛"),
    "O": ("┏━┓", "┃ ┃", "┗━┛"),
    "P": ("┏━┓", "┣━┛", "╹  "),
    "Q": ("┏━┓", "┃ ┃", "┗━╋"),
    "R": ("┏━┓", "┣┳┛", "╹┗╸"),
    "S": ("┏━╸", "┗━┓", "╺━┛"),
    "T": ("╺┳╸", " ┃ ", " ╹ "),
    "U": ("╻ ╻", "┃ ┃", "┗━┛"),
    "V": ("╻  ╻", "┗┓┏┛", " ┗┛ "),
    "W": ("╻ ╻", "┃┃┃", "┗┻┛"),
    "X": ("╲ ╱", " ╳ ", "╱ ╲"),
    "Y": ("╻ ╻", "┗┳┛", " ╹ "),
    "Z": ("╺━┓", "┏━┛", "┗━╸"),
    "0": ("┏━┓", "┃ ┃", "┗━┛"),
    "1": ("╺┓", " ┃", "╺┻╸"),
    "2": ("╺━┓", "┏━┛", "┗━╸"),
    "3": ("╺━┓", " ━┫", "╺━┛"),
    "4": ("╻ ╻", "┗━┫", "  ╹"),
    "5": ("┏━╸", "┗━┓", "╺━┛"),
    "6": ("┏━╸", "┣━┓", "┗━┛"),
    "7": ("╺━┓", "  ┃", "  ╹"),
    "8": ("┏━┓", "┣━┫", "┗━┛"),
    "9": ("┏━┓", "┗━┫", "╺━┛"),
    " ": ("  ", "  ", "  "),
    "-": ("   ", "╺━╸", "   "),
    "'": ("╻", " ", " "),
    ".": (" ", " ", "╹"),
}


# Letters of BITMAP_ROWS pixel rows for the scaled name, beside the countdown's digits.
LETTERS: dict[str, tuple[str, ...]] = {
    **BITMAP,
    "A": ("###", "# #", "###", "# #", "# #"),
    "B": ("## ", "# #", "## ", "# #", "## "),
    "C": ("###", "#  ", "#  ", "#  ", "###"),
    "D": ("## ", "# #", "# #", "# #", "## "),
    "E": ("###", "#  ", "## ", "#  ", "###"),
    "F": ("###", "#  ", "## ", "#  ", "#  "),
    "G": ("###", "#  ", "# #", "# #", "###"),
    "H": ("# #", "# #", "###", "# #", "# #"),
    "I": ("###", " # ", " # ", " # ", "###"),
    "J": ("  #", "  #", "  #", "# #", "###"),
    "K": ("# #", "# #", "## ", "# #", "# #"),
    "L": ("#  ", "#  ", "#  ", "#  ", "###"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#  #", "## #", "# ##", "#  #", "#  #"),
    "O": ("###", "# #", "# #", "# #", "###"),
    "P": ("###", "# #", "###", "#  ", "#  "),
    "Q": ("###", "# #", "# #", "## ", " ##"),
    "R": ("## ", "# #", "## ", "# #", "# #"),
    "S": ("###", "#  ", "###", "  #", "###"),
    "T": ("###", " # ", " # ", " # ", " # "),
    "U": ("# #", "# #", "# #", "# #", "###"),
    "V": ("# #", "# #", "# #", "# #", " # "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "X": ("# #", "# #", " # ", "# #", "# #"),
    "Y": ("# #", "# #", " # ", " # ", " # "),
    "Z": ("###", "  #", " # ", "#  ", "###"),
    "'": ("#", " ", " ", " ", " "),
}
assert all(len(rows) == BITMAP_ROWS for rows in LETTERS.values())


def plain_upper(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    return plain.replace("’", "'").replace("ß", "SS")


def scaled_lines(name: str, scale: tuple[int, int]) -> list[str] | None:
    """The name from the letter bitmap at `scale`, or None if a character has no letter."""
    plain = plain_upper(name)
    if not plain or any(c not in LETTERS for c in plain):
        return None
    glyphs = [big_rows(c, scale, LETTERS) for c in plain]
    return ["".join(g[row] for g in glyphs).rstrip() for row in range(BITMAP_ROWS * scale[1])]


def scaled_width(name: str, scale: tuple[int, int]) -> int:
    """Cells the scaled name takes, without the gap after its last letter."""
    plain = plain_upper(name)
    return text_width(plain, scale, LETTERS) - scale[0]


def letters(name: str) -> list[tuple[str, str, str]] | None:
    """The glyphs of a name, or None if a character has none."""
    plain = plain_upper(name)
    out = []
    for char in plain:
        glyph = GLYPHS.get(char)
        if glyph is None:
            return None
        out.append(glyph)
    return out


def big_lines(name: str) -> list[str] | None:
    glyphs = letters(name)
    if not glyphs:
        return None
    return [" ".join(g[row] for g in glyphs) for row in range(3)]


def big_width(name: str) -> int:
    lines = big_lines(name)
    return len(lines[0]) if lines else 0


def name_limit(clock: tuple[int, int] | None) -> tuple[int, int] | None:
    """The largest scale of the speaker's name (or the clock's word, PAUZE) beside a countdown of scale `clock`: a step
    smaller, so the name, whose turn it is and the order fit beside the clock's rows;
    None (box-drawing letters) where the clock is only five rows high or less."""
    if clock is None or clock[1] < 2:
        return None
    rows = clock[1] - 1
    return 2 * rows, rows


class BigName(Widget):
    """Whose turn it is: as large as `rescale` allows and the width takes, three rows
    high in box-drawing letters when that is all that fits, plain bold otherwise."""

    DEFAULT_CSS = """
    BigName { height: auto; width: 1fr; text-style: bold; }
    """

    def __init__(self, name: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = name
        self.limit: tuple[int, int] | None = None  # the largest scale; None: box-drawing letters at most
        self.grow = True  # False: box-drawing letters at most (a name that waits for its turn)

    def show(self, name: str, *, grow: bool = True) -> None:
        if name != self.text or grow != self.grow:
            self.text, self.grow = name, grow
            self.refresh(layout=True)

    def rescale(self, limit: tuple[int, int] | None) -> None:
        if limit != self.limit:
            self.limit = limit
            self.refresh(layout=True)

    def scale_in(self, width: int) -> tuple[int, int] | None:
        """The largest scale up to `limit` at which the name fits `width` cells: rows
        first, then pixels as wide as the countdown's (twice as wide as high) or narrower."""
        if self.limit is None or not self.grow or scaled_lines(self.text, (1, 1)) is None:
            return None
        most_x, most_y = self.limit
        for sy in range(most_y, 0, -1):
            for sx in range(min(most_x, 2 * sy), sy - 1, -1):
                if scaled_width(self.text, (sx, sy)) <= width:
                    return sx, sy
        return None

    def _fits(self, width: int) -> bool:
        size = big_width(self.text)
        return 0 < size <= width

    def get_content_width(self, container: Size, viewport: Size) -> int:
        scale = self.scale_in(container.width)
        wide = scaled_width(self.text, scale) if scale else big_width(self.text) or len(self.text)
        return min(wide, container.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self.text:
            return 0
        scale = self.scale_in(width)
        if scale is not None:
            return BITMAP_ROWS * scale[1]
        return 3 if self._fits(width) else 1

    def render(self) -> Text:
        if not self.text:
            return Text("")
        width = self.content_size.width
        scale = self.scale_in(width)
        if scale is not None:
            return Text("\n".join(scaled_lines(self.text, scale) or []), no_wrap=True, overflow="crop")
        if self._fits(width):
            return Text("\n".join(big_lines(self.text) or []), no_wrap=True, overflow="crop")
        return Text(self.text, no_wrap=True, overflow="ellipsis")
