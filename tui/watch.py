"""Following the store: a cheap change check a few times a second, off the UI loop."""

from __future__ import annotations

import threading
from typing import Any, Callable

from kring.data.errors import first_line


class StoreWatcher:
    """Calls `token()` every `interval` seconds in a thread; `changed(token)` when it differs."""

    def __init__(self, token: Callable[[], Any], changed: Callable[[Any], None], interval: float = 0.2,
                 failed: Callable[[str], None] = lambda msg: None) -> None:
        self._token, self._changed, self._failed = token, changed, failed
        self._interval = interval
        self._stop = threading.Event()
        self._last: Any = object()
        self._thread = threading.Thread(target=self._run, name="kring-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                token = self._token()
            except Exception as exc:  # noqa: BLE001 - a passing fault: say so and keep watching
                self._failed(first_line(exc))
            else:
                if token != self._last:
                    self._last = token
                    self._changed(token)
            self._stop.wait(self._interval)
