"""A pseudo-terminal for the benchmarks: run a program as a person's terminal
would, count every byte it writes, and read the screen with pyte.

Unlike the test helper this one runs any command, keeps a timestamped record
of what arrived, and can wait until a condition on the screen holds.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from typing import Callable, Sequence

import pyte

BIN = Path(sys.executable).parent
KRING = str(BIN / "kring")
PYTHON = sys.executable

KEYS = {"space": " ", "enter": "\r", "escape": "\x1b", "tab": "\t", "backspace": "\x7f", "ctrl+c": "\x03"}


def _controlling_terminal() -> None:
    # a session of its own with the pty as controlling terminal, as sshd gives a login
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Timeout(Exception):
    pass


class Term:
    """One program in one pseudo-terminal of `cols` x `rows`."""

    def __init__(self, argv: Sequence[str], *, env: dict[str, str], size: tuple[int, int] = (80, 24),
                 screen: bool = True) -> None:
        self.cols, self.rows = size
        self.screen = pyte.Screen(self.cols, self.rows) if screen else None
        self.stream = pyte.ByteStream(self.screen) if screen else None
        self.bytes_read = 0
        self.chunks: list[tuple[float, int]] = []  # (monotonic time, bytes) as they arrived
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", "COLUMNS": str(self.cols),
                    "LINES": str(self.rows), **env}
        for noisy in ("TEXTUAL", "TEXTUAL_DEBUG", "TEXTUAL_DEVTOOLS_PORT"):
            full_env.pop(noisy, None)
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=full_env,
            preexec_fn=_controlling_terminal, close_fds=True,
        )
        os.close(slave)
        self.master: int | None = master

    # --- reading ----------------------------------------------------------------------

    def pump(self, timeout: float = 0.02) -> int:
        """Read what is waiting (up to `timeout` for the first byte); returns bytes read."""
        if self.master is None:
            return 0
        # Read everything waiting before parsing any of it: pyte takes milliseconds
        # for a full screen, and a frame arrives in pieces of the pty's buffer size,
        # so parsing between reads stamped the later pieces late (bigger frames most).
        arrived: list[tuple[float, bytes]] = []
        wait = timeout
        while True:
            ready, _, _ = select.select([self.master], [], [], wait)
            if not ready:
                break
            try:
                data = os.read(self.master, 65536)
            except OSError:
                break
            if not data:
                break
            arrived.append((time.monotonic(), data))
            wait = 0  # drain what is there, then return
        got = 0
        for now, data in arrived:
            got += len(data)
            self.bytes_read += len(data)
            self.chunks.append((now, len(data)))
            if self.stream is not None:
                self.stream.feed(data)
        return got

    def text(self) -> str:
        return "\n".join(self.screen.display) if self.screen is not None else ""

    def wait_until(self, test: Callable[[str], bool], timeout: float = 30.0, poll: float = 0.005) -> float:
        """Pump until `test(screen text)` holds; returns the monotonic time it first held."""
        deadline = time.monotonic() + timeout
        while True:
            if self.pump(poll) and test(self.text()):
                return self.chunks[-1][0]
            if time.monotonic() > deadline:
                raise Timeout(f"screen did not show what was awaited; it shows:\n{self.text()}")
            if self.proc.poll() is not None:
                self.pump(0.1)
                if test(self.text()):
                    return self.chunks[-1][0]
                raise Timeout(f"the program ended (status {self.proc.returncode}); screen:\n{self.text()}")

    def wait_for(self, needle: str, timeout: float = 30.0) -> float:
        if needle in self.text():
            return time.monotonic()
        return self.wait_until(lambda t: needle in t, timeout)

    def drain(self, seconds: float) -> int:
        """Read everything for `seconds`; returns the bytes that arrived."""
        before = self.bytes_read
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            self.pump(min(left, 0.05))
        return self.bytes_read - before

    # --- writing -----------------------------------------------------------------------

    def send(self, text: str) -> float:
        assert self.master is not None
        t = time.monotonic()
        os.write(self.master, KEYS.get(text, text).encode())
        return t

    # --- ending -------------------------------------------------------------------------

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(3)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(10)
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def __enter__(self) -> "Term":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
