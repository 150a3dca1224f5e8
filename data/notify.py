"""Being told that a meeting changed, instead of asking: PostgreSQL's LISTEN/NOTIFY.

Migration 0010 makes every write a follower shows send `NOTIFY
kring_meeting_<id>`. A `MeetingBell` holds one connection of its own that
listens on the meeting's channel; the follower waits on it and checks the
store only when it rings (and now and then besides, in case a notification was
missed while the connection was away). SQLite has no such thing: there
`meeting_bell` gives None and the follower keeps its cheap poll.
"""

from __future__ import annotations

import threading

from kring.data.store import Store

CHANNEL = "kring_meeting_"  # + the meeting's id (migration 0010)


class MeetingBell:
    """One listening connection for one meeting."""

    SLICE = 0.5  # a wait looks at its stop flag this often (no query: the socket is only watched)

    def __init__(self, store: Store, meeting_id: int) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        url = make_url(store.url).set(drivername="postgresql")
        self._conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True,
                                     connect_timeout=10)
        self._conn.execute(f"LISTEN {CHANNEL}{int(meeting_id)}")

    def wait(self, timeout: float, stop: threading.Event | None = None) -> bool:
        """Until the meeting changed (True) or `timeout` seconds passed or `stop` was set (False).
        Raises when the connection is lost: the follower then polls again.

        libpq's own calls, not psycopg's `notifies()`: a wait that ends without a
        notification must not lose the next one, and no query is sent to look."""
        import select

        import psycopg

        pg = self._conn.pgconn
        left = timeout
        while left > 0 and not (stop is not None and stop.is_set()):
            step = min(self.SLICE, left)
            readable, _, _ = select.select([pg.socket], [], [], step)
            if readable:
                pg.consume_input()  # raises when the server or the network dropped the connection
                rang = False
                while pg.notifies() is not None:  # several together ring once
                    rang = True
                if rang:
                    return True
                if pg.status != psycopg.pq.ConnStatus.OK:
                    raise psycopg.OperationalError("the listening connection was closed")
            left -= step
        return False

    def close(self) -> None:
        try:
            self._conn.close()
        except Exception:  # noqa: BLE001 - closing a connection already gone
            pass


def meeting_bell(store: Store, meeting_id: int) -> MeetingBell | None:
    """A bell for the meeting when the store can ring one (PostgreSQL with migration 0010), else None."""
    if not store.url.startswith("postgresql"):
        return None
    try:
        return MeetingBell(store, meeting_id)
    except Exception:  # noqa: BLE001 - no listening connection: the follower polls as before
        return None

