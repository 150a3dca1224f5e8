"""Writes that must not be lost, done in order off the UI thread.

A write that fails (store locked past its timeout, read-only, disk full, server
gone) is kept and tried again with back-off; nothing is dropped. The owner is
told when writing fails and when it works again, so the screen can say so.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Callable

from kring.data.errors import first_line

Write = Callable[[], object]


class NotYet(Exception):
    """Raised by a write (or the outbox's `check`) that must wait a moment, nothing being
    wrong: tried again shortly, and not said as trouble."""


class Outbox:
    def __init__(
        self,
        on_error: Callable[[str], None] = lambda msg: None,
        on_ok: Callable[[], None] = lambda: None,
        retry_after: float = 0.5,
        max_retry_after: float = 5.0,
        check: Callable[[], None] | None = None,
    ) -> None:
        """`check` runs before each try of each write; it raises NotYet to hold the writes back."""
        self._check = check
        self._queue: "queue.Queue[Write | None]" = queue.Queue()
        self._on_error, self._on_ok = on_error, on_ok
        self._retry_after, self._max_retry_after = retry_after, max_retry_after
        # Writes put and not yet done (the one being tried included). Counted under
        # a lock: "everything is written" must never be seen while one is on its way.
        self._unfinished = 0
        self._done = threading.Condition()
        self._stop = threading.Event()
        self.failing: str | None = None  # the last error while a write waits for a retry
        self._thread = threading.Thread(target=self._run, name="kring-outbox", daemon=True)
        self._thread.start()

    def put(self, write: Write) -> None:
        with self._done:
            self._unfinished += 1
        self._queue.put(write)

    @property
    def waiting(self) -> int:
        """Writes not yet in the store."""
        with self._done:
            return self._unfinished

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued is written; False if it could not be in time."""
        deadline = time.monotonic() + timeout
        with self._done:
            while self._unfinished:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._done.wait(left)
        return True

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is queued (waiting at most `timeout`), then stop the thread.
        False if something could not be written: `waiting` says how much."""
        done = self.flush(timeout)
        self._stop.set()
        self._queue.put(None)
        self._thread.join(timeout=1.0)  # idle after a flush: it ends at once
        return done

    def _run(self) -> None:
        while True:
            write = self._queue.get()
            if write is None:
                return
            delay = self._retry_after
            while True:
                try:
                    if self._check is not None:
                        self._check()
                    write()
                except NotYet:
                    if self._stop.wait(min(delay, 0.1)):
                        return
                    continue
                except Exception as exc:  # noqa: BLE001 - kept and retried whatever it was
                    self.failing = first_line(exc)
                    self._on_error(self.failing)
                    if self._stop.wait(delay):
                        return
                    delay = min(delay * 2, self._max_retry_after)
                    continue
                if self.failing is not None:
                    self.failing = None
                    self._on_ok()
                break
            with self._done:
                self._unfinished -= 1
                self._done.notify_all()
