"""The meeting report (verslag) as plain data: the JSON contract of DESIGN.md.

Every export (json, md, html, csv) is rendered from this one dictionary, so
they can never disagree. Confidential notes are left out unless asked for.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from kring.data.clock import Clock, SystemClock
from kring.data.meetings import get_meeting, load_events
from kring.data.models import EvaluationResponse, Network, Note
from kring.data.store import Store
from kring.data.timeline import derive


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def build_report(store: Store, meeting_id: int, *, include_confidential: bool = False,
                 clock: Clock | None = None) -> dict[str, Any]:
    info = get_meeting(store, meeting_id)
    events = load_events(store, meeting_id)
    # a closed meeting's figures are fixed at its end; a live one's at `now`
    now = (clock or SystemClock()).now()
    tl = derive(info.plan, events, now)
    steps = info.format_data.get("steps", [])

    with store.session() as s:
        network = s.get(Network, info.network_id) if info.network_id else None
        notes = s.exec(
            select(Note).where(Note.meeting_id == meeting_id, Note.deleted == False)  # noqa: E712
            .order_by(col(Note.at), col(Note.id))
        ).all()
        responses = s.exec(
            select(EvaluationResponse).where(EvaluationResponse.meeting_id == meeting_id)
            .order_by(col(EvaluationResponse.id))
        ).all()

    shown = [n for n in notes if include_confidential or not n.confidential]
    return {
        "session": {
            "id": info.id,
            "title": info.title,
            "werkvorm": info.werkvorm,
            "status": info.status,
            "started_at": _iso(tl.started_at or info.started_at),
            "ended_at": _iso(tl.closed_at or info.ended_at),
            "place": info.place,
            "network": None if network is None else {"name": network.name, "theme": network.theme},
        },
        "participants": [{"name": p.name, "roles": list(p.roles)} for p in info.participants],
        "agenda": [
            {
                "title": st.title,
                "mode": st.mode,
                "planned_seconds": st.planned,
                "actual_seconds": round(st.elapsed),
                "base_seconds": st.base_seconds,
                "confidential": bool(steps[st.index].get("confidential")) if st.index < len(steps) else False,
            }
            for st in tl.steps
        ],
        "notes": [
            {
                "kind": n.kind,
                "text": n.text,
                "item": n.step_title or None,
                "step": n.step_index,
                "speaker": n.speaker,
                "author": n.author,
                "at": _iso(n.at),
                "confidential": n.confidential,
            }
            for n in shown
        ],
        "actions": [
            {"text": n.text, "owner": n.owner, "due": n.due, "status": n.status}
            for n in shown
            if n.kind == "action"
        ],
        "evaluation": {
            "responses": [
                {"participant": r.participant, "case_bringer": r.case_bringer, "answers": r.answers,
                 "at": _iso(r.at)}
                for r in responses
            ],
            "summary": [],
        },
        "speaking": [
            {"participant": name, "seconds": round(sp.seconds), "turns": sp.turns}
            for name, sp in sorted(tl.speaking.items(), key=lambda kv: -kv[1].seconds)
        ],
    }
