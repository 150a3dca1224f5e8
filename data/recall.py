"""What people said they would do differently, brought back at a later meeting.

The closing evaluation asks "Wat ga ik morgen anders doen?" (question id
`tomorrow`), and those answers feed adoption (borging): keeping new behaviour
going. A work format's step may bring an evaluation question's answers back
(`brings_back: tomorrow` in its YAML): the standard meeting at its look-back
on the previous meeting, the borging format at its "Wat ga ik anders doen?"
with every earlier meeting of the network (`brings_back_all: true`). The
agenda shows them at that step (kring.screens.agenda_network), and the
meeting's report has them under their own heading.

Only closed meetings of the same network, before this one, count: answers
leave the room once their meeting is closed. Anonymous answers come back
without a name, and only from a meeting with enough of them not to give anyone
away (as its report). Plain data out:

    {"question": id, "text": the question, "step": the step's title, "all": bool,
     "meetings": [{"id", "title", "date", "answers": [{"participant": str | None, "text": str}]}]}

newest meeting first; empty `meetings` when nothing was answered yet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, type_coerce
from sqlmodel import col, select

from kring.data.core.steps import FormatStep, FormatSteps
from kring.data.evaluation import ANONYMOUS_MIN_SHOWN
from kring.data.models import AwareDateTime, EvaluationResponse, Meeting, Network
from kring.data.store import Store


def recall_step(fmt: FormatSteps | dict[str, Any]) -> FormatStep | None:
    """The format's first step that brings earlier answers back, or None."""
    steps = fmt if isinstance(fmt, FormatSteps) else FormatSteps.of(fmt)
    return next((step for step in steps.steps if step.brings_back), None)


def brought_back(store: Store, meeting_id: int, fmt: FormatSteps | dict[str, Any]) -> dict[str, Any] | None:
    """The answers the format's recall step brings back (see the module docstring); None
    when the format has no such step or the meeting belongs to no network."""
    step = recall_step(fmt)
    if step is None or step.brings_back is None:
        return None
    question = step.brings_back
    with store.session() as s:
        # the network and its form alone: not the meeting's copy of its work format
        found = s.exec(select(Meeting.network_id, Network.evaluation_form)
                       .outerjoin(Network, Network.id == Meeting.network_id).where(Meeting.id == meeting_id)).first()
        if found is None or found[0] is None:
            return None
        network_id, form = found
        # newest meeting first, read as it comes (a Core result, row by row): the standard
        # meeting stops at the previous meeting with answers, not after reading the series'
        # every answer (which made a network's report grow with the square of its meetings);
        # the moments as stored text, parsed only for the meetings kept
        rows = s.connection().execute(
            select(Meeting.id, Meeting.title, type_coerce(Meeting.__table__.c.started_at, String),
                   type_coerce(Meeting.__table__.c.created_at, String), EvaluationResponse.participant,
                   EvaluationResponse.answers, EvaluationResponse.case_bringer)
            .join(EvaluationResponse, EvaluationResponse.meeting_id == Meeting.id)
            .where(Meeting.network_id == network_id, Meeting.id < meeting_id, Meeting.status == "closed")
            .order_by(col(Meeting.id).desc(), col(EvaluationResponse.id))
        )
        meetings: list[dict[str, Any]] = []
        by_id: dict[int, dict[str, Any]] = {}
        anonymous: dict[int, int] = {}  # anonymous people per meeting (a case-bringer's own row not counted twice)
        for mid, title, started, created, participant, answers, own in rows:
            if participant is None and not own:
                anonymous[mid] = anonymous.get(mid, 0) + 1
            text = (answers or {}).get(question)
            if not isinstance(text, str) or not text.strip():
                continue
            if mid not in by_id:
                if meetings and not step.brings_back_all:
                    break  # the previous meeting with answers is enough
                moment = _moment(started) or _moment(created)
                by_id[mid] = {"id": mid, "title": title, "date": moment.isoformat() if moment else None,
                              "answers": []}
                meetings.append(by_id[mid])
            by_id[mid]["answers"].append({"participant": participant, "text": text.strip()})
        rows.close()
    for m in meetings:
        if anonymous.get(m["id"], 0) and anonymous[m["id"]] < ANONYMOUS_MIN_SHOWN:
            m["answers"] = [a for a in m["answers"] if a["participant"] is not None]
        # named answers in name order; anonymous ones by their text, so order gives nobody away
        m["answers"].sort(key=lambda a: (a["participant"] is None, a["participant"] or "", a["text"]))
    return {"question": question, "text": _question_text(form, question), "step": step.title,
            "all": step.brings_back_all, "meetings": [m for m in meetings if m["answers"]]}


def _moment(stored: str | None) -> Any:
    """A stored moment as the store's own type reads it (kring.data.models.AwareDateTime)."""
    return AwareDateTime().process_result_value(stored, None) if stored else None


def _question_text(form: str | None, question: str) -> str:
    from kring.data.errors import InputError
    from kring.data.trends import question_label
    from kring.workformats.forms import DEFAULT_FORM, find_form

    try:
        found = find_form(form or DEFAULT_FORM).shown().question(question)
    except InputError:
        found = None
    return found.text if found is not None else question_label(question)
