"""The network's own report as Markdown (for a mail) and as one self-contained HTML page
that prints well (the meeting report's style sheet and trend chart, print CSS for
wide tables). Rendered from `kring.data.network_report.build_network_report`.
"""

from __future__ import annotations

from typing import Any

from kring.data.core.textgate import shown_tree
from kring.data.i18n import _
from kring.data.labels import action_status_label, author_label, date_short, number, role_label
from kring.data.network_report import timing_line
from kring.data.report.chart import trend_svg
from kring.data.report.html import stylesheet, template
from kring.data.report.markdown import md_escape

PRESENT, ABSENT = "✓", "–"

CSS = "\n" + stylesheet()  # the meeting report's, as its page writes it


# wide tables (attendance over twenty meetings) still fit a page
PRINT_CSS = """
table.grid { font-size: 0.85em; }
table.grid th, table.grid td { padding: 0.15em 0.35em; text-align: center; }
table.grid td:first-child, table.grid th:first-child { text-align: left; }
.history { margin: 0.1em 0 0.4em 0; font-size: 0.9em; color: var(--muted); }
/* one chart per question: side by side where they fit, two to a landscape page's width */
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 0 1.5rem; }
@media print {
  @page { size: A4 landscape; margin: 14mm; }
  body { font-size: 10pt; }
  section { break-inside: auto; }
  table.grid, figure, li { break-inside: avoid; }
  h2, h2 + p { break-after: avoid; }  /* a heading and its one-line key stay with their table */
  h2 { margin-top: 1.2rem; }
  .charts { grid-template-columns: 1fr 1fr; }
  figure { margin: .2rem 0 .6rem; }
}
"""


def _date(iso: str | None) -> str:
    if not iso:
        return ""
    import pendulum

    return date_short(pendulum.parse(iso, exact=True))  # a due date stays its day; a moment turns to the user's zone


def _history(events: list[dict[str, Any]]) -> str:
    words = {"opened": _("opened")}
    parts = []
    for e in events:
        label = words.get(e["status"]) or action_status_label(e["status"])
        who = f" {_('by')} {author_label(e['by'])}" if e.get("by") else ""
        parts.append(f"{label} {_date(e['at'])}{who}")
    return " · ".join(parts)


def _status_line(a: dict[str, Any]) -> str:
    bits = [x for x in (a.get("owner"), (_("due") + " " + _date(a["due"])) if a.get("due") else "",
                        action_status_label(a["status"])) if x]
    return ", ".join(bits)


