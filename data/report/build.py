"""The meeting report (verslag) as plain data: the JSON contract of DESIGN.md.

Every export (json, md, html, csv) is rendered from this one dictionary, so
they can never disagree. Confidential notes are left out unless asked for.
A closed meeting's actions are shown as they stood at its close.

A report can be made at any time. A live meeting's figures are as of `now`, and
its evaluation is withheld (only the number of answers is given) until the
meeting is closed: the answers stay on the moderator's screen until then.
Anonymous answers carry no name and no time, and are ordered by their content,
so the order in which the keyboard went round cannot give anyone away.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import String, func, type_coerce
from sqlmodel import col, select

from kring.data import i18n
from kring.data.actions import marked_in
from kring.data.core.casebringer import HadCaseBringer, had_case_bringer
from kring.data.core.clock import Clock, SystemClock
from kring.data.core.consent import ConsentRule
from kring.data.core.language import in_language, titles_shown
from kring.data.core.nesting import nested_in
from kring.data.core.rounds import confidential_default, report_rounds
from kring.data.core.timeline import derive
from kring.data.evaluation import ANONYMOUS_MIN_SHOWN, case_bringers, form_event
from kring.data.evaluation_summary import report_summary
from kring.data.meetings import get_meeting, load_events
from kring.data.recall import brought_back
from kring.data.report.advice import collect_advice
from kring.data.report.asof import actions_as_of
from kring.data.report.wording import agenda_rows
from kring.data.models import (
    EvaluationReceipt,
    EvaluationResponse,
    Meeting,
    Network,
    Note,
)
from kring.data.store import Store
from kring.data.core.textgate import shown_records, shown_tree
from kring.data.trends import (
    QUESTION_ORDER,
    SCALES,
    network_trend,
    numeric,
    question_label,
    trend_dict,
)

REPORT_VERSION = 1
# a note in the report: its fields in order, as the report's query reads them
NOTE_FIELDS = ("id", "kind", "text", "item", "step", "speaker", "author", "at", "confidential", "owner", "due",
               "status")
_GATED = frozenset(("notes", "decisions", "actions"))  # made of notes that passed the gate at once


def _iso(moment: Any) -> str | None:
    if moment is None or isinstance(moment, str):
        return moment
    return moment.isoformat()


def build_report(store: Store, meeting_id: int, *, include_confidential: bool = False,
                 clock: Clock | None = None, trend: bool = True) -> dict[str, Any]:
    """The report of one meeting. `trend=False` leaves the network's trend out (None):
    the network's report draws its own once, instead of one per meeting of the series."""
    info = get_meeting(store, meeting_id)
    events = load_events(store, meeting_id)
    # a closed meeting's figures are fixed at its end; a live one's at `now`
    now = (clock or SystemClock()).now()
    tl = derive(info.plan, events, now)
    fmt = info.format.with_subagendas(events)  # a sub-agenda's steps are the meeting's too
    people = report_rounds([(p.name, list(p.roles)) for p in info.participants], tl,
                           include_confidential=include_confidential)
    closed = info.status == "closed" or tl.closed
    # a case-bringer's consent shares every note of their case (kring.data.core.consent)
    rule = ConsentRule.of(fmt, events)
    any_consent = any(c.share for c in rule.consents.values())

    with store.session() as s:
        network = s.get(Network, info.network_id) if info.network_id else None
        # plain rows, and moments as the ISO text they are stored as: a report
        # of thousands of notes need not make an object or parse a date per note
        # the columns in the order of a note in the report (NOTE_FIELDS), then its uid
        nq = (
            select(Note.id, Note.kind, Note.text, func.nullif(Note.step_title, "").label("item"), Note.step_index,
                   Note.speaker, Note.author, type_coerce(Note.__table__.c.at, String).label("at"),
                   Note.confidential, Note.owner, Note.due, Note.status, Note.uid)
            .where(Note.meeting_id == meeting_id, Note.deleted == False)  # noqa: E712
            .order_by(col(Note.at), col(Note.id))
        )
        if not include_confidential and not any_consent:
            nq = nq.where(Note.confidential == False)  # noqa: E712
        rows = s.connection().execute(nq).all()  # plain rows: no ORM step per note
        if closed:  # a report made later shows the actions as they stood at the close (kring.data.report.asof)
            rows = actions_as_of(s, rows, tl.closed_at or info.ended_at)
        notes = _items_shown([dict(zip(NOTE_FIELDS, n)) for n in rows], info, events)
        if any_consent or rule.choices:
            for n, row in zip(notes, rows):
                n["confidential"] = rule.confidential(stored=row.confidential, step_index=row.step_index,
                                                      at=row.at, uid=row.uid)
        responses = s.exec(
            select(EvaluationResponse).where(EvaluationResponse.meeting_id == meeting_id)
            .order_by(col(EvaluationResponse.id))
        ).all()
        looked_back = _looked_back(s, marked_in(events), include_confidential)
        receipts = s.exec(
            select(func.count(EvaluationReceipt.id)).where(EvaluationReceipt.meeting_id == meeting_id)
        ).one()
        network_info = None if network is None else {
            "id": network.id, "name": network.name, "theme": network.theme, "goal": network.goal,
        }
        anonymous = bool(network.anonymous_evaluation) if network is not None else False
        form = network.evaluation_form if network is not None else "standaard"
    used = form_event(events)  # the form and anonymity the meeting was evaluated with
    if used is not None:
        anonymous = bool(used.get("anonymous", anonymous))
        form = str((used.get("form") or {}).get("name") or form)

    # the text gate on the way out: a title or note stored before the gate, or
    # written into the store by hand, reaches no export with an escape sequence
    shown = shown_records([n for n in notes if include_confidential or not n["confidential"]])
    evaluation = _evaluation(responses, receipts, closed=closed, anonymous=anonymous, form=form,
                             participants=len(info.participants))
    if evaluation["responses"]:
        evaluation["summary"] = (
            report_summary(store, meeting_id, events, evaluation["responses"]) or basic_summary(evaluation["responses"])
        )
    if had_case_bringer(info.format, events, case_bringers(events)) == HadCaseBringer.NONE:
        # no case-bringer, so their questions were not asked: not counted as unanswered
        evaluation["not_asked"] = [q.get("id") for q in evaluation["summary"] if q.get("case_bringer_only")]
        evaluation["summary"] = [q for q in evaluation["summary"] if not q.get("case_bringer_only")]
    summary = [q for q in evaluation["summary"] if isinstance(q, dict) and q.get("id")]
    labels = {q["id"]: q.get("text") for q in summary}
    ranges = {q["id"]: (q["min"], q["max"]) for q in summary
              if isinstance(q.get("min"), int) and isinstance(q.get("max"), int)}
    known_form = (labels, ranges) if ranges else None  # else the trend reads the network's form
    breaks = _breaks(tl)
    report = {
        "kring_report": REPORT_VERSION,
        "generated_at": _iso(now),
        "language": i18n.current(),
        "include_confidential": include_confidential,
        "session": {
            "id": info.id,
            "title": info.title,
            "werkvorm": info.werkvorm,
            "werkvorm_title": info.format.title or info.werkvorm,
            "status": "closed" if closed else info.status,
            "created_at": _iso(info.created_at),
            "started_at": _iso(tl.started_at or info.started_at),
            "ended_at": _iso(tl.closed_at or info.ended_at),
            "place": info.place,
            "network": network_info,
            "planned_seconds": tl.planned_total,
            # a break counts as the budget counts it: time the meeting took, though no step ran
            "actual_seconds": round(sum(st.elapsed for st in tl.top)) + sum(b["seconds"] for b in breaks),
            "break_seconds": sum(b["seconds"] for b in breaks),
            "current_step": None if closed else tl.current,
            "case_bringer": people["case_bringer"],
            "case": people["case"],
            # each case-bringer's latest decision on sharing the notes of their case, and when
            "consent": rule.report(),
        },
        "participants": people["participants"],
        "agenda": _agenda(tl, fmt, events),
        "breaks": breaks,
        "notes": shown,
        "looked_back": looked_back,
        "decisions": [
            {"text": n["text"], "item": n["item"], "at": n["at"], "confidential": n["confidential"]}
            for n in shown
            if n["kind"] == "decision"
        ],
        "actions": [
            {"text": n["text"], "owner": n["owner"], "due": n["due"], "status": n["status"], "item": n["item"],
             "at": n["at"], "confidential": n["confidential"]}
            for n in shown
            if n["kind"] == "action"
        ],
        "evaluation": evaluation,
        "speaking": people["speaking"],
        "speaking_evenness": people["speaking_evenness"],
        "trend": trend_dict(network_trend(store, info.network_id, until=info.id, form=known_form), info.id, labels)
        if info.network_id is not None and trend else None,
    }
    report = {key: value if key in _GATED else shown_tree(value) for key, value in report.items()}
    # the advice steps' notes once more, for the case-bringer (kring.data.report.advice)
    report["advice"] = collect_advice(rule.fmt, rule, report["notes"], agenda_rows(report),
                                      include_confidential=include_confidential)
    # what earlier meetings said they would do differently, where a step brings it back (kring.data.recall)
    report["brought_back"] = shown_tree(brought_back(store, meeting_id, rule.fmt))
    return report


