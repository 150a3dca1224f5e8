"""Forgetting reaches the clients that are open: tested as an attacker would.

A walk-through found that `network forget` left a running note-taker opened
`--as Karel` writing 'Karel' back: its next note, its presence row within 20 s,
and "✎ Karel" in the list. Each test here opens a client (note-taker,
moderator's agenda, evaluation form), types something that names the member,
forgets the member, lets the client hear of it the way it hears of any change
(the store follower's StoreChanged), then drives the client on: types the name
again, saves, announces, sends. Afterwards every row (plain SQL), the store's
files (main, -wal, -shm, read as bytes, as `strings` would), the draft journals
on disk, the user's cache folder and every export are searched for the name.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kring.data import network_meetings
from kring.data.forget import forget_member
from kring.data.live import load_snapshot
from kring.data.meetings import append_event
from kring.tui.messages import StoreChanged
from tests.crashdriver import say
from tests.test_network import fmt, make_network
from tests.test_notes_screen import note_input, screen_text, type_text
from tests.test_reliability_forget import FORGOTTEN, _folded, export_hits, raw_file_hits, raw_row_hits

NAMES = FORGOTTEN[:2]  # fatima, amrani (no alias in these meetings)
PLACEHOLDER = "voormalig lid"


@pytest.fixture
def meeting(store, clock):
    network_id = make_network(store, clock)
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    append_event(store, meeting_id, "start", clock.now())
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Fatima El Amrani"})
    return network_id, meeting_id


async def hear(app, pilot) -> None:
    """What the store follower does on a change, then the client's own read of the names."""
    app.outbox.flush()
    app.post_message(StoreChanged(load_snapshot(app.store, app.meeting_id)))
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    app.refresh_screen()
    await pilot.pause()


def files_hits(folder: Path) -> list[str]:
    """Files under `folder` whose bytes hold a forgotten name (the draft journals, the caches)."""
    hits = []
    if folder.is_dir():
        for f in folder.rglob("*"):
            if f.is_file():
                body = _folded(f.read_bytes().decode("utf-8", "replace"))
                hits += [f"{f.name}: {w}" for w in NAMES if w in body]
    return hits


def journals(store) -> Path:
    return store.path.with_name(store.path.name + ".drafts") if store.path is not None else Path("/nonexistent")


def network_exports(store, meeting_id) -> dict[str, str]:
    """The network's own report over its series, in each of its formats."""
    import json

    from kring.data import network_render
    from kring.data.meetings import get_meeting
    from kring.data.network_report import build_network_report

    report = build_network_report(store, get_meeting(store, meeting_id).network_id)
    return {"network json": json.dumps(report, ensure_ascii=False),
            **{f"network {fmt}": getattr(network_render, f"render_network_{fmt}")(report) for fmt in ("md", "html")}}


def nothing_left(store, meeting_id, tmp_path) -> None:
    assert raw_row_hits(store, NAMES) == []
    assert export_hits(store, meeting_id, NAMES) == []
    assert [(k, w) for k, v in network_exports(store, meeting_id).items() for w in NAMES if w in _folded(v)] == []
    assert files_hits(journals(store)) == []
    assert files_hits(tmp_path / "xdg-cache") == [] and files_hits(tmp_path / "xdg-state") == []


def the_files_after_close(store) -> dict:
    if not store.is_sqlite:
        return {}
    store.close()
    return raw_file_hits(store, NAMES)


async def test_a_note_taker_who_is_forgotten_goes_on_without_their_name(store, clock, meeting, tmp_path, request):
    """`kring notes --as Fatima`, mid-note, while Fatima El Amrani is forgotten: told in one line;
    the note being typed, the next note, the presence row and the journal carry the placeholder."""
    from kring.data.presence import announce, note_takers
    from kring.tui.notes_app import NotesApp

    network_id, meeting_id = meeting
    app = NotesApp(store, meeting_id, clock=clock, author="Fatima", watch=False)
    told: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **kw: told.append(str(message))
        old_session = app.session
        app._announce()
        await type_text(pilot, "Fatima vertelt over haar wijk")
        app.composer.save_draft()
        await hear(app, pilot)
        assert note_takers(store, meeting_id, clock.now()) == ["Fatima"]
        forget_member(store, network_id, "Fatima El Amrani", apply=True, clock=clock)
        await hear(app, pilot)
        assert app.author == PLACEHOLDER
        mine = [t for t in told if "vergeten" in t]
        assert len(mine) == 1 and "\n" not in mine[0] and PLACEHOLDER in mine[0], told
        assert note_input(app).value == "voormalig lid vertelt over haar wijk"
        await type_text(pilot, " en Fatima knikt")  # typed again after the forget: never stored
        await pilot.press("enter")
        app._announce()  # the heartbeat
        # a heartbeat queued before the client heard: refused by the store (its token is named)
        announce(store, meeting_id, "Fatima", clock.now(), old_session)
        await hear(app, pilot)
        assert note_takers(store, meeting_id, clock.now()) == [PLACEHOLDER]
        assert "Fatima" not in screen_text(app) and "Amrani" not in screen_text(app)
    from kring.data.notes import list_notes

    [note] = list_notes(store, meeting_id)
    assert note.author == PLACEHOLDER and note.text == "voormalig lid vertelt over haar wijk en voormalig lid knikt"
    nothing_left(store, meeting_id, tmp_path)
    assert the_files_after_close(store) == {}
    say(request, f"forgetting (open clients): the note-taker opened as the member told in one line "
        f"({len(mine[0])} chars), went on as '{PLACEHOLDER}'; note, presence row, journal and 4 exports clean")


