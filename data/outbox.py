"""Writes that must not be lost, done in order off the UI thread.

A write that fails (store locked past its timeout, read-only, disk full, server
gone) is kept and tried again with back-off; nothing is dropped. The owner is
told when writing fails and when it works again, so the screen can say so.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from typing import Callable

Write = Callable[[], object]


class Outbox:
    def __init__(
        self,
        on_error: Callable[[str], None] = lambda msg: None,
        on_ok: Callable[[], None] = lambda: None,
        retry_after: float = 0.5,
        max_retry_after: float = 5.0,
    ) -> None:
        self._queue: "queue.Queue[Write | None]" = queue.Queue()
        self._pending: deque[Write] = deque()
        self._on_error, self._on_ok = on_error, on_ok
        self._retry_after, self._max_retry_after = retry_after, max_retry_after
        self._idle = threading.Event()
        self._idle.set()
        self._stop = threading.Event()
        self.failing: str | None = None  # the last error while a write waits for a retry
        self._thread = threading.Thread(target=self._run, name="kring-outbox", daemon=True)
        self._thread.start()

    def put(self, write: Write) -> None:
        self._idle.clear()
        self._queue.put(write)

    @property
    def waiting(self) -> int:
        return self._queue.qsize() + (0 if self._idle.is_set() else 1)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued is written; False if it could not be in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._idle.wait(0.05) and self._queue.empty():
                return True
        return False

    def close(self, timeout: float = 5.0) -> bool:
        done = self.flush(timeout)
        self._stop.set()
        self._queue.put(None)
        return done

    def _run(self) -> None:
        while True:
            write = self._queue.get()
            if write is None:
                return
            delay = self._retry_after
            while True:
                try:
                    write()
                except Exception as exc:  # noqa: BLE001 - kept and retried whatever it was
                    self.failing = _one_line(exc)
                    self._on_error(self.failing)
                    if self._stop.wait(delay):
                        return
                    delay = min(delay * 2, self._max_retry_after)
                    continue
                if self.failing is not None:
                    self.failing = None
                    self._on_ok()
                break
            if self._queue.empty():
                self._idle.set()


def _one_line(exc: BaseException) -> str:
    msg = str(getattr(exc, "orig", None) or exc).strip()
    return msg.splitlines()[0] if msg else type(exc).__name__
