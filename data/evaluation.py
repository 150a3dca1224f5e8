"""The closing evaluation: who fills in which form, submitting, progress.

Functions take a Store and hand back plain data, so they run in a thread
worker or a command and never give the UI a live ORM object.

Storage and anonymity
---------------------
Each submission writes two rows in one transaction:

* an `EvaluationReceipt` (meeting, participant, moment): who has answered. It is
  unique per meeting and participant, so a second submission is refused, also
  when two terminals submit for the same person at once.
* an `EvaluationResponse` with the answers, `{question_id: int | str}`.

A participant's own browser (`kring serve`) evaluating anonymously is never
asked a name: its receipt (`submit_unnamed`) holds, instead of a name, a key
made from the browser's cookie (`unnamed_receipt`), so that browser answers
once and the count includes it; the key starts with a control character the
text gate keeps out of every name, so it can never be taken for one, and the
receipt has no moment.

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
a `step`, else the latest). Where there was no case-bringer (none recorded, and
no step for one left: kring.data.core.casebringer) the case-bringer's
questions are skipped. While one may still be chosen, they are shown to
everyone, may be skipped, and whoever answers them is taken to be a case-bringer.

The answers are summed up in kring.data.evaluation_summary.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from kring.data.core.casebringer import HadCaseBringer, had_case_bringer
from kring.data.core.clock import Clock
from kring.data.core.events import EventKind
from kring.data.core.given import resolve_participant  # noqa: F401 - the evaluation's callers ask here
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
    find_form, find_form_kept,
    form_from_data,
)
from kring.data.i18n import _

FORM_EVENT = EventKind.EVALUATION_FORM
# what the evaluation reads of the log: its form, the case-bringer, and how far the meeting went
_EVENTS_READ = [FORM_EVENT, EventKind.CASE_BRINGER, EventKind.START, EventKind.GOTO, EventKind.CLOSE]
# With fewer anonymous answers than this, the screen shows no summary yet
# (unless everyone has answered): two answers and one's own give the other away.
ANONYMOUS_MIN_SHOWN = 3
# An unnamed receipt's key starts with this; no name can (the text gate drops control characters).
UNNAMED = "\x1f"


def unnamed_receipt(secret: str, browser: str) -> str:
    """The receipt key of one browser: keyed with the meeting's link, holding neither the cookie nor a name."""
    return UNNAMED + hmac.new(secret.encode(), browser.encode(), hashlib.sha256).hexdigest()[:40]


class AlreadyAnswered(InputError):
    """This participant's answers are already stored; the first stand."""

    def __init__(self, participant: str) -> None:
        self.participant = participant
        super().__init__(_("{participant} has already filled in the evaluation; the first answers stand").format(participant=participant))


class AnswerError(InputError):
    """An answer that does not fit its question (`question`: its id), or no answer at all
    (`question` None). The message is in the interface's language; a page that words it
    its own way asks `question`, not the text."""

    def __init__(self, message: str, question: str | None = None) -> None:
        self.question = question
        super().__init__(message)


class EveryoneAnswered(InputError):
    """As many have answered as are expected; an unnamed answer more would count someone twice."""

    def __init__(self, expected: int) -> None:
        super().__init__(_("everyone has filled in the evaluation ({expected} of {expected})").format(expected=expected))


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
    unnamed: int = 0  # answers from browsers that gave no name (anonymous)
    had_case_bringer: str = HadCaseBringer.UNKNOWN  # NONE: the case-bringer's questions are skipped

    @property
    def answered_count(self) -> int:
        return len(self.answered) + self.unnamed

    @property
    def everyone_answered(self) -> bool:
        return self.answered_count >= len(self.participants)

    @property
    def waiting(self) -> list[str]:
        done = set(self.answered)
        return [n for n in self.participants if n not in done]

    def questions_for(self, name: str) -> list[Question]:
        return questions_for(self.form, name, self.case_bringers, self.had_case_bringer)

    @property
    def skips_case_bringer(self) -> bool:
        """No case-bringer in this meeting: their questions are not asked."""
        return self.had_case_bringer == HadCaseBringer.NONE


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


def questions_for(form: EvaluationForm, name: str | None, bringers: Sequence[str],
                  had: str = HadCaseBringer.UNKNOWN) -> list[Question]:
    """The questions one participant sees: the case-bringer's only for them, for nobody
    where there was none, for everyone while one may still be chosen."""
    if had == HadCaseBringer.NONE:
        return [q for q in form.questions if not q.case_bringer_only]
    if not bringers or name is None:
        return list(form.questions)
    is_bringer = _casefold_in(name, bringers)
    return [q for q in form.questions if is_bringer or not q.case_bringer_only]


