"""Open actions carried from one meeting of a network to the next, and marked at the look-back."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from kring.data import actions, network_meetings
from kring.data.errors import InputError
from kring.data.live import load_snapshot
from kring.data.meetings import load_events
from kring.data.models import Note, NoteRevision
from tests.test_network import add_note, close, fmt, make_network


@pytest.fixture
def network_id(store, clock) -> int:
    return make_network(store, clock)


@pytest.fixture
def first(store, clock, network_id) -> int:
    """The first regular meeting, with three actions (one confidential) and done."""
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    add_note(store, meeting_id, "action", "Bel de wijkagent over de hangplek", clock, owner="Bram Jansen",
             due="2026-12-04", author="Lotte Bakker")
    add_note(store, meeting_id, "action", "Stuur de sociale kaart rond", clock, owner="Lotte Bakker")
    add_note(store, meeting_id, "action", "Vraag toestemming aan de familie", clock, owner="Joris Peeters",
             confidential=True)
    add_note(store, meeting_id, "decision", "We werken met vaste duo's", clock)
    close(store, meeting_id, clock)
    return meeting_id


def test_open_actions_of_earlier_meetings(store, clock, network_id, first):
    second = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    add_note(store, second, "action", "Nieuwe actie van vandaag", clock, owner="Anouk de Vries")
    carried = actions.open_actions(store, network_id, before_meeting=second)
    assert [a.text for a in carried] == [
        "Bel de wijkagent over de hangplek", "Stuur de sociale kaart rond", "Vraag toestemming aan de familie"]
    assert carried[0].owner == "Bram Jansen" and carried[0].due == "2026-12-04"
    assert carried[0].meeting_id == first and carried[0].status == "open"
    assert [a.text for a in actions.open_actions(store, network_id, before_meeting=second,
                                                 include_confidential=False)][-1] == "Stuur de sociale kaart rond"
    # without a bound: every open action of the network, today's too
    assert len(actions.open_actions(store, network_id)) == 4


def test_marking_keeps_every_version(store, clock, network_id, first, english):
    [a, b, c] = actions.open_actions(store, network_id)
    done = actions.mark_action(store, a.uid, "done", "Anouk de Vries", clock.now())
    assert (done.status, done.revision) == ("done", 2)
    again = actions.mark_action(store, a.uid, "done", "Anouk de Vries", clock.now())  # a retried write
    assert again.revision == 2
    actions.mark_action(store, b.id, "kept", "Anouk de Vries", clock.now())
    actions.mark_action(store, c.uid, "dropped", "Anouk de Vries", clock.now())
    with store.session() as s:
        history = s.exec(
            select(NoteRevision).where(NoteRevision.note_id == a.id).order_by(col(NoteRevision.revision))
        ).all()
        assert [(r.revision, r.status) for r in history] == [(1, "open"), (2, "done")]
        assert history[1].author == "Anouk de Vries" and history[1].text == a.text
    # kept stays on the list; done and dropped leave it
    assert [x.text for x in actions.open_actions(store, network_id)] == ["Stuur de sociale kaart rond"]
    with pytest.raises(InputError, match="choose one of"):
        actions.mark_action(store, a.uid, "klaar", "Anouk", clock.now())
    with pytest.raises(InputError, match="no action"):
        actions.mark_action(store, "nope", "done", "Anouk", clock.now())
    with store.session() as s:
        decision = s.exec(select(Note).where(Note.kind == "decision")).first()
    with pytest.raises(InputError, match="not an action"):
        actions.mark_action(store, decision.id, "done", "Anouk", clock.now())


def test_the_live_snapshot_carries_the_network(store, clock, network_id, first):
    second = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    net = load_snapshot(store, second).extra["network"]
    assert net["name"] == "Wijkzorg Utrecht"
    assert [a["text"] for a in net["actions"]][0] == "Bel de wijkagent over de hangplek"
    assert ["Fatima El Amrani", "Hoe werk ik samen met scholen?"] in net["questions"]
    assert set(net["roles"]) == {"moderator", "notulist", "tijdbewaker"}
    # a meeting outside any network has no network part
    from kring.data.meetings import create_meeting

    lone = create_meeting(store, fmt("standaard"), ["Anouk"], clock)
    assert load_snapshot(store, lone).extra["network"] is None


# --- the look-back step on the live agenda ------------------------------------------------------


async def settle(app, pilot):
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()


async def _to_look_back(app, pilot):
    await pilot.press("space", "n")  # start, then the look-back step (step 2 of the standard meeting)
    await settle(app, pilot)
    assert app.timeline().current == app.meeting.format.index_of("terugblik")


async def test_the_moderator_marks_each_action_at_the_look_back(store, clock, network_id, first, make_app):
    second = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    app = make_app(second)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one("#network-panel")
        # before the start: what this meeting starts from
        assert panel.display
        text = str(panel.render())
        assert "Open acties (3)" in text and "Bel de wijkagent" in text and "Leervragen" in text
        assert "Vraag toestemming" not in text  # confidential: the projector shows only that there is one
        await _to_look_back(app, pilot)
        text = str(panel.render())
        assert "nog 3 van 3 te bespreken" in text
        assert "▸ ○ Bel de wijkagent over de hangplek" in text
        await pilot.press("g")  # done; the cursor moves on to the next
        await settle(app, pilot)
        await pilot.press("h")  # kept
        await settle(app, pilot)
        await pilot.press("d")  # dropped
        await settle(app, pilot)
        text = str(panel.render())
        assert "Alles besproken" in text
        assert "✓ Bel de wijkagent" in text and "↻ Stuur de sociale kaart rond" in text
        # tab goes back round; a second key changes the mark again (a new version, nothing lost)
        await pilot.press("tab")
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
    statuses = {a.text: a.status for a in actions.open_actions(store, network_id, also=("x",))}
    assert statuses == {"Bel de wijkagent over de hangplek": "kept", "Stuur de sociale kaart rond": "kept"}
    with store.session() as s:
        revisions = s.exec(select(NoteRevision).join(Note).where(Note.meeting_id == first,
                                                                  Note.kind == "action")).all()
        assert sorted(r.status for r in revisions) == ["done", "dropped", "kept", "kept", "open", "open", "open"]
    logged = [(e.data["text"][:8], e.data["status"]) for e in load_events(store, second) if e.kind == "action_status"]
    assert logged == [("Bel de w", "done"), ("Stuur de", "kept"), ("Vraag to", "dropped"), ("Bel de w", "kept")]


async def test_look_back_keys_are_hidden_elsewhere_and_without_a_network(store, clock, network_id, first, make_app,
                                                                         meeting_id):
    second = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    app = make_app(second)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        keys = {b.binding.key for b in app.screen.active_bindings.values()}
        assert "g" not in keys and "i" in keys
        await pilot.press("g")  # not the look-back step: nothing happens
        await settle(app, pilot)
        assert not [e for e in app.events if e.kind == "action_status"]
        await _to_look_back(app, pilot)
        keys = {b.binding.key for b in app.screen.active_bindings.values()}
        assert {"g", "h", "d"} <= keys
    lone = make_app(meeting_id)  # the conftest meeting belongs to no network
    async with lone.run_test(size=(80, 24)) as pilot:
        await settle(lone, pilot)
        assert not lone.screen.query_one("#network-panel").display
        keys = {b.binding.key for b in lone.screen.active_bindings.values()}
        assert not {"g", "h", "d", "i", "b"} & keys


async def test_a_look_back_without_open_actions_says_so(store, clock, network_id, make_app):
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    app = make_app(meeting_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await _to_look_back(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert "Geen open acties" in str(app.screen.query_one("#network-panel").render())
