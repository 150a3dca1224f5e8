"""The network's own report as Markdown (for a mail) and as one self-contained HTML page
that prints well (the meeting report's style sheet and trend chart, print CSS for
wide tables). Rendered from `kring.data.network_report.build_network_report`.
"""

from __future__ import annotations

from html import escape
from typing import Any

from kring.data.core.textgate import shown_tree
from kring.data.i18n import _
from kring.data.labels import action_status_label, date_short, number, role_label
from kring.data.network_report import timing_line
from kring.data.report.chart import trend_svg
from kring.data.report.html import stylesheet
from kring.data.report.markdown import md_escape

PRESENT, ABSENT = "✓", "–"

CSS = "\n" + stylesheet()  # the meeting report's, as its page writes it


def h(text: Any) -> str:
    return escape("" if text is None else str(text), quote=True)


# wide tables (attendance over twenty meetings) still fit a page
PRINT_CSS = """
table.grid { font-size: 0.85em; }
table.grid th, table.grid td { padding: 0.15em 0.35em; text-align: center; }
table.grid td:first-child, table.grid th:first-child { text-align: left; }
ol.history { margin: 0.2em 0 0.6em 0; font-size: 0.9em; color: #444; }
@media print {
  @page { size: A4 landscape; margin: 14mm; }
  section { break-inside: auto; }
  table.grid, figure, li { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


def _date(iso: str | None) -> str:
    if not iso:
        return ""
    import pendulum

    return date_short(pendulum.parse(iso))


def _history(events: list[dict[str, Any]]) -> str:
    words = {"opened": _("opened")}
    parts = []
    for e in events:
        label = words.get(e["status"]) or action_status_label(e["status"])
        who = f" {_('by')} {e['by']}" if e.get("by") else ""
        parts.append(f"{label} {_date(e['at'])}{who}")
    return " · ".join(parts)


def _status_line(a: dict[str, Any]) -> str:
    bits = [x for x in (a.get("owner"), (_("due") + " " + a["due"]) if a.get("due") else "",
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
    report = shown_tree(report)
    net, meetings = report["network"], report["meetings"]
    title = f"{_('Network report')}: {net['name']}"
    out = [
        "<!DOCTYPE html>", f'<html lang="{h(report.get("language") or "nl")}">', "<head>", '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">', '<meta name="generator" content="kring">',
        f"<title>{h(title)}</title>", f"<style>{CSS}{PRINT_CSS}</style>", "</head>", "<body>", "<header>",
        f"<h1>{h(title)}</h1>", '<dl class="facts">',
    ]
    facts = [(_("Theme"), net.get("theme")), (_("Goal"), net.get("goal")),
             (_("Meetings"), f"{len(meetings)} ({_period(report)})"), (_("Members"), str(len(net["members"])))]
    out += [f"<dt>{h(k)}</dt><dd>{h(v)}</dd>" for k, v in facts if v]
    out += ["</dl>", "</header>"]

    out += ["<section>", f"<h2>{h(_('Meetings'))}</h2>", "<ol>"]
    for m in meetings:
        place = f", {m['place']}" if m.get("place") else ""
        out.append(f"<li>{h(_date(m['date']))}: {h(m['title'])} ({h(m['werkvorm_title'])}{h(place)})</li>")
    out += ["</ol>", "</section>"]

    if meetings:
        head = "".join(f"<th>{i}</th>" for i in range(1, len(meetings) + 1))
        out += ["<section>", f"<h2>{h(_('Attendance'))}</h2>",
                f"<p>{h(_('✓ present, – absent; the columns are the meetings above.'))}</p>",
                f'<table class="grid"><thead><tr><th>{h(_("Name"))}</th>{head}<th>{h(_("present"))}</th></tr></thead>',
                "<tbody>"]
        for row in report["attendance"]:
            cells = "".join(
                f"<td>{ {'present': PRESENT, 'absent': ABSENT}.get(row['meetings'].get(str(m['id']), ''), '') }</td>"
                for m in meetings)
            out.append(f"<tr><td>{h(row['name'])}</td>{cells}<td>{row['present']}</td></tr>")
        out += ["</tbody></table>", "</section>"]

        roles = sorted({role for r in report["roles"] for role in r["roles"]})
        out += ["<section>", f"<h2>{h(_('Roles'))}</h2>", '<table class="grid"><thead><tr><th>#</th>'
                + "".join(f"<th>{h(role_label(r))}</th>" for r in roles) + "</tr></thead><tbody>"]
        for i, r in enumerate(report["roles"], 1):
            out.append(f"<tr><td>{i}</td>" + "".join(f"<td>{h(', '.join(r['roles'].get(role, [])))}</td>"
                                                    for role in roles) + "</tr>")
        out += ["</tbody></table>", "</section>"]

    out += ["<section>", f"<h2>{h(_('Actions over time'))}</h2>"]
    if report["actions"]:
        out.append("<ul>")
        for a in report["actions"]:
            out.append(f"<li>{h(a['text'])} — {h(_status_line(a))}"
                       f'<div class="history">{h(a["meeting_title"])}: {h(_history(a["history"]))}</div></li>')
        out.append("</ul>")
    else:
        out.append(f"<p>{h(_('No actions yet.'))}</p>")
    out.append("</section>")

    out += ["<section>", f"<h2>{h(_('Evaluation over the series'))}</h2>"]
    shown = _questions_with_points(report)
    for q, points in shown:
        if len(points) >= 2:
            out += ["<figure>", trend_svg(points, q),
                    f"<figcaption>{h(q['text'])} ({q['min']}–{q['max']})</figcaption>", "</figure>"]
        else:
            out.append(f"<p>{h(q['text'])}: {h(number(points[0]['means'][q['id']]))}</p>")
    if not shown:
        out.append(f"<p>{h(_('No evaluations yet.'))}</p>")
    out.append("</section>")

    out += ["<section>", f"<h2>{h(_('Learning questions and what was learned'))}</h2>", "<ul>"]
    for lq in report["learning_questions"]:
        items = "".join(f"<li>{h(i['text'])} ({h(i['meeting'])})</li>" for i in lq["insights"]) or \
            f"<li>{h(_('no insight recorded on this yet'))}</li>"
        out.append(f"<li><strong>{h(lq['member'])}:</strong> {h(lq['question'])}<ul>{items}</ul></li>")
    out += ["</ul>", "</section>"]

    titles = {m["id"]: m["title"] for m in meetings}
    out += ["<section>", f"<h2>{h(_('Decisions'))}</h2>"]
    out += (["<ul>"] + [f"<li>{h(d['text'])} ({h(titles.get(d['meeting'], ''))})</li>" for d in report["decisions"]]
            + ["</ul>"]) if report["decisions"] else [f"<p>{h(_('None.'))}</p>"]
    out += ["</section>", "<section>", f"<h2>{h(_('Ground rules'))}</h2>"]
    out += (["<ol>"] + [f"<li>{h(r)}</li>" for r in report["ground_rules"]] + ["</ol>"]) if report["ground_rules"] \
        else [f"<p>{h(_('None agreed yet.'))}</p>"]
    out += ["</section>", "<section>", f"<h2>{h(_('Timings learned from the series'))}</h2>"]
    if report["timings"]:
        out.append("<ul>")
        out += [f"<li>{h(timing_line(t))} ({h(_('planned'))} {h(number(t['planned_seconds'] / 60))} min, "
                f"{h(_('actual'))} {h(number(t['actual_seconds'] / 60))} min, {t['meetings']}×)</li>"
                for t in report["timings"]]
        out.append("</ul>")
    else:
        out.append(f"<p>{h(_('No meeting closed yet.'))}</p>")
    out += ["</section>", "</body>", "</html>", ""]
    return "\n".join(out)