async def test_another_note_taker_drops_the_name_from_what_is_typed_and_written(store, clock, meeting, tmp_path):
    from kring.data.notes import list_notes, load_draft
    from kring.tui.notes_app import NotesApp

    network_id, meeting_id = meeting
    app = NotesApp(store, meeting_id, clock=clock, author="Lotte Bakker", watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "Met Fatima afspreken")
        app.composer.save_draft()
        await hear(app, pilot)
        forget_member(store, network_id, "Fatima El Amrani", apply=True, clock=clock)
        await hear(app, pilot)
        assert app.author == "Lotte Bakker"  # not the one forgotten
        assert note_input(app).value == "Met voormalig lid afspreken"
        await type_text(pilot, ", Fatima El Amrani belt")
        app.composer.save_draft()  # written back by the client: without the name
        app.outbox.flush()
        draft = load_draft(store, meeting_id, "Lotte Bakker#notulist")
        assert draft is None or not [w for w in NAMES if w in _folded(draft.text)]
        await pilot.press("enter")
        await hear(app, pilot)
        assert "Fatima" not in screen_text(app)
    [note] = list_notes(store, meeting_id)
    assert note.author == "Lotte Bakker" and note.text == "Met voormalig lid afspreken, voormalig lid belt"
    assert note.speaker == PLACEHOLDER  # she had the floor when the note was begun
    nothing_left(store, meeting_id, tmp_path)
    assert the_files_after_close(store) == {}


async def test_the_moderators_agenda_shows_and_records_no_forgotten_name(make_app, store, clock, meeting, tmp_path):
    network_id, meeting_id = meeting
    app = make_app(meeting_id)
    async with app.run_test(size=(120, 36)) as pilot:
        await hear(app, pilot)
        assert "Fatima" in screen_text(app)
        forget_member(store, network_id, "Fatima El Amrani", apply=True, clock=clock)
        await hear(app, pilot)
        assert not [w for w in NAMES if w in _folded(screen_text(app))], screen_text(app)
        assert PLACEHOLDER in app.meeting.names
        for key in ("s", "s", "s", "n", "s", "s"):  # the next speakers: the round goes by every seat
            await pilot.press(key)
        # an event recorded from a copy still naming her (a key in the moment before it heard)
        app.live.record("speaker", {"name": "Fatima El Amrani"})
        await hear(app, pilot)
        assert not [w for w in NAMES if w in _folded(screen_text(app))]
    nothing_left(store, meeting_id, tmp_path)
    assert the_files_after_close(store) == {}


async def test_an_evaluation_form_opened_for_the_member_sends_without_the_name(store, clock, meeting, tmp_path):
    from sqlmodel import select

    from kring.data.evaluation import evaluation_for
    from kring.data.models import EvaluationReceipt
    from kring.tui.evaluate_app import EvaluateApp
    from tests.test_network import close

    network_id, meeting_id = meeting
    close(store, meeting_id, clock)
    context, participant = evaluation_for(store, meeting_id, "Fatima El Amrani")
    app = EvaluateApp(store, context, participant=participant, clock=clock, watch=False)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await pilot.press("3")
        open_box = next(b for b in app.screen.query("OpenAnswer Input"))
        open_box.value = "Groet van Fatima"
        app.screen.keep_answers()
        forget_member(store, network_id, "Fatima El Amrani", apply=True, clock=clock)
        await hear(app, pilot)
        assert app.screen.participant == PLACEHOLDER
        assert not [w for w in NAMES if w in _folded(screen_text(app))], screen_text(app)
        assert files_hits(journals(store)) == []  # the journal kept per key starts again without it
        open_box.value += ", Fatima"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    with store.session() as s:
        receipts = [r.participant for r in s.exec(select(EvaluationReceipt)).all()]
    assert receipts == [PLACEHOLDER]
    nothing_left(store, meeting_id, tmp_path)
    assert the_files_after_close(store) == {}