def _questions_with_points(report: dict[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    trend = report.get("trend") or {}
    out = []
    for q in trend.get("questions", []):
        points = [p for p in trend.get("points", []) if q["id"] in p.get("means", {})]
        if points:
            out.append((q, points))
    return out


def _period(report: dict[str, Any]) -> str:
    dates = [m["date"] for m in report["meetings"] if m.get("date")]
    if not dates:
        return ""
    return _date(dates[0]) if len(dates) == 1 else f"{_date(dates[0])} – {_date(dates[-1])}"


# --- Markdown ---------------------------------------------------------------------------------


def render_network_md(report: dict[str, Any]) -> str:
    report = shown_tree(report)
    net, meetings = report["network"], report["meetings"]
    out = [f"# {_('Network report')}: {md_escape(net['name'])}", ""]
    if net.get("theme"):
        out.append(f"**{_('Theme')}:** {md_escape(net['theme'])}  ")
    if net.get("goal"):
        out.append(f"**{_('Goal')}:** {md_escape(net['goal'])}  ")
    out.append(f"**{_('Meetings')}:** {len(meetings)} ({_period(report)})  ")
    out += [f"**{_('Members')}:** {len(net['members'])}", ""]

    out += [f"## {_('Meetings')}", ""]
    for i, m in enumerate(meetings, 1):
        place = f", {md_escape(m['place'])}" if m.get("place") else ""
        out.append(f"{i}. {_date(m['date'])}: {md_escape(m['title'])} ({md_escape(m['werkvorm_title'])}{place})")
    out.append("")

    if meetings:
        out += [f"## {_('Attendance')}", "", _("✓ present, – absent; the columns are the meetings above."), ""]
        out.append("| " + _("Name") + " | " + " | ".join(str(i) for i in range(1, len(meetings) + 1))
                   + " | " + _("present") + " |")
        out.append("|---|" + "---|" * len(meetings) + "---:|")
        for row in report["attendance"]:
            cells = [{"present": PRESENT, "absent": ABSENT}.get(row["meetings"].get(str(m["id"]), ""), "")
                     for m in meetings]
            out.append(f"| {md_escape(row['name'])} | " + " | ".join(cells) + f" | {row['present']} |")
        out.append("")

        out += [f"## {_('Roles')}", ""]
        for i, r in enumerate(report["roles"], 1):
            held = "; ".join(f"{role_label(role)}: {', '.join(md_escape(n) for n in names)}"
                             for role, names in r["roles"].items() if names)
            out.append(f"{i}. {held or '—'}")
        out.append("")

    out += [f"## {_('Actions over time')}", ""]
    for a in report["actions"]:
        out.append(f"- {md_escape(a['text'])} — {md_escape(_status_line(a))}  ")
        out.append(f"  {md_escape(a['meeting_title'])}: {md_escape(_history(a['history']), continued=True)}")
    if not report["actions"]:
        out.append(_("No actions yet."))
    out.append("")

    out += [f"## {_('Evaluation over the series')}", ""]
    shown = _questions_with_points(report)
    for q, points in shown:
        means = " · ".join(f"{_date(p['date'])}: {number(p['means'][q['id']])}" for p in points)
        out.append(f"- **{md_escape(q['text'])}** ({q['min']}–{q['max']}): {means}")
    if not shown:
        out.append(_("No evaluations yet."))
    out.append("")

    out += [f"## {_('Learning questions and what was learned')}", ""]
    for lq in report["learning_questions"]:
        out.append(f"- **{md_escape(lq['member'])}:** {md_escape(lq['question'])}")
        for item in lq["insights"]:
            out.append(f"  - {md_escape(item['text'])} ({md_escape(item['meeting'])})")
        if not lq["insights"]:
            out.append(f"  - {_('no insight recorded on this yet')}")
    out.append("")

    out += [f"## {_('Decisions')}", ""]
    titles = {m["id"]: m["title"] for m in meetings}
    out += [f"- {md_escape(d['text'])} ({md_escape(titles.get(d['meeting'], ''))})" for d in report["decisions"]]
    out += [_("None.")] if not report["decisions"] else []
    out += ["", f"## {_('Ground rules')}", ""]
    out += [f"{i}. {md_escape(r)}" for i, r in enumerate(report["ground_rules"], 1)] or [_("None agreed yet.")]
    out.append("")

    out += [f"## {_('Timings learned from the series')}", ""]
    for t in report["timings"]:
        out.append(f"- {md_escape(timing_line(t))} ({_('planned')} {number(t['planned_seconds'] / 60)} min, "
                   f"{_('actual')} {number(t['actual_seconds'] / 60)} min, {t['meetings']}×)")
    if not report["timings"]:
        out.append(_("No meeting closed yet."))
    out.append("")
    return "\n".join(out)


# --- HTML ---------------------------------------------------------------------------------------


def render_network_html(report: dict[str, Any]) -> str:
    """The page is the Jinja2 template `report/templates/network.html` (autoescape on, as
    the meeting's report.html): this only prepares what it shows, in the interface language."""
    from markupsafe import Markup

    report = shown_tree(report)
    net, meetings = report["network"], report["meetings"]
    title = f"{_('Network report')}: {net['name']}"
    facts = [(_("Theme"), net.get("theme")), (_("Goal"), net.get("goal")),
             (_("Meetings"), f"{len(meetings)} ({_period(report)})"), (_("Members"), str(len(net["members"])))]
    marks = {"present": PRESENT, "absent": ABSENT}
    roles = sorted({role for r in report["roles"] for role in r["roles"]})
    titles = {m["id"]: m["title"] for m in meetings}
    return template("network.html").render(
        lang=report.get("language") or "nl",
        title=title,
        css=Markup(CSS + PRINT_CSS),
        facts=[(k, v) for k, v in facts if v],
        meetings=[{"date": _date(m["date"]), "title": m["title"], "werkvorm_title": m["werkvorm_title"],
                   "place": f", {m['place']}" if m.get("place") else ""} for m in meetings],
        attendance=[{"name": row["name"], "present": row["present"],
                     "cells": [marks.get(row["meetings"].get(str(m["id"]), ""), "") for m in meetings]}
                    for row in report["attendance"]],
        roles=[role_label(r) for r in roles],
        roles_held=[[", ".join(r["roles"].get(role, [])) for role in roles] for r in report["roles"]],
        actions=[{"text": a["text"], "status": _status_line(a), "meeting_title": a["meeting_title"],
                  "history": _history(a["history"])} for a in report["actions"]],
        evaluation=[{"text": q["text"], "min": q["min"], "max": q["max"],
                     "svg": Markup(trend_svg(points, q)) if len(points) >= 2 else None,
                     "mean": number(points[0]["means"][q["id"]])}
                    for q, points in _questions_with_points(report)],
        learning_questions=report["learning_questions"],
        decisions=[{"text": d["text"], "meeting": titles.get(d["meeting"], "")} for d in report["decisions"]],
        ground_rules=report["ground_rules"],
        timings=[{"line": timing_line(t), "planned": number(t["planned_seconds"] / 60),
                  "actual": number(t["actual_seconds"] / 60), "meetings": t["meetings"]} for t in report["timings"]],
    )