def _breaks(tl: Any) -> list[dict[str, Any]]:
    """Each break: from, to (now while it is on), its length, the end it announced, and the step it was in."""
    out = []
    for start, until, end, step in tl.breaks:
        to = end or tl.closed_at or tl.now
        out.append({"from": _iso(start), "to": _iso(to), "until": _iso(until), "step": step,
                    "seconds": max(0, round((to - start).total_seconds()))})
    return out


def _agenda(tl: Any, fmt: Any, events: list[Any]) -> list[dict[str, Any]]:
    """The meeting's steps, planned against actual; a step that ran a work format inside
    it holds that sub-agenda (its format and its own steps, numbered "4.1", "4.2")."""

    def entry(st: Any) -> dict[str, Any]:
        return {
            "index": st.index,
            "number": st.number,
            "title": st.title,
            "mode": st.mode,
            "planned_seconds": st.planned,
            "actual_seconds": round(st.elapsed),
            "base_seconds": st.base_seconds,
            "visits": st.visits,
            "confidential": confidential_default(fmt, events, st.index),
        }

    out = []
    for st in tl.top:
        row = entry(st)
        steps = tl.children(st.index)
        if steps:
            nested = next((n for n in nested_in(events, len(tl.top)) if n.parent == st.index), None)
            own = in_language(nested.format) if nested is not None else {}
            row["subagenda"] = {"werkvorm": own.get("name"), "title": own.get("title") or own.get("name"),
                                "planned_minutes": own.get("planned_minutes"), "steps": [entry(c) for c in steps]}
        out.append(row)
    return out