async def test_kring_serve_shows_and_stores_no_forgotten_name(aiohttp_client, store, clock, meeting, tmp_path):
    """A form page loaded before the forget, sent after it with the name typed in an answer."""
    import asyncio
    import re

    from sqlmodel import select

    from kring.data.models import EvaluationResponse
    from kring.data.weblink import token_for
    from kring.web.app import KEY_STATE, Limits, make_app

    network_id, meeting_id = meeting
    token = token_for(store, meeting_id, clock)
    client = await aiohttp_client(make_app(store, meeting_id, token, clock, Limits(follow_interval=0.02)))
    html = await (await client.get(f"/m/{token}/form")).text()
    assert 'value="Fatima"' in html
    seal = re.search(r'name="seal" value="([^"]+)"', html).group(1)
    forget_member(store, network_id, "Fatima El Amrani", apply=True, clock=clock)
    state = client.server.app[KEY_STATE]
    before = state.follower.token
    state.follower.poke()
    for _ in range(500):  # the follower's next look at the store (poked: no timer to wait for)
        if state.follower.token != before:
            break
        await asyncio.sleep(0.01)
    for path in (f"/m/{token}", f"/m/{token}/form", f"/m/{token}/thanks"):
        page = _folded(await (await client.get(path)).text())
        assert not [w for w in NAMES if w in page], path
    sent = {"seal": seal, "who": "Bram", "roti": "3", "top": "Fatima El Amrani had een goed idee, net als Fatima"}
    r = await client.post(f"/m/{token}/form", data=sent, allow_redirects=False)
    assert r.status == 303, await r.text()
    with store.session() as s:
        [row] = s.exec(select(EvaluationResponse)).all()
    assert row.answers["top"] == "voormalig lid had een goed idee, net als voormalig lid"
    nothing_left(store, meeting_id, tmp_path)


async def test_a_dialog_open_on_the_agenda_forgets_the_name_too(make_app, store, clock, tmp_path):
    """The roles proposed before the first step, on screen while the member is forgotten:
    shown and accepted without the name."""
    from kring.data.meetings import get_meeting

    network_id = make_network(store, clock)
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock,
                                                roles={"notulist": "Fatima El Amrani"})
    app = make_app(meeting_id, confirm_roles=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await hear(app, pilot)
        assert "Fatima" in screen_text(app)
        forget_member(store, network_id, "Fatima El Amrani", apply=True, clock=clock)
        await hear(app, pilot)
        assert not [w for w in NAMES if w in _folded(screen_text(app))], screen_text(app)
        await pilot.press("enter")  # the roles as shown
        await hear(app, pilot)
    roles = {p.name: p.roles for p in get_meeting(store, meeting_id).participants}
    assert "notulist" in roles[PLACEHOLDER]
    nothing_left(store, meeting_id, tmp_path)
    assert the_files_after_close(store) == {}


async def test_the_check_before_the_first_step_shows_the_names_afresh(make_app, store, clock, tmp_path):
    """Who is here? The list on screen while the member is forgotten; marking someone absent after."""
    network_id = make_network(store, clock)
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    app = make_app(meeting_id, check_first=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await hear(app, pilot)
        assert "Fatima El Amrani" in screen_text(app)
        forget_member(store, network_id, "Fatima El Amrani", apply=True, clock=clock)
        await hear(app, pilot)
        assert not [w for w in NAMES if w in _folded(screen_text(app))], screen_text(app)
        for _ in range(3):
            await pilot.press("down")
        await pilot.press("enter")  # someone marked absent: the name recorded is the one shown
        await hear(app, pilot)
    nothing_left(store, meeting_id, tmp_path)


async def test_a_note_sent_in_the_moment_before_the_client_heard_is_stored_without_the_name(store, clock, meeting,
                                                                                            tmp_path):
    """The attacker's timing: Enter pressed after the forget committed, before the client's next
    look at the store. The outbox holds the write back until the names are dropped."""
    from kring.data.notes import list_notes
    from kring.tui.notes_app import NotesApp

    network_id, meeting_id = meeting
    app = NotesApp(store, meeting_id, clock=clock, author="Fatima", watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await hear(app, pilot)
        forget_member(store, network_id, "Fatima El Amrani", apply=True, clock=clock)
        await type_text(pilot, "Fatima zegt dat Fatima El Amrani komt")
        await pilot.press("enter")
        app.composer.save_draft()
        app.live.record("speaker", {"name": "Fatima El Amrani"})
        assert not app.outbox.flush(timeout=0.3)  # held back: the client has not dropped the names yet
        app.post_message(StoreChanged(load_snapshot(app.store, app.meeting_id)))  # its next look
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.outbox.flush()
    [note] = list_notes(store, meeting_id)
    assert (note.author, note.text) == (PLACEHOLDER, "voormalig lid zegt dat voormalig lid komt")
    nothing_left(store, meeting_id, tmp_path)
    assert the_files_after_close(store) == {}
