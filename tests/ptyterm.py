"""Running kring in a real pseudo-terminal, reading the screen as a person would.

pyte emulates the terminal, so tests can wait for text to appear (polling the
screen, never sleeping for a timer), press keys, kill the process or hang up.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import fcntl
from pathlib import Path

import pyte

KRING = str(Path(sys.executable).with_name("kring"))

KEYS = {"space": " ", "enter": "\r", "escape": "\x1b", "tab": "\t", "backspace": "\x7f", "ctrl+c": "\x03"}


def kring_env(tmp_path: Path, db: str, **extra: str) -> dict[str, str]:
    """The environment for a kring child: its own home, config, store and language."""
    return {
        "KRING_DB": db,
        "KRING_LANG": "nl",
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_STATE_HOME": str(tmp_path / "xdg-state"),
        "KRING_CONFIG_DIR": str(tmp_path / "config"),
        **extra,
    }


def open_store(env: dict[str, str]):
    """The store a kring child writes to, opened in the test's own process."""
    from kring.data.store import Store

    return Store.open(env["KRING_DB"])


def wait_until(check, timeout: float = 20.0):
    """Poll the store (written by another process) until `check()` is truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("the store never showed it")


def _controlling_terminal() -> None:
    """In the child: a session of its own with the pty as controlling terminal,
    as sshd gives a login, so closing the master side sends SIGHUP."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    def __init__(self, *args: str, env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.cols, self.rows = size
        self.screen = pyte.Screen(self.cols, self.rows)
        self.stream = pyte.ByteStream(self.screen)
        self.bytes_read = 0
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        full_env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **env}
        full_env.pop("TEXTUAL", None)
        self.proc = subprocess.Popen(
            [KRING, *args], stdin=slave, stdout=slave, stderr=slave, env=full_env,
            preexec_fn=_controlling_terminal, close_fds=True,
        )
        os.close(slave)
        self.master: int | None = master

    def pump(self, timeout: float = 0.05) -> None:
        if self.master is None:
            return
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            self.received(data)
            self.bytes_read += len(data)
            self.stream.feed(data)

    def received(self, data: bytes) -> None:
        """Every byte the program wrote, as it arrives (a subclass may keep it)."""

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if needle in self.text():
                return self.text()
            if self.proc.poll() is not None:
                self.pump()
                break
        raise AssertionError(f"{needle!r} did not appear; screen:\n{self.text()}")

    def press(self, *keys: str) -> None:
        assert self.master is not None
        for key in keys:
            os.write(self.master, KEYS.get(key, key).encode())
            self.pump(0.02)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        os.killpg(self.proc.pid, sig)
        self.proc.wait(10)
        self.close()

    def hang_up(self) -> None:
        """What a dropped SSH connection does: the terminal's master side goes away."""
        self.close()

    def close(self) -> None:
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)
        self.close()
