"""What every rendering of a report says alike: the date line, the notices, the
notes per step, the evaluation's questions and the footer, in the interface
language (gettext), dates through kring.data.labels."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pendulum
from pendulum import DateTime

from kring.data.i18n import _
from kring.data.labels import clock_time as _clock_time
from kring.data.labels import date_long as _date_long
from kring.data.labels import date_short as _date_short
from kring.data.trends import question_label


@lru_cache(maxsize=4096)  # a report's actions share a handful of due dates; a DateTime is immutable
def moment_of(iso: str | None) -> DateTime | None:
    if not iso:
        return None
    try:
        parsed = pendulum.parse(iso)
    except (ValueError, TypeError):
        return None
    return parsed if isinstance(parsed, DateTime) else None


def hhmm(moment: DateTime) -> str:
    return _clock_time(moment)  # in the user's zone


@lru_cache(maxsize=4096)
def day_of(due: str | None) -> Any:
    """A due date as the day it names (a date is no instant: never turned into another zone);
    a due moment with its time stays one. None for what is no date."""
    if not due:
        return None
    try:
        parsed = pendulum.parse(due, exact=True)
    except (ValueError, TypeError):
        return None
    return parsed if isinstance(parsed, (DateTime, pendulum.Date)) else None


def difference(planned: int, actual: int) -> str:
    minutes = round((actual - planned) / 60)
    if minutes == 0:
        return "0"
    return f"+{minutes}" if minutes > 0 else f"−{-minutes}"


def when_line(report: dict[str, Any]) -> str:
    """'vrijdag 20 november 2026, 19:00–21:05' (or '…, 19:00 – nu' while live)."""
    session = report["session"]
    start = moment_of(session.get("started_at"))
    created = moment_of(session.get("created_at"))
    end = moment_of(session.get("ended_at"))
    day = start or created
    if day is None:
        return "—"
    if start is None:
        return _date_long(day) + ", " + _("not started yet")
    if end is not None:
        return f"{_date_long(start)}, {hhmm(start)}–{hhmm(end)}"
    return f"{_date_long(start)}, {hhmm(start)} – " + _("still going")


def notices(report: dict[str, Any]) -> list[str]:
    out = []
    if report["session"].get("status") != "closed":
        now = moment_of(report.get("generated_at"))
        out.append(
            _("Draft: the meeting is still going. Figures as of {time}.").format(time=hhmm(now) if now else "—")
        )
    if report.get("include_confidential"):
        out.append(_("This report includes confidential notes. Do not send it round."))
    out += consent_lines(report)
    return out


def consent_lines(report: dict[str, Any]) -> list[str]:
    """Each case-bringer's decision on sharing the notes of their case, and when."""
    out = []
    for c in report["session"].get("consent") or []:
        at = moment_of(c.get("at"))
        when = f"{_date_long(at)}, {hhmm(at)}" if at else "—"
        said = (_("{name}, the case-bringer, agreed on {when} that the notes of their case may be shared.")
                if c.get("share") else
                _("{name}, the case-bringer, withdrew their consent on {when}: the notes of their case "
                  "stay in the room."))
        out.append(said.format(name=c.get("name"), when=when))
    return out


def notes_by_step(report: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]], bool]]:
    """(number, title, notes, confidential step) per agenda step, in agenda order;
    notes taken before the start or outside any step come first."""
    agenda = agenda_rows(report)
    known = {st["index"] for st in agenda}
    per: dict[int | None, list[dict[str, Any]]] = {}
    for note in report.get("notes", []):
        step = note.get("step")
        key = step if isinstance(step, int) and step in known else None
        per.setdefault(key, []).append(note)
    out = []
    if None in per:
        out.append(("", _("General"), per[None], False))
    for st in agenda:
        notes = per.get(st["index"], [])
        sub = (st.get("subagenda") or {}).get("steps") or []
        # a sub-agenda says once, at its step, that it was confidential; its own steps show only with notes
        confidential = bool(st.get("confidential")) or any(c.get("confidential") for c in sub)
        nested = "." in step_number(st)
        if notes or (confidential and not nested):
            out.append((f"{step_number(st)}.", st["title"], notes, confidential and not nested))
    return out


def step_number(st: dict[str, Any]) -> str:
    """A step's number on the agenda: "4", or "4.2" for a sub-agenda's step (older reports: index + 1)."""
    return str(st.get("number") or st["index"] + 1)


def step_title(st: dict[str, Any]) -> str:
    """A step's title in the agenda's table: a sub-agenda's step marked as inside its parent,
    the parent with the work format that ran in it."""
    if "." in step_number(st):
        return "↳ " + st["title"]
    sub = st.get("subagenda")
    return f"{st['title']} · {sub.get('title')}" if sub and sub.get("title") else st["title"]


