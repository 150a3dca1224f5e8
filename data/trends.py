"""The evaluation trend of a network: the numeric answers' means, meeting by meeting.

Only closed meetings count: an evaluation is not shown outside the room before
its meeting is closed. The figures are plain data, for the history screen's
bars in the terminal and the inline SVG of the HTML report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import String, func, type_coerce
from sqlmodel import col, select

from kring.data.collector import collector_held
from kring.data.i18n import _
from kring.data.models import EvaluationResponse, Meeting, Network
from kring.data.store import Store

# The default form's questions in its order, ROTI first (see METHODS.md).
QUESTION_ORDER = ("roti", "relevance", "safety", "goals", "method", "top", "tip", "tomorrow", "advice_useful",
                  "action_chosen")
SCALES: dict[str, tuple[int, int]] = {
    "roti": (0, 4),
    "relevance": (1, 5),
    "safety": (0, 10),
    "goals": (0, 10),
    "method": (0, 10),
    "advice_useful": (1, 5),
}


def question_label(qid: str) -> str:
    labels = {
        "roti": _("Worth my time (ROTI)"),
        "relevance": _("Relevance to my practice"),
        "safety": _("Heard and safe"),
        "goals": _("Worked on what mattered"),
        "method": _("The work format suited us"),
        "top": _("Top"),
        "tip": _("Tip"),
        "tomorrow": _("What I will do differently tomorrow"),
        "advice_useful": _("Usefulness of the advice"),
        "action_chosen": _("The action the case-bringer chose"),
    }
    return labels.get(qid, qid)


def numeric(value: Any) -> float | None:
    """An answer counts in a mean only when it is a number (never a bool or a text)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


@dataclass
class TrendPoint:
    meeting_id: int
    title: str
    date: datetime  # aware; the started moment, else when it was made
    responses: int = 0
    means: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Trend:
    network_id: int | None
    network: str | None
    points: list[TrendPoint]
    # from the network's evaluation form: question text and numeric range
    labels: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)

    def label(self, qid: str) -> str:
        return self.labels.get(qid) or question_label(qid)

    def questions(self) -> list[str]:
        """Numeric questions that have answers, the default form's order first."""
        seen: dict[str, None] = {}
        for p in self.points:
            for q in p.means:
                seen.setdefault(q, None)
        known = [q for q in QUESTION_ORDER if q in seen]
        return known + sorted(q for q in seen if q not in QUESTION_ORDER)

    def series(self, qid: str) -> list[tuple[TrendPoint, float]]:
        return [(p, p.means[qid]) for p in self.points if qid in p.means]

    def scale(self, qid: str) -> tuple[float, float]:
        if qid in self.ranges:
            return self.ranges[qid]
        if qid in SCALES:
            return SCALES[qid]
        values = [m for _p, m in self.series(qid)]
        return (min(0.0, *values) if values else 0.0, max(1.0, *values) if values else 1.0)


class _Answers:
    """One meeting's answers, summed as they are read: a count, and per question a sum
    and a count of the answers that are numbers."""

    __slots__ = ("responses", "sums", "counts")

    def __init__(self) -> None:
        self.responses = 0
        self.sums: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def add(self, answers: dict[str, Any] | None) -> None:
        self.responses += 1
        sums, counts = self.sums, self.counts
        for qid, value in (answers or {}).items():
            kind = type(value)
            if kind is int or kind is float:  # what JSON's numbers are; a bool is neither
                number = float(value)
            else:
                number = numeric(value)
                if number is None:
                    continue
            sums[qid] = sums.get(qid, 0.0) + number
            counts[qid] = counts.get(qid, 0) + 1

    def means(self) -> dict[str, float]:
        return {q: self.sums[q] / self.counts[q] for q in self.sums}


def means_of(answer_sets: Iterable[dict[str, Any]]) -> tuple[dict[str, float], dict[str, int]]:
    summed = _Answers()
    for answers in answer_sets:
        summed.add(answers)
    return summed.means(), summed.counts


def network_trend(store: Store, network_id: int | None, *, until: int | None = None,
                  form: tuple[dict[str, str], dict[str, tuple[int, int]]] | None = None) -> Trend:
    """Every closed meeting of the network (None: meetings without a network) with
    evaluation answers, in date order; `until` leaves out meetings after that one.
    `form`: question texts and ranges when the caller has them (else the
    network's form is read)."""
    with collector_held():
        return _read_trend(store, network_id, until, form)


