"""A report as one self-contained HTML page: inline CSS and SVG, no external
resources, a Content-Security-Policy that forbids loading any, and print CSS
so it prints well to PDF.

The page is the Jinja2 template `templates/report.html` with autoescape on:
everything people typed is escaped where it is written. This module only
prepares what the template shows, in the interface language.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from importlib.resources import files
from typing import Any

from markupsafe import Markup

from kring.data import i18n
from kring.data.i18n import _, ngettext
from kring.data.labels import (
    action_status_label,
    duration,
    kind_label,
    mode_label,
    role_label,
)
from kring.data.labels import clock_time
from kring.data.labels import date_short as _date_short
from kring.data.labels import number as _number
from kring.data.report.chart import trend_svg
from kring.data.report.wording import (
    advice_heading,
    answered_questions,
    difference,
    distribution,
    footer_line,
    hhmm,
    day_of,
    moment_of,
    not_asked_line,
    agenda_rows,
    break_title,
    with_breaks,
    notes_by_step,
    step_number,
    step_title,
    notices,
    present_absent,
    question_text,
    recalled,
    scale_ends,
    trend_points,
    trend_question,
    value_label,
    when_line,
    withheld_text,
)


@lru_cache(maxsize=4)
def template(name: str) -> Any:
    """A page's template from templates/ (the meeting's report.html, the network's network.html),
    compiled once; Jinja2 loads with the first report, not at start-up."""
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("kring.data.report", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
    env.globals["_"] = _  # gettext: the language is read when the page is made
    return env.get_template(name)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The report's style sheet (screen and print), shipped beside the template."""
    return files("kring.data.report").joinpath("templates", "report.css").read_text(encoding="utf-8")


def render_html(report: dict[str, Any]) -> str:
    s = report["session"]
    present, absent = present_absent(report["participants"])
    words, language = _note_words(), i18n.current()
    return template("report.html").render(
        lang=report.get("language") or i18n.current(),
        title=f"{_('Report')}: {s['title']}",
        css=Markup(stylesheet()),
        facts=_facts(report),
        notices=notices(report),
        participants=[{"name": p["name"], "roles": ", ".join(role_label(r) for r in p.get("roles", []))}
                      for p in present],
        absent=", ".join(p["name"] for p in absent),
        agenda=[row for st, breaks in with_breaks(report) for row in [_agenda_row(st)] + [_break_row(b) for b in breaks]],
        total={"planned": duration(s.get("planned_seconds")), "actual": duration(s.get("actual_seconds")),
               "difference": difference(s.get("planned_seconds") or 0, s.get("actual_seconds") or 0)},
        looked_back=[{"text": _typed(a["text"]), "owner": a.get("owner") or "—", "meeting": a.get("meeting") or "",
                      "status": action_status_label(a.get("status") or "open")}
                     for a in report.get("looked_back") or []],
        recalled=recalled(report),
        advice=[{"heading": advice_heading(g), "withheld": g.get("withheld"),
                 "notes": [{"text": _typed(n.get("text", "")), "speaker": n.get("speaker")} for n in g["notes"]]}
                for g in report.get("advice") or []],
        decisions=[{"text": _typed(d["text"]), "item": d.get("item")} for d in report.get("decisions") or []],
        actions=[{"text": _typed(a["text"]), "owner": a.get("owner") or "—", "due": _due_plain(a.get("due")),
                  "status": action_status_label(a.get("status") or "open")} for a in report.get("actions") or []],
        note_groups=[
            {"heading": (number + " " + title).strip(), "notes": [_note(n, words, language) for n in notes],
             "sub": "." in number.rstrip("."),
             "withheld": confidential and not report.get("include_confidential")}
            for number, title, notes, confidential in notes_by_step(report)
        ],
        any_notes=bool(report.get("notes")),
        evaluation=_evaluation(report),
        trend=_trend(report),
        speaking=_speaking(report),
        footer=footer_line(report),
    )


def _typed(text: Any) -> str:
    """Text as typed, for a `text` span (which keeps its line breaks): without the spaces around it."""
    return str(text).strip()


def _facts(report: dict[str, Any]) -> list[tuple[str, str]]:
    s = report["session"]
    net = s.get("network")
    facts: list[tuple[str, str]] = []
    if net:
        facts.append((_("Network"), net["name"]))
        if net.get("theme"):
            facts.append((_("Theme"), net["theme"]))
    facts.append((_("Date"), when_line(report)))
    if s.get("place"):
        facts.append((_("Place"), s["place"]))
    facts.append((_("Work format"), s.get("werkvorm_title") or s["werkvorm"]))
    return facts


def _break_row(b: dict[str, Any]) -> dict[str, Any]:
    diff = difference(0, b["seconds"])
    return {"number": "", "title": break_title(b), "sub": False, "confidential": False, "mode": "",
            "planned": "—", "actual": duration(b["seconds"]), "difference": diff, "over": diff.startswith("+")}


