"""Reading kring's big countdown back off a terminal screen (pyte's lines): in the
Digits font of a small window, or in the scaled bitmap of a larger one."""

from __future__ import annotations

import re

from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD

from kring.tui.widgets.countdown import FULL, big_rows, glyph_width, scale_for, text_height

_GLYPHS: dict[tuple[str, str, str], str] = {}
for _font in (DIGITS3X3_BOLD, DIGITS3X3):
    for _i, _ch in enumerate(DIGITS):
        if _ch in "0123456789:+-":
            rows = tuple(_font[_i * 3 + r].ljust(3) for r in range(3))
            _GLYPHS.setdefault(rows, _ch)  # type: ignore[arg-type]

_VALUE = re.compile(r"^\+?\d{2,3}:\d{2}$")


def decode_at(lines: list[str], top: int, left: int) -> str | None:
    out = []
    x = left
    while x + 3 <= len(lines[top]):
        cell = tuple(lines[top + r][x:x + 3] for r in range(3))
        ch = _GLYPHS.get(cell)
        if ch is None:
            break
        out.append(ch)
        x += 3
    value = "".join(out)
    return value if _VALUE.match(value) else None


# the scales the clock takes (kring.tui.widgets.countdown.scale_for) up to 300x100
_SCALES = [(sx, sy) for sy in range(1, 7) for sx in range(sy, 2 * sy + 1)]


def decode_big_at(lines: list[str], top: int, left: int, scale: tuple[int, int]) -> str | None:
    height = text_height(scale)
    if top + height > len(lines):
        return None
    out = []
    x = left
    while True:
        for ch in "0123456789:+":
            width = glyph_width(ch, scale)
            rows = big_rows(ch, scale)
            if all(lines[top + r][x:x + width].ljust(width) == rows[r] for r in range(height)):
                out.append(ch)
                x += width
                break
        else:
            break
    value = "".join(out)
    return value if _VALUE.match(value) else None


def read_countdown(lines: list[str], size: tuple[int, int] | None = None) -> str | None:
    """The big countdown's text (e.g. '09:58' or '+01:02'), or None when not on screen.

    With the window's `size` (columns, rows) it is read at the one scale that window
    gives the clock (scale_for), as a benchmark that reads every few milliseconds
    wants; without it, at any scale."""
    if size is None:
        scales = _SCALES
    else:
        given = scale_for(*size)
        scales = [given] if given else []
    for top, line in enumerate(lines if scales else []):
        if FULL not in line:
            continue
        for left in range(0, 4):
            for scale in scales:
                value = decode_big_at(lines, top, left, scale)
                if value:
                    return value
        break  # the clock's top row is the first with a block in it
    for top in range(len(lines) - 2):
        row = lines[top + 1]
        if ":" not in row:
            continue
        for left in range(0, 4):
            value = decode_at(lines, top, left)
            if value:
                return value
    return None


def seconds_of(value: str) -> int:
    """'09:58' -> 598 (remaining); '+01:02' -> -62 (over)."""
    sign = -1 if value.startswith("+") else 1
    minutes, seconds = value.lstrip("+").split(":")
    return sign * (int(minutes) * 60 + int(seconds))
