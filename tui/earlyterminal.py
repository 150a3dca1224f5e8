"""The terminal taken as a door starts, not a second later when Textual's driver starts.

Until a program changes them, a terminal's settings are the shell's: it echoes
each key, holds a line until Enter, and turns Enter into a line feed. A person
who types while kring starts (the note-taker, at once) saw the keys echoed on
the shell's screen, and an Enter arrived as ctrl+j, which no screen takes (the
check's "who is here?" ignored it). So a door with a screen sets the terminal's
input as Textual will, first thing: no echo, no line editing, Enter stays
Enter, ctrl+s and ctrl+q reach kring. Only ctrl+c still stops a start that goes
wrong, as before (Textual takes it over with the rest). The settings the
terminal had are put back when the command ends, and are what Textual's driver
puts back when it stops or is suspended (`taken_early`).

Keys that were typed before even this moment (between the shell's Enter and the
interpreter's start) have been cooked already: they are read at once and handed
to the driver to read first, a line feed as the Enter it was.
"""

from __future__ import annotations

import os
from typing import Any

# Textual's LinuxDriver settings, except ISIG (see above).
_original: list[Any] | None = None
_kept = b""


def take(fd: int = 0) -> None:
    """Set the terminal on `fd` for the screen to come (no-op if it is not a terminal, or taken)."""
    global _original, _kept
    if _original is not None:
        return
    import termios

    try:
        if not os.isatty(fd):
            return
        attrs = termios.tcgetattr(fd)
    except (OSError, termios.error):
        return
    taken = [list(a) if isinstance(a, list) else a for a in attrs]
    taken[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN)  # lflag
    taken[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR)  # iflag
    taken[6][termios.VMIN], taken[6][termios.VTIME] = 1, 0
    try:
        termios.tcsetattr(fd, termios.TCSANOW, taken)  # never a flush: what is typed stays
    except termios.error:
        return
    _original = attrs
    _kept = _cooked(fd, termios)


def _cooked(fd: int, termios: Any) -> bytes:
    """What waits already, typed under the shell's settings: Enter came as a line feed."""
    import array
    import fcntl

    waiting = array.array("i", [0])
    try:
        fcntl.ioctl(fd, termios.FIONREAD, waiting)
        return os.read(fd, waiting[0]).replace(b"\n", b"\r") if waiting[0] > 0 else b""
    except OSError:
        return b""


def give_back(fd: int = 0) -> None:
    """The terminal's own settings again (the command ends)."""
    global _original, _kept
    if _original is None:
        return
    import termios

    original, _original, _kept = _original, None, b""
    try:
        termios.tcsetattr(fd, termios.TCSANOW, original)
    except termios.error:
        pass


def taken_early(driver: type) -> type:
    """`driver` (a Textual driver class) that restores the terminal's own settings, not the
    ones it found, and reads the keys `take` found waiting before any other."""
    if not hasattr(driver, "run_input_thread"):
        return driver
    if driver not in _DRIVERS:
        _DRIVERS[driver] = type(f"Early{driver.__name__}", (_TakenEarly, driver), {})
    return _DRIVERS[driver]


_DRIVERS: dict[type, type] = {}


class _TakenEarly:
    def start_application_mode(self: Any) -> None:
        super().start_application_mode()  # type: ignore[misc]
        if _original is not None:
            self.attrs_before = _original

    def run_input_thread(self: Any) -> None:
        global _kept
        kept, _kept = _kept, b""
        if kept:
            from textual._xterm_parser import XTermParser

            parser = XTermParser(self._debug)
            for message in [*parser.feed(kept.decode("utf-8", "replace")), *_flushed(parser)]:
                self.process_message(message)
        super().run_input_thread()  # type: ignore[misc]


def _flushed(parser: Any) -> list[Any]:
    """What the parser still holds (an Escape on its own) at the end of the kept keys."""
    try:
        return list(parser.feed(""))
    except Exception:  # noqa: BLE001 - EOFError/ParseError: nothing more to give
        return []