def break_title(b: dict[str, Any]) -> str:
    """A break's row in the agenda's table: 'Pauze 10:30–10:45'."""
    start, end = moment_of(b.get("from")), moment_of(b.get("to"))
    span = f"{hhmm(start)}–{hhmm(end)}" if start is not None and end is not None else ""
    return (_("Break") + " " + span).strip()


def with_breaks(report: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each agenda row with the breaks taken during that step, in the timeline's order."""
    breaks = report.get("breaks") or []
    return [(st, [b for b in breaks if b.get("step") == st.get("index")]) for st in agenda_rows(report)]


def agenda_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The agenda's steps in its order: each step, then the steps of the sub-agenda it held."""
    out = []
    for st in report.get("agenda", []):
        out.append(st)
        out.extend((st.get("subagenda") or {}).get("steps") or [])
    return out


def advice_heading(group: dict[str, Any]) -> str:
    """'Advies voor Fatima': the heading of one case-bringer's advice."""
    name = group.get("case_bringer")
    return _("Advice for {name}").format(name=name) if name else _("Advice for the case-bringer")


def recalled(report: dict[str, Any]) -> tuple[str, list[tuple[str, list[tuple[str | None, str]]]]] | None:
    """The heading and, per earlier meeting ('Title, 12 mrt. 2027'), the answers brought back; None: none."""
    back = report.get("brought_back") or {}
    if not back.get("meetings"):
        return None
    groups = []
    for m in back["meetings"]:
        day = moment_of(m.get("date"))
        label = f"{m['title']}, {_date_short(day)}" if day else str(m["title"])
        groups.append((label, [(a.get("participant"), a["text"]) for a in m["answers"]]))
    return _("Answered earlier: {question}").format(question=back.get("text") or back.get("question")), groups


def present_absent(people: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Who was in the room, and who was marked absent (and not back): never listed as present."""
    return [p for p in people if not p.get("absent")], [p for p in people if p.get("absent")]


def answered_questions(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions someone answered (a question nobody answered is left out)."""
    return [q for q in report.get("evaluation", {}).get("summary", []) if isinstance(q, dict) and q.get("count")]


def not_asked_line(report: dict[str, Any]) -> str:
    """Why the case-bringer's questions are missing: there was no case-bringer ('' when they were asked)."""
    if not report.get("evaluation", {}).get("not_asked"):
        return ""
    return _("No case-bringer in this meeting: the case-bringer's questions were not asked.")


def question_text(q: dict[str, Any]) -> str:
    return str(q.get("text") or question_label(str(q.get("id", ""))))


def distribution(q: dict[str, Any]) -> list[tuple[str, int]]:
    dist = q.get("distribution") or {}
    items = [(str(k), int(v)) for k, v in dist.items()]

    def order(item: tuple[str, int]) -> tuple[int, float, str]:
        try:
            return (0, float(item[0]), item[0])
        except ValueError:
            return (1, 0.0, item[0])

    items = sorted(items, key=order)
    if len(items) > 6 and q.get("mean") is not None:  # a long scale (0-10): only the values given
        items = [(k, v) for k, v in items if v]
    return items


def value_label(q: dict[str, Any], value: str) -> str:
    """The form's label of a value (ROTI's five, a scale's ends), or ''."""
    labels = q.get("labels") or {}
    return str(labels.get(value) or labels.get(_as_int(value)) or "")


def scale_ends(q: dict[str, Any]) -> str:
    """'0 = helemaal niet, 10 = helemaal wel' for a scale whose ends are labelled."""
    if q.get("type") != "scale" or q.get("min") is None or q.get("max") is None:
        return ""
    if int(q["max"]) - int(q["min"]) < 6:  # a short scale shows every value with its label
        return ""
    low, high = value_label(q, str(q["min"])), value_label(q, str(q["max"]))
    if not (low and high):
        return ""
    return f"{q['min']} = {low}, {q['max']} = {high}"


def _as_int(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


def withheld_text(report: dict[str, Any]) -> str:
    ev = report.get("evaluation", {})
    n = int(ev.get("count") or 0)
    if ev.get("withheld_because") == "anonymity":
        return _("Evaluations filled in: {n}. Too few anonymous answers to show without giving someone away.").format(
            n=n)
    return _("Evaluations filled in so far: {n}. The answers go into the report once the meeting is closed.").format(n=n)


def trend_question(report: dict[str, Any]) -> dict[str, Any] | None:
    trend = report.get("trend") or {}
    questions = trend.get("questions") or []
    return questions[0] if questions else None


def trend_points(report: dict[str, Any], qid: str, last: int = 12) -> list[dict[str, Any]]:
    points = [p for p in (report.get("trend") or {}).get("points", []) if qid in p.get("means", {})]
    return points[-last:]


def footer_line(report: dict[str, Any]) -> str:
    made = moment_of(report.get("generated_at"))
    return _("Made with kring on {date}.").format(date=(_date_short(made) + " " + hhmm(made)) if made else "—")
