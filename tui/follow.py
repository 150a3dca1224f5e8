"""Following the store: a cheap change check a few times a second, in a Textual
thread worker that posts what it finds as messages (never touching a widget).

Only when the check's token differs is the meeting's snapshot loaded, there in
the worker, and handed to the UI as plain data (`StoreChanged`). A failing check
or load is said once (`FollowTrouble`), and again when it works once more; the
follower keeps looking either way.

The worker runs as long as the App: a test that waits for every worker to
finish (`app.workers.wait_for_complete()`) builds its App with `watch=False`.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from textual.message import Message
from textual.worker import NoActiveWorker, get_current_worker

from kring.data.errors import first_line
from kring.tui.messages import FollowTrouble, StoreChanged


class StoreFollower:
    """`token()` every `interval` seconds; when it differs, `load()` and post the snapshot."""

    def __init__(self, token: Callable[[], Any], load: Callable[[], Any], post: Callable[[Message], Any],
                 interval: float = 0.2) -> None:
        self._token, self._load, self._post = token, load, post
        self.interval = interval
        self._stop = threading.Event()
        self._last: Any = object()
        self.trouble: str | None = None

    def follow(self) -> None:
        """The worker's body: look until `stop()` (or the worker is cancelled as the App ends)."""
        try:
            worker = get_current_worker()
        except NoActiveWorker:  # run in a plain thread
            worker = None
        while not (self._stop.is_set() or (worker is not None and worker.is_cancelled)):
            self.check()
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
