"""What the room sees during a round: pass, absence and a latecomer; a loop; a silent case-bringer."""

from __future__ import annotations

from kring.data.meetings import append_event, create_meeting
from kring.workformats.loader import find

NAMES = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]


def meeting_with(store, clock, fmt, script):
    """A meeting of five whose log is written by `script` as (kind, data) or seconds to wait."""
    meeting_id = create_meeting(store, find(fmt).model_dump(mode="json"), NAMES, clock)
    for item in script:
        if isinstance(item, (int, float)):
            clock.advance(seconds=item)
        else:
            kind, data = item
            append_event(store, meeting_id, kind, clock.now(), data)
    return meeting_id


ROUND = [
    ("start", {}),
    ("speaker", {"name": "Anouk"}), 5,
    ("pass", {"name": "Anouk"}),
    ("speaker", {"name": "Bram"}), 55,
    ("speaker", {"name": "Fatima"}),
    ("absent", {"name": "Fatima", "absent": True}),
    ("speaker", {"name": "Joris"}),
    ("join", {"name": "Sanne"}), 35,
]


def test_round_with_pass_absent_and_latecomer_80x24(snap_compare, make_app, store, clock):
    meeting_id = meeting_with(store, clock, "incidentmethode", ROUND)
    assert snap_compare(make_app(meeting_id), terminal_size=(80, 24))


def test_round_with_pass_absent_and_latecomer_40x12(snap_compare, make_app, store, clock):
    meeting_id = meeting_with(store, clock, "incidentmethode", ROUND)
    assert snap_compare(make_app(meeting_id), terminal_size=(40, 12))


def test_loop_back_to_the_questions_80x24(snap_compare, make_app, store, clock):
    meeting_id = meeting_with(store, clock, "vijfstappenmethode", [
        ("case_bringer", {"name": "Fatima", "case": "Teamoverleg loopt vast"}),
        ("start", {}), 300,
        ("goto", {"step": 1}),
        ("speaker", {"name": "Anouk"}), 300,
        ("speaker", {"name": "Bram"}), 300,
        ("goto", {"step": 2}), 900,
        ("goto", {"step": 3}), 840,
        ("goto", {"step": 1, "loop": True, "from": 3}),
        ("speaker", {"name": "Joris"}), 70,
    ])
    assert snap_compare(make_app(meeting_id), terminal_size=(80, 24))


def test_case_bringer_with_back_turned_80x24(snap_compare, make_app, store, clock):
    meeting_id = meeting_with(store, clock, "roddelmethode", [
        ("case_bringer", {"name": "Lotte"}),
        ("start", {}), 240,
        ("goto", {"step": 2}), 200,
    ])
    assert snap_compare(make_app(meeting_id), terminal_size=(80, 24))
