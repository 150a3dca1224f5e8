"""The network's own report over its series, as plain data (`kring report --network NET`).

Built from the meeting reports (`kring.data.report.build_report`, never with
confidential notes) so it says what they say: who was there, who held which
role, the decisions, the actions over time (opened, then done, kept or
dropped: who and when), the evaluation trends, each member's learning
questions with the insights linked to them, the ground rules, and the timings
the series taught: per work format and step, planned against actual.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterator

from sqlmodel import col, select

from kring.data import i18n
from kring.data.core.clock import Clock, SystemClock
from kring.data.models import Meeting, Note, NoteRevision
from kring.data.networks import get_network
from kring.data.report import build_report
from kring.data.search import learned_per_question
from kring.data.store import Store
from kring.data.trends import network_trend, trend_dict

NETWORK_REPORT_VERSION = 1
# a step that runs over (or under) by less than this on average is on time
ON_TIME_SECONDS = 60


def _iso(moment: Any) -> str | None:
    return None if moment is None else moment.isoformat()


def build_network_report(store: Store, network_id: int, *, clock: Clock | None = None) -> dict[str, Any]:
    info = get_network(store, network_id)
    with store.session() as s:
        ids = [int(i) for i in s.exec(select(Meeting.id).where(Meeting.network_id == network_id)
                                      .order_by(col(Meeting.id))).all()]
    # each meeting's trend is left out: the series' own (below) is drawn once, not once a meeting
    reports = [build_report(store, mid, include_confidential=False, clock=clock, trend=False) for mid in ids]
    members = [m.name for m in info.members]

    meetings = [{
        "id": r["session"]["id"], "title": r["session"]["title"], "werkvorm": r["session"]["werkvorm"],
        "werkvorm_title": r["session"]["werkvorm_title"], "status": r["session"]["status"],
        "date": r["session"]["started_at"] or r["session"]["created_at"], "place": r["session"]["place"],
    } for r in reports]

    return {
        "kring_network_report": NETWORK_REPORT_VERSION,
        "generated_at": _iso((clock or SystemClock()).now()),
        "language": i18n.current(),
        "network": {"id": info.id, "name": info.name, "theme": info.theme, "goal": info.goal, "form": info.form,
                    "kind": info.kind, "rhythm": info.rhythm, "members": members},
        "meetings": meetings,
        "attendance": _attendance(members, reports),
        "roles": [{"meeting": r["session"]["id"],
                   "roles": {role: [p["name"] for p in r["participants"] if role in p["roles"]]
                             for role in sorted({x for p in r["participants"] for x in p["roles"]})}}
                  for r in reports],
        "actions": _actions(store, reports),
        "decisions": [dict(d, meeting=r["session"]["id"]) for r in reports for d in r["decisions"]],
        "ground_rules": list(info.ground_rules),
        "learning_questions": [
            {"member": q.member, "question": q.question,
             "insights": [{"text": i.hit.text, "meeting": i.hit.meeting_title, "why": i.why,
                           "word": getattr(i, "word", None)} for i in q.items]}
            for q in learned_per_question(store, network_id, per_question=10)],
        "trend": trend_dict(network_trend(store, network_id)),
        "timings": _timings(reports),
    }


def _attendance(members: list[str], reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per member (then per guest), per meeting: present, absent, or not on the list ("")."""
    names = list(members)
    known = {n.casefold() for n in names}
    for r in reports:
        for p in r["participants"]:
            if p["name"].casefold() not in known:
                known.add(p["name"].casefold())
                names.append(p["name"])
    out = []
    for name in names:
        row: dict[str, str] = {}
        for r in reports:
            p = next((p for p in r["participants"] if p["name"].casefold() == name.casefold()), None)
            row[str(r["session"]["id"])] = "" if p is None else ("absent" if p.get("absent") else "present")
        out.append({"name": name, "member": name in members, "meetings": row,
                    "present": sum(1 for v in row.values() if v == "present")})
    return out