def _casefold_in(name: str, names: Iterable[str]) -> bool:
    return name.casefold() in {n.casefold() for n in names}


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
            raise InputError(_("no network with id {network_id}").format(network_id=network_id))
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
            raise InputError(_("no meeting with id {meeting_id} in this store (see: kring sessions)").format(meeting_id=meeting_id))
        names = people(s, meeting_id)
        answered = _answered(s, meeting_id)
        unnamed = _unnamed(s, meeting_id)
        events = s.exec(
            select(Event).where(Event.meeting_id == meeting_id, col(Event.kind).in_(_EVENTS_READ))
            .order_by(col(Event.id))
        ).all()
        stored = form_event(events)
        choice = _network_choice(s, meeting)
        title, format_data = meeting.title, dict(meeting.format_data or {})
    if stored is not None:
        form, anonymous = _stored_form(stored)
    else:
        form, anonymous = find_form_kept(choice[0]), choice[1]  # kept for the next first paint
    return EvaluationContext(
        meeting_id=meeting_id, title=title, form=form.shown(), anonymous=anonymous, participants=names,
        answered=[n for n in names if n in set(answered)], case_bringers=case_bringers(events), unnamed=unnamed,
        had_case_bringer=had_case_bringer(format_data, events, case_bringers(events)),
    )


def evaluation_for(store: Store, meeting_id: int, given: str | None) -> tuple[EvaluationContext, str | None]:
    """The form and the person who fills it in (None: they pick their name), or InputError
    saying why not: as the command checks before any screen, or after the first paint."""
    context = open_evaluation(store, meeting_id)
    if not context.participants:
        raise InputError(_("meeting {id} has no participants to evaluate").format(id=meeting_id))
    participant = None
    if given is not None:
        participant = resolve_participant(context.participants, given)
        if participant in context.answered:
            raise InputError(_("{participant} has already filled in the evaluation of meeting {id}").format(
                participant=participant, id=meeting_id))
    elif not context.waiting:
        raise InputError(_("everyone has already filled in the evaluation of meeting {id}").format(id=meeting_id))
    return context, participant


def _answered(s: Session, meeting_id: int) -> list[str]:
    """The names on the meeting's receipts (unnamed receipts left out)."""
    return [n for n in s.exec(
        select(EvaluationReceipt.participant).where(EvaluationReceipt.meeting_id == meeting_id)
        .order_by(col(EvaluationReceipt.participant))
    ) if not n.startswith(UNNAMED)]


def _unnamed(s: Session, meeting_id: int) -> int:
    return len(s.exec(
        select(EvaluationReceipt.id).where(EvaluationReceipt.meeting_id == meeting_id,
                                           col(EvaluationReceipt.participant).startswith(UNNAMED))
    ).all())


def has_receipt(store: Store, meeting_id: int, receipt: str) -> bool:
    """Whether this receipt (a name, or an unnamed receipt's key) has answered."""
    with store.session() as s:
        return s.exec(select(EvaluationReceipt.id).where(
            EvaluationReceipt.meeting_id == meeting_id, EvaluationReceipt.participant == receipt)).first() is not None


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
            raise AnswerError(_("question '{qid}' is not on the form '{name}'").format(qid=qid, name=form.name), str(qid))
        try:
            checked = q.check(value)
        except ValueError as exc:
            raise AnswerError(_("question '{qid}' ({text}): {exc}").format(qid=qid, text=q.text, exc=exc), q.id) from None
        if checked is None:
            continue
        if q.id not in allowed_ids:
            raise AnswerError(_("question '{qid}' is for the case-bringer only").format(qid=qid), q.id)
        clean[q.id] = checked
    if not clean:
        raise AnswerError(_("no answers given: answer at least one question"))
    return {q.id: clean[q.id] for q in form.questions if q.id in clean}


def submit(store: Store, meeting_id: int, participant: str, answers: Mapping[str, Any], clock: Clock, *,
           form: EvaluationForm | None = None, anonymous: bool | None = None) -> Submitted:
    """Store one participant's answers, or refuse with an InputError and store nothing.

    `form`/`anonymous` are what the participant was shown; they become the
    meeting's form if nobody has submitted yet. Safe to call from several
    processes and threads at once.
    """
    return _submit(store, meeting_id, participant, answers, clock, form=form, anonymous=anonymous)


