"""The same picture in fewer bytes: a style goes to the terminal once, not once a run of cells.

Textual writes each run of cells as `ESC[style m` text `ESC[0m`, and each changed
line after a move of the cursor. A tick of the big clock changes the lines of
one glyph, and its truecolor style (`ESC[1;38;2;255;255;255;48;2;0;0;0m`, 38
bytes with the reset) went out once a line for a few cells each: half of all
the bytes of an idle agenda (the screen may travel over SSH on a weak link).

This writer keeps in mind the style the terminal has. A reset is held back
until something depends on it, and a style the terminal already has is not
sent again; moving the cursor does not depend on the style, so moves pass in
between (and a move followed by another goes out as the second alone).
Anything else (text, erasing, which fills with the background colour, a line
feed, which may scroll, any other sequence) first brings the terminal to the
style Textual meant. At the end of every write the terminal has the
style Textual left it in, so whatever is written next finds what it expects.
"""

from __future__ import annotations

import re
from typing import Any

# An escape sequence (CSI, OSC, or ESC and one character) or a line feed; between them, text.
_PIECE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|.)|\n", re.DOTALL)
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_MOVE = re.compile(r"\x1b\[[0-9;]*[HfABCDEFGd]")  # cursor moves
_MODE = re.compile(r"\x1b\[\?([0-9;]*)[hl]")
_SAVING_MODES = {"47", "1047", "1048", "1049"}  # the alternate screens save and restore the style
_GOTO = re.compile(r"\x1b\[(\d*)(?:;\d*)?[Hf]")  # the row an absolute move goes to


class LeanWriter:
    """Rewrites what Textual writes; one for each terminal (it remembers that terminal's style)."""

    def __init__(self) -> None:
        # The SGR parameters since the last reset ("": none) the terminal has, and those
        # Textual has set; None after a sequence that may have changed the style (ESC 8
        # restores one): then the terminal has what Textual meant, whatever it is.
        self._sent: str | None = ""
        self._meant: str | None = ""
        self._margins = False  # a scrolling region was set: any line feed may scroll (Textual sets none)

    def __call__(self, data: str) -> str:
        out: list[str] = []
        pieces = self._pieces(data)
        rows = [int(goto.group(1) or 1) for goto in map(_GOTO.fullmatch, pieces) if goto is not None]
        lowest = max(rows, default=0)  # the screen has at least this many rows
        row: int | None = None  # the row of the last absolute move (Textual writes no line past its end)
        for at, piece in enumerate(pieces):
            sgr = _SGR.fullmatch(piece)
            if sgr is not None:
                self._style(sgr.group(1), out)
            elif piece == "\n":
                # Textual writes a feed after each changed line and then moves the cursor where
                # it writes next: the feed does nothing unless it scrolls, which it cannot do
                # above a row this write goes to (and with no scrolling region set)
                moves_next = at + 1 < len(pieces) and _GOTO.fullmatch(pieces[at + 1]) is not None
                if not (moves_next and row is not None and row < lowest and not self._margins):
                    self._settle(out)
                    out.append(piece)
                    row = None
            elif piece.startswith("\x1b"):
                if not _keeps_style(piece):
                    self._settle(out)
                    out.append(piece)
                    self._sent = self._meant = row = None
                    self._margins = self._margins or piece.endswith("r") and not piece.startswith("\x1b[?")
                    continue
                goto = _GOTO.fullmatch(piece)
                row = int(goto.group(1) or 1) if goto is not None else None
                out.append(piece)
            else:
                if piece.strip("\r"):
                    self._settle(out)
                out.append(piece)
        self._settle(out)
        # a move straight on to another place (a feed dropped between, an empty piece of a
        # line): only the second counts
        return "".join(piece for piece, then in zip(out, out[1:] + [""])
                       if not (_MOVE.fullmatch(piece) and _GOTO.fullmatch(then)))

    @staticmethod
    def _pieces(data: str) -> list[str]:
        pieces: list[str] = []
        start = 0
        for match in _PIECE.finditer(data):
            if match.start() > start:
                pieces.append(data[start:match.start()])
            pieces.append(match.group())
            start = match.end()
        if start < len(data):
            pieces.append(data[start:])
        return pieces

    def _style(self, parameters: str, out: list[str]) -> None:
        if parameters in ("", "0"):
            self._meant = ""
        elif parameters.startswith("0;"):
            self._meant = parameters[2:]
        elif self._meant == "":
            self._meant = parameters  # Rich's way: a whole style after a reset
        else:
            # a style laid over another: send both as they came
            self._settle(out)
            out.append(f"\x1b[{parameters}m")
            if self._meant is not None:
                self._meant = f"{self._meant};{parameters}"
            self._sent = self._meant

    def _settle(self, out: list[str]) -> None:
        """Give the terminal the style Textual meant, if it has another."""
        if self._meant is None or self._meant == self._sent:
            return
        if not self._meant:
            out.append("\x1b[0m")
        elif self._sent == "":
            out.append(f"\x1b[{self._meant}m")
        else:
            out.append(f"\x1b[0;{self._meant}m")
        self._sent = self._meant


def _keeps_style(sequence: str) -> bool:
    """A cursor move, or a mode that neither uses nor changes the style (the cursor's
    visibility, the mouse, synchronised output)."""
    if _MOVE.fullmatch(sequence):
        return True
    mode = _MODE.fullmatch(sequence)
    return mode is not None and not _SAVING_MODES & set(mode.group(1).split(";"))


_LEAN: dict[type, type] = {}


def lean_driver(driver: type) -> type:
    """`driver` (a Textual Driver class) writing through a LeanWriter, and on Linux reading
    through kring.tui.terminal_input (a byte that is not UTF-8, a paste holding escapes)."""
    if driver not in _LEAN:
        bases: tuple[type, ...] = (driver,)
        if hasattr(driver, "run_input_thread"):
            from kring.tui.terminal_input import TerminalInput

            bases = (TerminalInput, driver)

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            driver.__init__(self, *args, **kwargs)
            self._lean = LeanWriter()

        def write(self: Any, data: str) -> None:
            driver.write(self, self._lean(data))

        _LEAN[driver] = type(f"Lean{driver.__name__}", bases, {"__init__": __init__, "write": write})
    return _LEAN[driver]
