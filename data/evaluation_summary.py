"""The evaluation's answers summed up: per question, for the screen and the report.

Summary shape (one dict per question, in form order; `summarize`):

    {"id": str, "text": str, "type": "roti" | "scale" | "open" | "choice",
     "case_bringer_only": bool,
     "count": int,                      # how many answered this question
     "mean": float | None,              # numbers only, rounded to 2 decimals
     "min": int | None, "max": int | None,
     "labels": {value: label},          # roti: 0-4; scale: its labelled ends
     "distribution": {value: count},    # every value min..max, or every choice, in order
     "answers": [str]}                  # open questions: the texts
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from sqlmodel import col, select

from kring.data.errors import InputError
from kring.data.evaluation import (
    ANONYMOUS_MIN_SHOWN,
    DEFAULT_FORM,
    EvaluationContext,
    _network_choice,
    _stored_form,
    form_event,
    open_evaluation,
)
from kring.data.models import EvaluationResponse, Meeting
from kring.data.store import Store
from kring.workformats.forms import EvaluationForm, find_form


def _answers_of(item: Any) -> Mapping[str, Any]:
    if isinstance(item, Mapping):
        inner = item.get("answers")
        return inner if isinstance(inner, Mapping) else item
    return getattr(item, "answers", None) or {}


def summarize(form: EvaluationForm, responses: Iterable[Any]) -> list[dict[str, Any]]:
    """Per question: count, mean, distribution, open texts (see the module docstring).

    `responses`: EvaluationResponse rows, report dicts with an "answers" key, or
    plain answer dicts. Values that do not fit the form are left out.
    """
    answer_sets = [_answers_of(r) for r in responses]
    out: list[dict[str, Any]] = []
    for q in form.questions:
        values: list[Any] = []
        for answers in answer_sets:
            try:
                v = q.check(answers.get(q.id))
            except ValueError:
                continue
            if v is not None:
                values.append(v)
        entry: dict[str, Any] = {
            "id": q.id, "text": q.text, "type": q.type.value, "case_bringer_only": q.case_bringer_only,
            "count": len(values), "mean": None,
            "min": q.lowest if q.numeric else None, "max": q.highest if q.numeric else None,
            "labels": q.value_labels(), "distribution": {}, "answers": [],
        }
        if q.numeric:
            entry["distribution"] = {v: values.count(v) for v in q.values}
            entry["mean"] = round(sum(values) / len(values), 2) if values else None
        elif q.type.value == "choice":
            entry["distribution"] = {c: values.count(c) for c in q.choices}
        else:
            entry["answers"] = list(values)
        out.append(entry)
    return out


@dataclass
class MeetingSummary:
    context: EvaluationContext
    questions: list[dict[str, Any]]
    responses: int

    @property
    def withheld(self) -> bool:
        """Anonymous and too few answers yet to show without giving someone away."""
        ctx = self.context
        n = ctx.answered_count
        return ctx.anonymous and n < ANONYMOUS_MIN_SHOWN and n < len(ctx.participants)


def meeting_summary(store: Store, meeting_id: int) -> MeetingSummary:
    ctx = open_evaluation(store, meeting_id)
    with store.session() as s:
        rows = s.exec(
            select(EvaluationResponse).where(EvaluationResponse.meeting_id == meeting_id)
            .order_by(col(EvaluationResponse.id))
        ).all()
        answers = [dict(r.answers or {}) for r in rows]
    return MeetingSummary(ctx, summarize(ctx.form, answers), len(answers))


def report_summary(store: Store, meeting_id: int, events: Iterable[Any], responses: Iterable[Any]
                   ) -> list[dict[str, Any]]:
    """The summary for the report: the meeting's own form, else the network's, else the default.

    Never raises for a missing form: a report is always made.
    """
    responses = list(responses)
    stored = form_event(events)
    try:
        if stored is not None:
            form = _stored_form(stored)[0]
        else:
            with store.session() as s:
                meeting = s.get(Meeting, meeting_id)
                name = _network_choice(s, meeting)[0] if meeting else DEFAULT_FORM
            form = find_form(name)
    except InputError:
        try:
            form = find_form(DEFAULT_FORM)
        except InputError:
            return []
    return summarize(form.shown(), responses)
