"""One follower per server: it watches the store and tells every open page.

The note-taker's cheap change check (`change_token`, the newest ids of the
append-only tables) runs a few times a second in a thread; only when it moves
is the live view read again, and then it is handed to every page listening.
However many phones are open, the store sees one reader.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable

from kring.data.meetings import change_token

log = logging.getLogger("kring.web")


class Follower:
    def __init__(self, store: Any, meeting_id: int, view: Callable[[], dict[str, Any]],
                 interval: float = 0.1) -> None:
        self.store, self.meeting_id, self._read_view = store, meeting_id, view
        self.interval = interval
        self.view: dict[str, Any] | None = None
        self.token: Any = None  # the store's change token the view was read at
        self._listeners: set[asyncio.Queue[dict[str, Any]]] = set()
        self._task: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()

    # --- pages listening ------------------------------------------------------------

    def listen(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=1)
        self._listeners.add(queue)
        return queue

    def leave(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._listeners.discard(queue)

    @property
    def listeners(self) -> int:
        return len(self._listeners)

    def hang_up(self) -> None:
        """Tell every page's stream to end (the server is stopping): they get None."""
        for queue in self._listeners:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(None)  # type: ignore[arg-type]

    def _tell(self, view: dict[str, Any]) -> None:
        for queue in self._listeners:
            if queue.full():  # a slow page only needs the newest view
                queue.get_nowait()
            queue.put_nowait(view)

    # --- watching ------------------------------------------------------------------

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="kring-web-follow")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    def poke(self) -> None:
        """Look now rather than at the next tick (this server wrote something itself)."""
        self._changed.set()

    async def current(self) -> dict[str, Any]:
        if self.view is None:
            self.view = await asyncio.to_thread(self._read_view)
        return self.view

    async def _run(self) -> None:
        last: Any = object()
        while True:
            try:
                token = await asyncio.to_thread(change_token, self.store, self.meeting_id)
                if token != last:
                    view = await asyncio.to_thread(self._read_view)
                    last, self.view, self.token = token, view, token
                    self._tell(view)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - a busy store is a passing fault: keep following
                log.warning("following the store: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), self.interval)
            except asyncio.TimeoutError:
                pass
