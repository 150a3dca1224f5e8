"""The closing evaluation: who fills in which form, submitting, progress, summary.

Functions take a Store and hand back plain data, so they run in a thread
worker or a command and never give the UI a live ORM object.

Storage and anonymity
---------------------
Each submission writes two rows in one transaction:

* an `EvaluationReceipt` (meeting, participant, moment): who has answered. It is
  unique per meeting and participant, so a second submission is refused, also
  when two terminals submit for the same person at once.
* an `EvaluationResponse` with the answers, `{question_id: int | str}`.

When the meeting evaluates anonymously, the response carries no participant
and no moment, and on every new anonymous submission the answers of all the
meeting's anonymous responses are dealt out again over their rows in a random
order, so neither row ids nor timestamps line up with the receipts. The
case-bringer's own questions are kept in a row of their own (flagged
`case_bringer`), so answering them does not mark the rest of their form.

A meeting keeps the form it was evaluated with: the first submission writes an
`evaluation_form` event `{"form": <form as data>, "anonymous": bool}` to the
log, and later submissions, the summary and the report read that copy. Before
the first submission the network's choice applies (`Network.evaluation_form`,
`Network.anonymous_evaluation`; a meeting without a network uses the default
form, not anonymous).

The case-bringer is whoever the rounds capability recorded with a
`case_bringer` event `{"name": ...}` (the latest per step when the event names
a `step`, else the latest). When none was recorded, the case-bringer's
questions are shown to everyone, may be skipped, and whoever answers them is
taken to be a case-bringer.

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

import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from kring.data.core.clock import Clock
from kring.data.core.events import EventKind
from kring.data.errors import InputError
from kring.data.models import (
    EvaluationReceipt,
    EvaluationResponse,
    Event,
    Meeting,
    Network,
    Participant,
)
from kring.data.store import Store
from kring.workformats.forms import (
    DEFAULT_FORM,
    EvaluationForm,
    Question,
    find_form,
    form_from_data,
)

FORM_EVENT = EventKind.EVALUATION_FORM
# With fewer anonymous answers than this, the screen shows no summary yet
# (unless everyone has answered): two answers and one's own give the other away.
ANONYMOUS_MIN_SHOWN = 3


class AlreadyAnswered(InputError):
    """This participant's answers are already stored; the first stand."""

    def __init__(self, participant: str) -> None:
        self.participant = participant
        super().__init__(f"{participant} has already filled in the evaluation; the first answers stand")


@dataclass
class EvaluationContext:
    """What a form screen needs, as plain data."""

    meeting_id: int
    title: str
    form: EvaluationForm
    anonymous: bool
    participants: list[str]
    answered: list[str]
    case_bringers: list[str] = field(default_factory=list)  # empty: none recorded

    @property
    def waiting(self) -> list[str]:
        done = set(self.answered)
        return [n for n in self.participants if n not in done]

    def questions_for(self, name: str) -> list[Question]:
        return questions_for(self.form, name, self.case_bringers)


@dataclass(frozen=True)
class Submitted:
    participant: str
    anonymous: bool
    answers: int  # how many questions were answered


# --- who, which form --------------------------------------------------------------


def case_bringers(events: Iterable[Any]) -> list[str]:
    """Names recorded as case-bringer (latest per step), in the order first chosen."""
    latest: dict[Any, str | None] = {}
    for ev in events:
        kind = ev.kind if hasattr(ev, "kind") else ev["kind"]
        if kind != EventKind.CASE_BRINGER:
            continue
        data = (ev.data if hasattr(ev, "data") else ev.get("data")) or {}
        name = data.get("name")
        latest[data.get("step")] = name.strip() if isinstance(name, str) and name.strip() else None
    return list(dict.fromkeys(n for n in latest.values() if n))


def form_event(events: Iterable[Any]) -> dict[str, Any] | None:
    """The first `evaluation_form` event's data: the form this meeting was evaluated with."""
    for ev in events:
        kind = ev.kind if hasattr(ev, "kind") else ev["kind"]
        if kind == FORM_EVENT:
            data = ev.data if hasattr(ev, "data") else ev.get("data")
            if isinstance(data, dict) and isinstance(data.get("form"), dict):
                return data
    return None


def questions_for(form: EvaluationForm, name: str, bringers: Sequence[str]) -> list[Question]:
    """The questions one participant sees: the case-bringer's only for them (or all, if none is known)."""
    if not bringers:
        return list(form.questions)
    is_bringer = _casefold_in(name, bringers)
    return [q for q in form.questions if is_bringer or not q.case_bringer_only]


def _casefold_in(name: str, names: Iterable[str]) -> bool:
    return name.casefold() in {n.casefold() for n in names}


