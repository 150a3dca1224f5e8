"""A dropped SSH connection (SIGHUP): save what we have and leave cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import Any, Callable


class HangUp:
    """While installed, SIGHUP calls `leave` on the event loop with the terminal gone."""

    def __init__(self, leave: Callable[[], Any]) -> None:
        self._leave = leave
        self._old: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        try:
            self._loop = asyncio.get_running_loop()
            self._old = signal.signal(signal.SIGHUP, self._hung_up)
        except (RuntimeError, ValueError, AttributeError):  # not the main thread, or no SIGHUP here
            self._old = None

    def restore(self) -> None:
        if self._old is not None:
            try:
                signal.signal(signal.SIGHUP, self._old)
            except ValueError:
                pass
            self._old = None

    def _hung_up(self, _signum: int, _frame: Any) -> None:
        """Runs as a plain signal handler, before the SIGCONT the kernel sends with a
        hang-up: Textual would restart the screen on it and write to a terminal that
        is gone. Writing there fails (EIO), and a writer thread that dies of it can
        leave the shutdown waiting forever. Nobody reads the terminal any more, so
        what is still written goes nowhere, and the app exits (flushing the outbox).
        """
        signal.signal(signal.SIGCONT, signal.SIG_DFL)
        try:
            sink = os.open(os.devnull, os.O_WRONLY)
            os.dup2(sink, 1)
            os.dup2(sink, 2)
            os.close(sink)
        except OSError:
            pass
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._leave)