def _items_shown(notes: list[dict[str, Any]], info: Any, events: list[Any]) -> list[dict[str, Any]]:
    """A note keeps its step's title as it was shown when it was taken; the report names
    that step in its own language (an English report of a meeting held in Dutch)."""
    top = [s for s in info.format_data.get("steps", []) if isinstance(s, dict)]
    # every language's title of each step: a note-taker with --lang en filed under the English
    written = [titles_shown([s]) for s in top]
    written += [titles_shown([s]) for n in nested_in(events, len(top)) for s in n.steps]
    steps = info.format.with_subagendas(events).steps
    for n in notes:
        i = n["step"]
        if n["item"] and i is not None and 0 <= i < min(len(written), len(steps)) and n["item"] in written[i]:
            n["item"] = steps[i].title
    return notes


def _looked_back(s: Any, marked: dict[str, str], include_confidential: bool) -> list[dict[str, Any]]:
    """Earlier actions the moderator marked in this meeting (done, kept, dropped), as marked."""
    if not marked:
        return []
    rows = s.exec(
        select(Note.uid, Note.text, Note.owner, Note.due, Note.confidential, Meeting.title)
        .join(Meeting, Meeting.id == Note.meeting_id)
        .where(col(Note.uid).in_(list(marked)), Note.deleted == False)  # noqa: E712
    ).all()
    by_uid = {r[0]: r for r in rows}
    out = []
    for uid, status in marked.items():
        row = by_uid.get(uid)
        if row is None or (row[4] and not include_confidential):
            continue
        _uid, text, owner, due, confidential, meeting = row
        out.append({"text": text, "owner": owner, "due": due, "status": status, "meeting": meeting,
                    "confidential": confidential})
    return out


def _evaluation(responses: list[EvaluationResponse], receipts: int, *, closed: bool, anonymous: bool,
                form: str, participants: int) -> dict[str, Any]:
    # people who answered: receipts (an anonymous case-bringer's own questions sit in a row of their own)
    count = int(receipts or 0) or len(responses)
    section: dict[str, Any] = {
        "form": form,
        "anonymous": anonymous,
        "count": count,
        # answers leave the room only once the meeting is closed; anonymous ones
        # only when there are enough of them not to give anyone away (as on screen)
        "withheld": not closed,
        "withheld_because": None if closed else "live",
        "responses": [],
        "summary": [],
    }
    if closed and anonymous and 0 < count < ANONYMOUS_MIN_SHOWN and count < participants:
        section["withheld"], section["withheld_because"] = True, "anonymity"
    if section["withheld"]:
        return section
    rows = [
        {
            "participant": None if anonymous else r.participant,
            "case_bringer": r.case_bringer,
            "answers": dict(r.answers or {}),
            "at": None if anonymous or r.participant is None else _iso(r.at),
        }
        for r in responses
    ]
    if anonymous or any(r["participant"] is None for r in rows):
        rows.sort(key=lambda r: json.dumps(r["answers"], sort_keys=True, ensure_ascii=False))
    section["responses"] = rows
    return section


def basic_summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A per-question summary read from the answers alone, for when no form can
    be found: numbers get a mean and a distribution, texts are open answers.
    (The form-aware summary is `kring.data.evaluation.report_summary`.)"""
    order: dict[str, None] = {q: None for q in QUESTION_ORDER}
    for r in rows:
        for qid in r["answers"]:
            order.setdefault(qid, None)
    out = []
    for qid in order:
        given = [r["answers"][qid] for r in rows if qid in r["answers"] and r["answers"][qid] not in (None, "")]
        if not given:
            continue
        numbers = [numeric(v) for v in given]
        if all(n is not None for n in numbers):
            low, high = SCALES.get(qid, (None, None))
            dist: dict[Any, int] = {v: 0 for v in range(low, high + 1)} if low is not None else {}
            for v in given:
                dist[v] = dist.get(v, 0) + 1
            out.append({
                "id": qid, "text": question_label(qid), "type": "roti" if qid == "roti" else "scale",
                "count": len(given), "mean": round(sum(numbers) / len(numbers), 2),  # type: ignore[arg-type]
                "distribution": dict(sorted(dist.items())), "answers": [],
            })
        else:
            out.append({
                "id": qid, "text": question_label(qid), "type": "open", "count": len(given), "mean": None,
                "distribution": {}, "answers": [str(v) for v in given],
            })
    return out