def resolve_participant(names: Sequence[str], given: str) -> str:
    """A participant's name as stored, from what someone typed (`--as anouk`)."""
    typed = " ".join(given.split())
    if not typed:
        raise InputError("--as: the name is empty")
    exact = [n for n in names if n.casefold() == typed.casefold()]
    if exact:
        return exact[0]
    starts = [n for n in names if n.casefold().split()[0] == typed.casefold()] or [
        n for n in names if n.casefold().startswith(typed.casefold())
    ]
    if len(starts) == 1:
        return starts[0]
    known = ", ".join(names) or "none"
    if len(starts) > 1:
        raise InputError(f"'{typed}' fits more than one participant: {', '.join(starts)}")
    raise InputError(f"'{typed}' is not a participant of this meeting (participants: {known})")


def people(s: Session, meeting_id: int, *, present: bool = True) -> list[str]:
    """Who may evaluate: the participants by seat, then latecomers in the order they came,
    less those marked absent (unless they answered after all)."""
    names = list(
        s.exec(select(Participant.name).where(Participant.meeting_id == meeting_id).order_by(Participant.seat))
    )
    seen = {n.casefold() for n in names}
    rows = s.exec(  # latecomers who joined a round evaluate too; the absent are not in the room
        select(Event.kind, Event.data).where(
            Event.meeting_id == meeting_id, col(Event.kind).in_([EventKind.JOIN, EventKind.ABSENT])
        ).order_by(col(Event.id))
    ).all()
    absent: set[str] = set()
    for kind, data in rows:
        name = (data or {}).get("name")
        if not isinstance(name, str) or not name.strip():
            continue
        name = name.strip()
        if kind == EventKind.ABSENT:
            (absent.add if (data or {}).get("absent", True) else absent.discard)(name.casefold())
            continue
        absent.discard(name.casefold())
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    if not absent or not present:
        return names
    answered = {n.casefold() for n in _answered(s, meeting_id)}
    return [n for n in names if n.casefold() not in absent or n.casefold() in answered]


def _network_choice(s: Session, meeting: Meeting) -> tuple[str, bool]:
    if meeting.network_id is None:
        return DEFAULT_FORM, False
    net = s.get(Network, meeting.network_id)
    if net is None:
        return DEFAULT_FORM, False
    return (net.evaluation_form or DEFAULT_FORM), bool(net.anonymous_evaluation)


def _stored_form(data: dict[str, Any]) -> tuple[EvaluationForm, bool]:
    return form_from_data(data["form"]), bool(data.get("anonymous"))


def choose_for_network(store: Store, network_id: int, *, form: str | None = None,
                       anonymous: bool | None = None) -> tuple[str, bool]:
    """Set a network's evaluation form (checked to exist) and/or anonymity; returns both.

    Meetings already evaluated keep the form and anonymity they were evaluated with.
    """
    if form is not None:
        form = find_form(form).name  # InputError naming the known forms if there is no such form
    with store.writing() as s:
        net = s.get(Network, network_id)
        if net is None:
            raise InputError(f"no network with id {network_id}")
        if form is not None:
            net.evaluation_form = form
        if anonymous is not None:
            net.anonymous_evaluation = anonymous
        s.add(net)
        return net.evaluation_form, bool(net.anonymous_evaluation)


def open_evaluation(store: Store, meeting_id: int) -> EvaluationContext:
    """Everything a form screen needs. InputError if the network's form cannot be found."""
    with store.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise InputError(f"no meeting with id {meeting_id} in this store (see: kring sessions)")
        names = people(s, meeting_id)
        answered = _answered(s, meeting_id)
        events = s.exec(
            select(Event).where(Event.meeting_id == meeting_id, col(Event.kind).in_([FORM_EVENT, EventKind.CASE_BRINGER]))
            .order_by(col(Event.id))
        ).all()
        stored = form_event(events)
        choice = _network_choice(s, meeting)
        title = meeting.title
    if stored is not None:
        form, anonymous = _stored_form(stored)
    else:
        form, anonymous = find_form(choice[0]), choice[1]
    return EvaluationContext(
        meeting_id=meeting_id, title=title, form=form, anonymous=anonymous, participants=names,
        answered=[n for n in names if n in set(answered)], case_bringers=case_bringers(events),
    )


def _answered(s: Session, meeting_id: int) -> list[str]:
    return list(
        s.exec(
            select(EvaluationReceipt.participant).where(EvaluationReceipt.meeting_id == meeting_id)
            .order_by(col(EvaluationReceipt.participant))
        )
    )


# --- answers ------------------------------------------------------------------------


def check_answers(form: EvaluationForm, answers: Mapping[str, Any], *, allowed: Sequence[Question] | None = None
                  ) -> dict[str, int | str]:
    """The answers as they will be stored; InputError naming the first that does not fit.

    `allowed`: the questions this participant may answer (default: all).
    Blank answers are left out; at least one answer is needed.
    """
    allowed_ids = {q.id for q in (allowed if allowed is not None else form.questions)}
    clean: dict[str, int | str] = {}
    for qid, value in answers.items():
        q = form.question(str(qid))
        if q is None:
            raise InputError(f"question '{qid}' is not on the form '{form.name}'")
        try:
            checked = q.check(value)
        except ValueError as exc:
            raise InputError(f"question '{qid}' ({q.text}): {exc}") from None
        if checked is None:
            continue
        if q.id not in allowed_ids:
            raise InputError(f"question '{qid}' is for the case-bringer only")
        clean[q.id] = checked
    if not clean:
        raise InputError("no answers given: answer at least one question")
    return {q.id: clean[q.id] for q in form.questions if q.id in clean}


