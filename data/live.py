"""What a live client shows, loaded in one go off the UI thread.

`load_snapshot` gathers plain data about a meeting for the screens: its event
log and the side panels' figures. Each capability adds its part to `extra`
here, so a client needs one query round per change, not one per widget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kring.data.meetings import EventRow, load_events
from kring.data.store import Store


@dataclass
class Snapshot:
    events: list[EventRow]
    status: str = "live"
    # per capability, plain data only: "notes", "evaluation", "network"
    extra: dict[str, Any] = field(default_factory=dict)


def load_snapshot(store: Store, meeting_id: int) -> Snapshot:
    from kring.data.models import Meeting

    with store.session() as s:
        meeting = s.get(Meeting, meeting_id)
        status = meeting.status if meeting else "live"
        from kring.data.evaluation import progress_in

        evaluation = progress_in(s, meeting_id)  # {"answered", "expected", "names"}
    snap = Snapshot(events=load_events(store, meeting_id), status=status)
    snap.extra["evaluation"] = evaluation
    from kring.data.notes import notes_figures

    snap.extra["notes"] = notes_figures(store, meeting_id)  # NotesFigures: counts, latest public decision
    from kring.data.actions import live_network

    snap.extra["network"] = live_network(store, meeting_id, snap.events)  # dict or None (no network)
    from kring.data.weblink import served_link

    snap.extra["weblink"] = served_link(store, meeting_id)  # the participants' link, or None (kring serve)
    # Each capability's live figures (add yours here: one call, plain data).
    return snap