def _agenda_row(st: dict[str, Any]) -> dict[str, Any]:
    visited = st.get("visits", 1) or st.get("actual_seconds")
    diff = difference(st["planned_seconds"], st["actual_seconds"]) if visited else ""
    number = step_number(st)
    return {"number": number, "title": step_title(st), "sub": "." in number, "confidential": st.get("confidential"),
            "mode": mode_label(st["mode"]), "planned": duration(st["planned_seconds"]),
            "actual": duration(st["actual_seconds"]) if visited else "—", "difference": diff,
            "over": diff.startswith("+")}


def _due_plain(due: str | None) -> str:
    moment = day_of(due)
    if moment is None:
        return due or "—"
    return _date_short(moment)


@lru_cache(maxsize=64)
def _kind(kind: str, confidential: bool, language: str) -> tuple[str, str]:
    """A kind's CSS classes and its label: the same for every note of the kind (a report has thousands)."""
    classes = " ".join(c for c in (re.sub(r"[^a-z]", "", kind), "confidential" if confidential else "") if c)
    return classes, kind_label(kind)


def _clock_time(iso: str | None) -> str | None:
    """'19:05' of a stored moment; read as the ISO text it is stored as (quicker than a parser per note)."""
    if not iso:
        return None
    try:
        return clock_time(datetime.fromisoformat(iso))  # in the user's zone
    except ValueError:
        moment = moment_of(iso)
        return hhmm(moment) if moment is not None else None


def _note(n: dict[str, Any], words: dict[str, str], language: str) -> dict[str, Any]:
    """What the template shows of a note; `words` are translated once a report (see _note_words)."""
    kind = n.get("kind") or "note"
    meta = []
    if n.get("speaker"):
        meta.append(n["speaker"])
    if kind == "action":
        if n.get("owner"):
            meta.append(words["owner"].format(name=n["owner"]))
        if n.get("due"):
            meta.append(words["due"].format(date=_due_plain(n["due"])))
    if n.get("confidential"):
        meta.append(words["confidential"])
    at = _clock_time(n.get("at"))
    if at is not None:
        meta.append(at)
    classes, label = _kind(kind, bool(n.get("confidential")), language)
    return {"classes": classes, "kind": label, "text": _typed(n.get("text", "")), "meta": " · ".join(meta)}


def _note_words() -> dict[str, str]:
    return {"owner": _("owner {name}"), "due": _("due {date}"), "confidential": _("confidential")}


def _evaluation(report: dict[str, Any]) -> dict[str, Any]:
    """The evaluation's part: a message alone (withheld, or nothing filled in), or its questions."""
    ev = report.get("evaluation", {})
    if ev.get("withheld"):
        return {"message": withheld_text(report)}
    summary = answered_questions(report)
    if not summary:
        return {"message": _("No evaluations filled in.")}
    n = int(ev.get("count") or len(ev.get("responses", [])))
    head = _("Evaluations filled in: {n}").format(n=n)
    if ev.get("anonymous"):
        head += " · " + _("anonymous")
    questions = []
    for q in summary:
        dist = distribution(q)
        most = max((v for _k, v in dist), default=0) or 1
        questions.append({
            "text": question_text(q),
            "mean": ngettext("Mean {mean} ({count} answer)", "Mean {mean} ({count} answers)", int(q.get("count", 0))).format(
                mean=_number(q["mean"]), count=q.get("count", 0))
            if q.get("mean") is not None else None,
            "ends": scale_ends(q),
            "distribution": [(k, value_label(q, k), int(v), round(100 * v / most)) for k, v in dist],
            "answers": [_typed(a) for a in q.get("answers") or []],
        })
    return {"message": None, "head": head, "not_asked": not_asked_line(report), "questions": questions}


def _trend(report: dict[str, Any]) -> dict[str, Any] | None:
    q = trend_question(report)
    if q is None:
        return None
    points = trend_points(report, q["id"])
    if len(points) < 2:  # one meeting is not a trend yet
        return None
    net = (report.get("trend") or {}).get("network") or ""
    caption = _("{question}: mean per meeting of {network}, the last {n} meetings with an evaluation.").format(
        question=q["text"], network=net, n=len(points)
    )
    return {"svg": trend_svg(points, q), "caption": caption}


def _speaking(report: dict[str, Any]) -> list[dict[str, Any]]:
    speaking = report.get("speaking") or []
    most = max((sp["seconds"] for sp in speaking), default=0) or 1
    return [{"name": sp["participant"], "time": duration(sp["seconds"]), "turns": int(sp["turns"]),
             "share": round(100 * sp["seconds"] / most)} for sp in speaking]
