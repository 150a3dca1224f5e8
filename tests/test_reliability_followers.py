"""Two clients on one store see each other's changes, on SQLite and on PostgreSQL.

Each client has its own Store (its own engine and connections), as two machines
pointed at one PostgreSQL server would. The follower polls `change_token` the
way the app's StoreFollower does; every kind of change another client makes
(moderator's events, a note filed, edited and deleted, an evaluation) must
change the token and show up in the follower's snapshot.
Run against PostgreSQL with KRING_TEST_PG=<url> (see .ci/postgres).
"""

from __future__ import annotations

import threading
import time

import pendulum

from kring.data.core.clock import FakeClock
from kring.data.live import load_snapshot
from kring.data.meetings import append_event, change_token, create_meeting
from kring.data.store import Store
from kring.tui.follow import StoreFollower
from tests.crashdriver import say

PEOPLE = ["Anouk", "Bram", "Fatima"]


def test_every_kind_of_change_reaches_the_other_client(db_url, standaard, request):
    from kring.data.evaluation import submit
    from kring.data.notes import NoteInfo, add_note, delete_note, edit_note, new_uid

    moderator, follower = Store(db_url), Store(db_url)
    clock = FakeClock("2026-11-20T19:00:00+01:00")
    meeting_id = create_meeting(moderator, standaard, PEOPLE, clock)
    seen = change_token(follower, meeting_id)
    uid = new_uid()
    changes = [
        ("the meeting starts", lambda: append_event(moderator, meeting_id, "start", clock.now())),
        ("a speaker", lambda: append_event(moderator, meeting_id, "speaker", clock.now(), {"name": "Bram"})),
        ("a note is filed", lambda: add_note(moderator, meeting_id, NoteInfo(
            uid=uid, kind="decision", text="We starten in maart", step_index=0, step_title="Inchecken",
            speaker="Bram", author="Sanne", at=clock.now()))),
        ("the note is edited", lambda: edit_note(moderator, uid, author="Sanne", at=clock.now(),
                                                 text="We starten in april")),
        ("the note is deleted", lambda: delete_note(moderator, uid, author="Sanne", at=clock.now())),
        ("an evaluation is sent", lambda: submit(moderator, meeting_id, "Fatima", {"roti": 4}, clock)),
        ("the meeting closes", lambda: append_event(moderator, meeting_id, "close", clock.now())),
    ]
    for what, change in changes:
        clock.advance(seconds=30)
        change()
        token = change_token(follower, meeting_id)
        assert token != seen, f"the follower did not see: {what}"
        seen = token
    snap = load_snapshot(follower, meeting_id)
    assert [e.kind for e in snap.events][:2] == ["start", "speaker"] and snap.status == "closed"
    assert snap.extra["evaluation"]["names"] == ["Fatima"]
    assert snap.extra["notes"].total == 0 and snap.extra["notes"].revisions[uid] == 3
    moderator.close()
    follower.close()
    backend = "SQLite" if db_url.startswith("sqlite") else "PostgreSQL"
    say(request, f"followers ({backend}): {len(changes)} kinds of change by one client seen by the other")


def test_the_watcher_of_one_client_wakes_for_writes_of_another(db_url, standaard):
    writer, reader = Store(db_url), Store(db_url)
    clock = FakeClock("2026-11-20T19:00:00+01:00")
    meeting_id = create_meeting(writer, standaard, PEOPLE, clock)
    woke = threading.Event()
    tokens: list = []

    def changed(message) -> None:  # noqa: ANN001 - a StoreChanged, with what the token was
        tokens.append(message.snapshot)
        if len(tokens) >= 2:  # the first call is the token at start
            woke.set()

    token = lambda: change_token(reader, meeting_id)  # noqa: E731
    watcher = StoreFollower(token, token, changed, interval=0.05)
    threading.Thread(target=watcher.follow, daemon=True).start()
    try:
        deadline = time.monotonic() + 5
        while not tokens and time.monotonic() < deadline:
            time.sleep(0.01)
        append_event(writer, meeting_id, "start", pendulum.now("UTC"))
        assert woke.wait(10), "the other client's watcher never noticed the write"
    finally:
        watcher.stop()
    writer.close()
    reader.close()