def _read_trend(store: Store, network_id: int | None, until: int | None,
                form: tuple[dict[str, str], dict[str, tuple[int, int]]] | None) -> Trend:
    with store.session() as s:
        name = None
        form_name = None
        if network_id is not None:
            net = s.get(Network, network_id)
            name = net.name if net else None
            form_name = net.evaluation_form if net else None
        meetings = s.exec(_meetings_query(network_id)).all()
        answered: dict[int, _Answers] = {}
        if meetings:
            # summed row by row as they come: no object per answer outlives its row
            for mid, ans in s.connection().execute(_answers_query(network_id)):
                found = answered.get(mid)
                if found is None:
                    found = answered[mid] = _Answers()
                found.add(json.loads(ans) if isinstance(ans, (str, bytes)) else ans)
        limit_date = None
        if until is not None:
            current = s.execute(select(_when()).where(Meeting.id == until)).scalar()
            if current is not None:
                limit_date = datetime.fromisoformat(current)
        points = []
        for mid, title, when in meetings:
            found = answered.get(mid)
            if found is None:
                continue
            date = datetime.fromisoformat(when)
            if until is not None and mid != until and limit_date is not None and (date, mid) > (limit_date, until):
                continue
            points.append(TrendPoint(mid, title, date, found.responses, found.means(), found.counts))
        points.sort(key=lambda p: (p.date, p.meeting_id))
    labels, ranges = form if form is not None else form_questions(form_name)
    return Trend(network_id, name, points, labels, ranges)


def _meetings_query(network_id: int | None) -> Any:
    """The network's closed meetings (None: those without a network), from the history's index alone."""
    return select(Meeting.id, Meeting.title, _when()).where(
        Meeting.status == "closed", Meeting.network_id == network_id  # None compiles to IS NULL
    )


def _answers_query(network_id: int | None) -> Any:
    """Every answer set of those meetings, as stored (JSON text in SQLite: decoded by the
    caller, without an object per row on the way)."""
    return (
        select(EvaluationResponse.meeting_id, type_coerce(EvaluationResponse.__table__.c.answers, String))
        .join(Meeting, Meeting.id == EvaluationResponse.meeting_id)
        .where(Meeting.status == "closed", Meeting.network_id == network_id)
    )


def _when() -> Any:
    """A meeting's date as stored (its started moment, else when it was made),
    read as text: the standard library parses it far faster than pendulum."""
    raw = Meeting.__table__.c
    return type_coerce(func.coalesce(raw.started_at, raw.created_at), String)


def form_questions(form_name: str | None) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """Question texts and numeric ranges of an evaluation form (the default when
    None); empty when the form cannot be read: the trend is still shown."""
    from kring.data.errors import InputError
    from kring.workformats.forms import DEFAULT_FORM, find_form

    try:
        form = find_form(form_name or DEFAULT_FORM).shown()
    except InputError:
        return {}, {}
    labels = {q.id: q.text for q in form.questions}
    ranges = {q.id: (q.lowest, q.highest) for q in form.questions if q.numeric}
    return labels, ranges


def trend_dict(trend: Trend, current: int | None = None, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """The trend as it goes into the report dictionary (JSON-ready)."""
    labels = labels or {}
    return {
        "network": trend.network,
        "questions": [
            {"id": q, "text": labels.get(q) or trend.label(q), "min": trend.scale(q)[0], "max": trend.scale(q)[1]}
            for q in trend.questions()
        ],
        "points": [
            {
                "meeting": p.meeting_id,
                "title": p.title,
                "date": p.date.isoformat(),
                "responses": p.responses,
                "current": p.meeting_id == current,
                "means": {q: round(m, 2) for q, m in p.means.items()},
            }
            for p in trend.points
        ],
    }


BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, low: float, high: float, width: int) -> str:
    """A horizontal bar of `width` cells, in eighths, for value on [low, high]."""
    if width <= 0:
        return ""
    span = (high - low) or 1.0
    eighths = round(max(0.0, min(1.0, (value - low) / span)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (BLOCKS[part] if part else "")
    return text.ljust(width)
