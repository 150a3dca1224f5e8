"""Following the store: a cheap change check a few times a second, in a Textual
thread worker that posts what it finds as messages (never touching a widget).

Only when the check's token differs is the meeting's snapshot loaded, there in
the worker, and handed to the UI as plain data (`StoreChanged`). A failing check
or load is said once (`FollowTrouble`), and again when it works once more; the
follower keeps looking either way.

The worker runs as long as the App: a test that waits for every worker to
finish (`app.workers.wait_for_complete()`) builds its App with `watch=False`.

On PostgreSQL the follower is told instead of asking (a `MeetingBell`, LISTEN/
NOTIFY): it checks when the bell rings, and every `BELL_CHECK` seconds besides;
should the bell's connection go, it polls at `interval` and tries a new bell now
and then.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from textual.message import Message
from textual.worker import NoActiveWorker, get_current_worker

from kring.data.errors import first_line
from kring.tui.messages import FollowTrouble, StoreChanged


class StoreFollower:
    """`token()` every `interval` seconds; when it differs, `load()` and post the snapshot."""

    BELL_CHECK = 5.0  # with a bell: a check at least this often, should a notification be missed
    BELL_RETRY = 10.0  # without one (its connection was lost): a new one tried this often

    def __init__(self, token: Callable[[], Any], load: Callable[[], Any], post: Callable[[Message], Any],
                 interval: float = 0.2, bell: Callable[[], Any] | None = None) -> None:
        """`bell()` opens a MeetingBell (kring.data.notify), or gives None: then it polls."""
        self._token, self._load, self._post = token, load, post
        self.interval = interval
        self._open_bell = bell
        self._bell: Any = None
        self._bell_tried = float("-inf")
        self._stop = threading.Event()
        self._last: Any = object()
        self.trouble: str | None = None

    def follow(self) -> None:
        """The worker's body: look until `stop()` (or the worker is cancelled as the App ends)."""
        try:
            worker = get_current_worker()
        except NoActiveWorker:  # run in a plain thread
            worker = None
        try:
            while not (self._stop.is_set() or (worker is not None and worker.is_cancelled)):
                self._ready_bell()  # listening before the look, so no change falls in between
                self.check()
                self._wait()
        finally:
            if self._bell is not None:
                self._bell.close()

    def _ready_bell(self) -> None:
        now = time.monotonic()
        if self._bell is None and self._open_bell is not None and now - self._bell_tried > self.BELL_RETRY:
            self._bell_tried = now
            self._bell = self._open_bell()

    def _wait(self) -> None:
        """Until the bell rings (PostgreSQL), else `interval` seconds."""
        if self._bell is not None:
            try:
                self._bell.wait(self.BELL_CHECK, self._stop)
                return
            except Exception:  # noqa: BLE001 - its connection went: poll until a new one rings
                self._bell.close()
                self._bell = None
        self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()

    def check(self) -> None:
        """One look at the store."""
        try:
            token = self._token()
            if token == self._last:
                self._fine()
                return
            snapshot = self._load()
        except Exception as exc:  # noqa: BLE001 - a passing fault: say so once and keep following
            self._troubled(first_line(exc))
            return
        self._last = token
        self._fine()
        self._post(StoreChanged(snapshot))

    def reload(self) -> None:
        """Load now, whatever the token says (after this process wrote what others would see)."""
        self._last = object()
        self.check()

    def _troubled(self, reason: str) -> None:
        if self.trouble is None:
            self._post(FollowTrouble(reason))
        self.trouble = reason

    def _fine(self) -> None:
        if self.trouble is not None:
            self.trouble = None
            self._post(FollowTrouble(None))
