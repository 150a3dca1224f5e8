"""The benchmarks' screen reader reads the countdown as the widget draws it, at every scale."""

from __future__ import annotations

import pytest

from bench.screenread import read_countdown
from kring.tui.widgets.countdown import big_rows, glyph_rows, scale_for


def screen(value: str, scale: tuple[int, int] | None, size: tuple[int, int], at: tuple[int, int]) -> list[str]:
    """A pyte-like screen with the countdown drawn at `at` (row, column) and text around it."""
    width, height = size
    top, left = at
    lines = [" " * width for _ in range(height)]
    lines[0] = "Stap 1 van 5: Inchecken  10:00".ljust(width)
    pictures = [glyph_rows(c, True) if scale is None else big_rows(c, scale) for c in value]
    for r in range(len(pictures[0])):
        row = " " * left + "".join(p[r] for p in pictures) + "   Ronde: Ann ▶ Bob"
        lines[top + r] = row.ljust(width)[:width]
    return lines


@pytest.mark.parametrize("size", [(80, 24), (100, 40), (120, 36), (200, 60), (60, 15)])
@pytest.mark.parametrize("value", ["09:58", "10:00", "+01:02", "+00:00", "45:17", "100:00"])
def test_the_countdown_is_read_at_the_scale_the_window_gives(size, value):
    scale = scale_for(*size)
    assert read_countdown(screen(value, scale, size, (3, 1))) == value


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (200, 60), (60, 15), (40, 12)])
def test_given_the_window_size_it_reads_at_that_windows_scale(size):
    scale = scale_for(*size)
    assert read_countdown(screen("+01:02", scale, size, (3, 1)), size) == "+01:02"
    other = (scale[0] + 1, scale[1]) if scale else (1, 1)
    assert read_countdown(screen("+01:02", other, size, (3, 1)), size) is None  # not a scale this window gives


@pytest.mark.parametrize("scale", [(1, 1), (2, 1), (2, 2), (3, 2), (4, 2), (5, 3), (4, 4)])
def test_every_scale_reads(scale):
    assert read_countdown(screen("+12:34", scale, (120, 40), (2, 2))) == "+12:34"


def test_no_countdown_reads_none():
    assert read_countdown([" Stap 1 van 5 ".ljust(80)] + ["█" * 3 + " " * 77] * 5) is None