def submit_unnamed(store: Store, meeting_id: int, receipt: str, answers: Mapping[str, Any], clock: Clock, *,
                   form: EvaluationForm | None = None) -> Submitted:
    """Store a browser's anonymous answers under a receipt that holds no name (`unnamed_receipt`).

    Refused (InputError, nothing stored) when the meeting does not evaluate
    anonymously, when this receipt has answered already (AlreadyAnswered), or
    when as many have answered as are expected (EveryoneAnswered), so the count
    never passes the number in the room.
    """
    if not receipt.startswith(UNNAMED):
        raise ValueError("an unnamed receipt comes from unnamed_receipt()")
    return _submit(store, meeting_id, None, answers, clock, form=form, anonymous=True, receipt=receipt)


def _submit(store: Store, meeting_id: int, participant: str | None, answers: Mapping[str, Any], clock: Clock, *,
            form: EvaluationForm | None, anonymous: bool | None, receipt: str | None = None) -> Submitted:
    now = clock.now()
    key = participant if participant is not None else receipt
    assert key is not None
    try:
        with store.writing() as s:
            # One submission at a time per meeting, also on PostgreSQL.
            meeting = s.exec(select(Meeting).where(Meeting.id == meeting_id).with_for_update()).first()
            if meeting is None:
                raise InputError(_("no meeting with id {meeting_id} in this store (see: kring sessions)").format(meeting_id=meeting_id))
            # someone marked absent who is there after all may still answer
            if participant is not None and participant not in people(s, meeting_id, present=False):
                raise InputError(_("'{participant}' is not a participant of this meeting").format(participant=participant))
            done = s.exec(
                select(EvaluationReceipt.id).where(
                    EvaluationReceipt.meeting_id == meeting_id, EvaluationReceipt.participant == key
                )
            ).first()
            if done is not None:
                raise AlreadyAnswered(participant or _("this browser"))
            events = s.exec(
                select(Event).where(Event.meeting_id == meeting_id,
                                    col(Event.kind).in_(_EVENTS_READ))
                .order_by(col(Event.id))
            ).all()
            stored = form_event(events)
            if stored is not None:
                # the meeting's own copy decides, whatever form the caller showed
                used, anon = _stored_form(stored)
            else:
                name, anon_choice = _network_choice(s, meeting)
                if form is None:
                    form = find_form(name)
                    anonymous = anon_choice if anonymous is None else anonymous
                if participant is None:  # only the network's choice makes a meeting anonymous here
                    anonymous = anon_choice
                used, anon = form, bool(anonymous)
            if participant is None:
                if not anon:
                    raise InputError(_("this meeting's evaluation is not anonymous: choose your name"))
                everyone = len(people(s, meeting_id))
                if len(_answered(s, meeting_id)) + _unnamed(s, meeting_id) >= everyone:
                    raise EveryoneAnswered(everyone)
            if stored is None:
                s.add(Event(uid=uuid.uuid4().hex, meeting_id=meeting_id, at=now, kind=FORM_EVENT,
                            data={"form": used.written().model_dump(mode="json"), "anonymous": anon}, origin="evaluate"))
            bringers = case_bringers(events)
            # without a name the case-bringer's questions are open to whoever brought the case,
            # if there was one
            allowed = questions_for(used, participant, bringers,
                                    had_case_bringer(meeting.format_data or {}, events, bringers))
            clean = check_answers(used, answers, allowed=allowed)
            own = {q.id for q in used.questions if q.case_bringer_only}
            # an unnamed receipt has no moment either: nothing to line up with anyone's
            s.add(EvaluationReceipt(meeting_id=meeting_id, participant=key,
                                    at=now if participant is not None else None))
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
                assert participant is not None
                is_bringer = _casefold_in(participant, bringers) if bringers else any(k in own for k in clean)
                s.add(EvaluationResponse(meeting_id=meeting_id, participant=participant, form=used.name,
                                         case_bringer=is_bringer, answers=clean, at=now))
    except IntegrityError:
        # the same person (or browser) submitted from elsewhere at the same moment
        raise AlreadyAnswered(participant or _("this browser")) from None
    return Submitted(participant or "", anon, len(clean))


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


# --- progress ---------------------------------------------------------------------------


def progress_in(s: Session, meeting_id: int) -> dict[str, Any]:
    """How many have answered, out of how many, and who gave their name (receipts of a
    name are not anonymous; a browser's unnamed answers count without one)."""
    names = _answered(s, meeting_id)
    return {"answered": len(names) + _unnamed(s, meeting_id), "expected": len(people(s, meeting_id)),
            "names": names}


def progress(store: Store, meeting_id: int) -> dict[str, Any]:
    with store.session() as s:
        return progress_in(s, meeting_id)
