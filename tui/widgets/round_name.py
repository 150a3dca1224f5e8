"""A name in letters three rows high, so the back of the room can read whose turn it is.

The glyphs match the heavy box-drawing style of the countdown's Digits. Accents
are dropped (Zoë reads as ZOE); a name with a character the font lacks, or
one too wide for the space, is shown as plain bold text on one line instead.
"""

from __future__ import annotations

import unicodedata

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

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


def letters(name: str) -> list[tuple[str, str, str]] | None:
    """The glyphs of a name, or None if a character has none."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    plain = plain.replace("’", "'").replace("ß", "SS")
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


class BigName(Widget):
    """Whose turn it is: three rows high when it fits, plain bold otherwise."""

    DEFAULT_CSS = """
    BigName { height: auto; width: 1fr; text-style: bold; }
    """

    def __init__(self, name: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = name

    def show(self, name: str) -> None:
        if name != self.text:
            self.text = name
            self.refresh(layout=True)

    def _fits(self, width: int) -> bool:
        size = big_width(self.text)
        return 0 < size <= width

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return min(big_width(self.text) or len(self.text), container.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self.text:
            return 0
        return 3 if self._fits(width) else 1

    def render(self) -> Text:
        if not self.text:
            return Text("")
        if self._fits(self.content_size.width):
            return Text("\n".join(big_lines(self.text) or []), no_wrap=True, overflow="crop")
        return Text(self.text, no_wrap=True, overflow="ellipsis")
