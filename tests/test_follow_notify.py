"""On PostgreSQL a follower is told of a change (LISTEN/NOTIFY) instead of asking ten times a second.

The follower here polls only once a minute (`interval=60`), so anything it sees
within seconds it was told. Without a server only the fallback is checked:
SQLite has no bell and the follower polls as before.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from kring.data.meetings import add_participant, append_event, change_token, create_meeting
from kring.data.notify import meeting_bell
from kring.data.store import Store
from kring.tui.follow import StoreFollower
from tests.note_helpers import make_note

needs_pg = pytest.mark.skipif(not os.environ.get("KRING_TEST_PG"), reason="needs a PostgreSQL server")


class Follow:
    """A follower of one meeting in its own thread, counting how often it asked the store."""

    def __init__(self, store: Store, meeting_id: int, *, interval: float, bell: bool = True) -> None:
        self.asked = 0
        self.seen: list = []
        self.changed = threading.Event()
        self.looked = threading.Event()

        def token():  # noqa: ANN202
            self.asked += 1
            self.looked.set()
            return change_token(store, meeting_id)

        def post(message) -> None:  # noqa: ANN001
            if hasattr(message, "snapshot"):
                self.seen.append(message.snapshot)
                self.changed.set()

        self.follower = StoreFollower(token, token, post, interval=interval,
                                      bell=(lambda: meeting_bell(store, meeting_id)) if bell else None)
        threading.Thread(target=self.follower.follow, daemon=True).start()
        assert self.changed.wait(10)  # the first look
        self.changed.clear()

    def sees(self, change, within: float = 5.0) -> bool:  # noqa: ANN001
        """Whether the change reached the follower as a new snapshot."""
        change()
        ok = self.changed.wait(within)
        self.changed.clear()
        return ok

    def looks(self, change, within: float = 3.0) -> bool:  # noqa: ANN001
        """Whether the change made the follower look (it shows what its token covers)."""
        self.looked.clear()
        change()
        return self.looked.wait(within)


def test_sqlite_has_no_bell_and_the_follower_polls(tmp_path, standaard, clock):
    store = Store(f"sqlite:///{tmp_path / 'kring.db'}")
    meeting_id = create_meeting(store, standaard, ["Anouk"], clock)
    assert meeting_bell(store, meeting_id) is None
    follow = Follow(store, meeting_id, interval=0.05)
    assert follow.sees(lambda: append_event(store, meeting_id, "start", clock.now()))
    follow.follower.stop()
    store.close()


@needs_pg
def test_every_kind_of_change_rings_the_followers_bell(db_url, standaard, clock):
    from kring.data.evaluation import submit
    from kring.data.notes import add_note, edit_note

    writer, reader = Store(db_url), Store(db_url)
    meeting_id = create_meeting(writer, standaard, ["Anouk", "Bram"], clock)
    other = create_meeting(writer, standaard, ["Joris"], clock)
    follow = Follow(reader, meeting_id, interval=60)
    note = make_note(clock)
    for what, change in [
        ("an event", lambda: append_event(writer, meeting_id, "start", clock.now())),
        ("a note", lambda: add_note(writer, meeting_id, note)),
        ("a note edited", lambda: edit_note(writer, note.uid, author="Sanne", at=clock.now(), text="anders")),
        ("an evaluation", lambda: submit(writer, meeting_id, "Anouk", {"roti": 3}, clock)),
        ("the meeting closed", lambda: append_event(writer, meeting_id, "close", clock.now())),
    ]:
        assert follow.sees(change), f"{what}: the follower was not told"
    assert follow.looks(lambda: add_participant(writer, meeting_id, "Fatima")), "a latecomer: not told"
    # another meeting's writes do not wake it, and while nothing happens it asks nothing
    time.sleep(0.2)
    asked = follow.asked
    assert not follow.looks(lambda: append_event(writer, other, "start", clock.now()), within=1.5)
    assert follow.asked == asked
    follow.follower.stop()
    writer.close()
    reader.close()


@needs_pg
def test_a_follower_whose_bell_is_cut_off_polls_and_keeps_seeing(db_url, standaard, clock):
    writer, reader = Store(db_url), Store(db_url)
    meeting_id = create_meeting(writer, standaard, ["Anouk"], clock)
    follow = Follow(reader, meeting_id, interval=0.1)
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        cut = conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                                "datname = current_database() AND query LIKE 'LISTEN kring_meeting_%'")).all()
    assert len(cut) == 1
    time.sleep(0.6)  # the bell's next look at its socket finds it closed (a real outage, not a timer)
    assert follow.sees(lambda: append_event(writer, meeting_id, "start", clock.now()))
    follow.follower.stop()
    admin.dispose()
    writer.close()
    reader.close()