def submit(store: Store, meeting_id: int, participant: str, answers: Mapping[str, Any], clock: Clock, *,
           form: EvaluationForm | None = None, anonymous: bool | None = None) -> Submitted:
    """Store one participant's answers, or refuse with an InputError and store nothing.

    `form`/`anonymous` are what the participant was shown; they become the
    meeting's form if nobody has submitted yet. Safe to call from several
    processes and threads at once.
    """
    now = clock.now()
    try:
        with store.writing() as s:
            # One submission at a time per meeting, also on PostgreSQL.
            meeting = s.exec(select(Meeting).where(Meeting.id == meeting_id).with_for_update()).first()
            if meeting is None:
                raise InputError(f"no meeting with id {meeting_id} in this store (see: kring sessions)")
            # someone marked absent who is there after all may still answer
            if participant not in people(s, meeting_id, present=False):
                raise InputError(f"'{participant}' is not a participant of this meeting")
            done = s.exec(
                select(EvaluationReceipt.id).where(
                    EvaluationReceipt.meeting_id == meeting_id, EvaluationReceipt.participant == participant
                )
            ).first()
            if done is not None:
                raise AlreadyAnswered(participant)
            events = s.exec(
                select(Event).where(Event.meeting_id == meeting_id,
                                    col(Event.kind).in_([FORM_EVENT, EventKind.CASE_BRINGER]))
                .order_by(col(Event.id))
            ).all()
            stored = form_event(events)
            if stored is not None:
                # the meeting's own copy decides, whatever form the caller showed
                used, anon = _stored_form(stored)
            else:
                if form is None:
                    name, anon_choice = _network_choice(s, meeting)
                    form = find_form(name)
                    anonymous = anon_choice if anonymous is None else anonymous
                used, anon = form, bool(anonymous)
                s.add(Event(uid=uuid.uuid4().hex, meeting_id=meeting_id, at=now, kind=FORM_EVENT,
                            data={"form": used.model_dump(mode="json"), "anonymous": anon}, origin="evaluate"))
            bringers = case_bringers(events)
            allowed = questions_for(used, participant, bringers)
            clean = check_answers(used, answers, allowed=allowed)
            own = {q.id for q in used.questions if q.case_bringer_only}
            is_bringer = _casefold_in(participant, bringers) if bringers else any(k in own for k in clean)
            s.add(EvaluationReceipt(meeting_id=meeting_id, participant=participant, at=now))
            if anon:
                general = {k: v for k, v in clean.items() if k not in own}
                personal = {k: v for k, v in clean.items() if k in own}
                for part, flag in ((general, False), (personal, True)):
                    if part:
                        s.add(EvaluationResponse(meeting_id=meeting_id, participant=None, form=used.name,
                                                 case_bringer=flag, answers=part, at=None))
                s.flush()
                _deal_again(s, meeting_id)
            else:
                s.add(EvaluationResponse(meeting_id=meeting_id, participant=participant, form=used.name,
                                         case_bringer=is_bringer, answers=clean, at=now))
    except IntegrityError:
        # the same person submitted from another terminal at the same moment
        raise AlreadyAnswered(participant) from None
    return Submitted(participant, anon, len(clean))


def _deal_again(s: Session, meeting_id: int) -> None:
    """Shuffle the contents of the meeting's anonymous rows so row order tells nothing."""
    rows = list(
        s.exec(
            select(EvaluationResponse).where(
                EvaluationResponse.meeting_id == meeting_id, col(EvaluationResponse.participant).is_(None)
            ).order_by(col(EvaluationResponse.id))
        )
    )
    contents = [(r.case_bringer, dict(r.answers)) for r in rows]
    secrets.SystemRandom().shuffle(contents)
    for row, (flag, answers) in zip(rows, contents):
        if row.case_bringer != flag or row.answers != answers:
            row.case_bringer, row.answers, row.at = flag, answers, None
            s.add(row)


# --- progress and summary ---------------------------------------------------------------


def progress_in(s: Session, meeting_id: int) -> dict[str, Any]:
    """How many have answered, out of how many, and who (receipts are not anonymous)."""
    names = _answered(s, meeting_id)
    return {"answered": len(names), "expected": len(people(s, meeting_id)), "names": names}


def progress(store: Store, meeting_id: int) -> dict[str, Any]:
    with store.session() as s:
        return progress_in(s, meeting_id)


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
        n = len(ctx.answered)
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
    return summarize(form, responses)