def _actions(store: Store, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every action the reports show, with its history: opened, then each change of status, by whom and when."""
    shown = {n["id"]: (r["session"], n) for r in reports for n in r["notes"] if n["kind"] == "action"}
    if not shown:
        return []
    with store.session() as s:
        revisions = s.exec(select(NoteRevision).where(col(NoteRevision.note_id).in_(list(shown)))
                           .order_by(col(NoteRevision.note_id), col(NoteRevision.revision))).all()
        marked_in = dict(s.exec(select(Note.id, Note.updated_at).where(col(Note.id).in_(list(shown)))).all())
    history: dict[int, list[dict[str, Any]]] = defaultdict(list)
    last: dict[int, str] = {}
    for rev in revisions:
        if rev.status != last.get(rev.note_id, "open") or rev.revision == 1:
            history[rev.note_id].append({"status": "opened" if rev.revision == 1 else rev.status,
                                         "by": rev.author or None, "at": _iso(rev.at)})
        last[rev.note_id] = rev.status
    out = []
    for note_id, (session, n) in shown.items():
        events = history.get(note_id) or [{"status": "opened", "by": n["author"] or None, "at": n["at"]}]
        out.append({"text": n["text"], "owner": n["owner"], "due": n["due"], "status": n["status"],
                    "meeting": session["id"], "meeting_title": session["title"], "history": events,
                    "updated_at": _iso(marked_in.get(note_id))})
    return out


def _held_steps(report: dict[str, Any]) -> Iterator[tuple[str, str, int, dict[str, Any]]]:
    """(work format, its title, the step's place in it, the step) of each step a meeting held:
    its own, and those of a work format run inside one of them (the incidentmethode in the
    standard meeting's intervision step counts as the incidentmethode's)."""
    session = report["session"]
    for step in report["agenda"]:
        yield session["werkvorm"], session["werkvorm_title"], step["index"], step
        sub = step.get("subagenda") or {}
        if sub.get("werkvorm"):
            for place, inner in enumerate(sub.get("steps") or []):
                yield sub["werkvorm"], sub.get("title") or sub["werkvorm"], place, inner


def _timings(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per work format and step, over the closed meetings that held it: planned (the format's minutes;
    inside another step, the minutes it was given there) against actual, on average."""
    runs: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    titles: dict[tuple[str, int], tuple[str, str]] = {}
    for r in reports:
        if r["session"]["status"] != "closed":
            continue
        for fmt, fmt_title, place, step in _held_steps(r):
            if not step["actual_seconds"]:
                continue  # skipped: nothing learned about its length
            planned = step.get("base_seconds") or step["planned_seconds"]
            runs[(fmt, place)].append((planned, step["actual_seconds"]))
            titles[(fmt, place)] = (fmt_title, step["title"])
    out = []
    for (fmt, index), values in sorted(runs.items()):
        planned = sum(p for p, _a in values) / len(values)
        actual = sum(a for _p, a in values) / len(values)
        out.append({"werkvorm": fmt, "werkvorm_title": titles[(fmt, index)][0], "step": index + 1,
                    "title": titles[(fmt, index)][1], "meetings": len(values), "planned_seconds": round(planned),
                    "actual_seconds": round(actual), "over_seconds": round(actual - planned)})
    return out


def timing_line(t: dict[str, Any]) -> str:
    """'incidentmethode: stap 5 (Vragen) loopt hier gemiddeld 6 min uit'."""
    from kring.data.i18n import _

    minutes = round(abs(t["over_seconds"]) / 60)
    if abs(t["over_seconds"]) < ON_TIME_SECONDS or minutes == 0:
        text = _("{format}: step {n} ({title}) keeps its time here")
    elif t["over_seconds"] > 0:
        text = _("{format}: step {n} ({title}) runs over by {minutes} min on average here")
    else:
        text = _("{format}: step {n} ({title}) ends {minutes} min early on average here")
    return text.format(format=t["werkvorm"], n=t["step"], title=t["title"], minutes=minutes)


def learned_timings(store: Store, network_id: int, werkvorm: str, *, clock: Clock | None = None,
                    ) -> list[dict[str, Any]]:
    """The timings the network's closed meetings of one work format taught, as the network
    report has them (`_timings`), with those of the formats run inside their steps: the
    pre-meeting check's hint."""
    with store.session() as s:
        ids = [int(i) for i in s.exec(select(Meeting.id).where(
            Meeting.network_id == network_id, Meeting.werkvorm == werkvorm, Meeting.status == "closed",
        ).order_by(col(Meeting.id))).all()]
    return _timings([build_report(store, mid, include_confidential=False, clock=clock) for mid in ids])
