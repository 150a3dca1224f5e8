"""The projector inside a sub-agenda (frozen clock): incidentmethode running in the standard
meeting's intervision step, its steps indented under the parent, the parent's time counting down."""

from __future__ import annotations

import pytest

from kring.data.core.timeline import derive
from kring.data.meetings import append_event, get_meeting, load_events
from tests.test_subagenda_report import into_incidentmethode


def inside_incidentmethode(store, clock, meeting_id):
    """Three steps done, incidentmethode chosen, its second step (a round) live with Bram speaking."""
    into_incidentmethode(store, clock, meeting_id)
    clock.advance(minutes=3)
    tl = derive(get_meeting(store, meeting_id).plan, load_events(store, meeting_id), clock.now())
    append_event(store, meeting_id, "goto", clock.now(), {"step": tl.following(tl.current)})
    clock.advance(minutes=1)
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Bram"})
    clock.advance(seconds=40)


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_projector_inside_the_sub_agenda(snap_compare, make_app, store, clock, meeting_id, size):
    inside_incidentmethode(store, clock, meeting_id)
    assert snap_compare(make_app(meeting_id), terminal_size=size)
