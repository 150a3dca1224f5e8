"""Rendering a report dictionary (see report.py) as Markdown, HTML or CSV.

All three read the same dictionary and escape what people typed:

- Markdown (for mail): note text is backslash-escaped, so it can neither become
  HTML, a link nor a table cell when a mail client renders it.
- HTML: one self-contained page (inline CSS and SVG, no external resources, a
  Content-Security-Policy that forbids loading any) that prints well to PDF.
- CSV: one file, one row per note, action and evaluation answer; the `section`
  column says which (`note`, `action`, `evaluation`). Columns: section, item,
  kind, text, speaker, author, owner, due, status, confidential, at, response,
  participant, question, answer. A cell that starts with = + - @ tab or CR,
  also after leading blanks or line breaks and in their full-width forms
  (＝ ＋ － ＠), gets a leading apostrophe so a spreadsheet never runs it as a formula.

Headings are in the interface language (gettext); dates through pendulum in
that language.
"""

from __future__ import annotations

import csv
import io
import re
from html import escape
from typing import Any, Callable

import pendulum
from pendulum import DateTime

from kring.data import i18n
from kring.data.i18n import _
from kring.data.labels import action_status_label, duration, kind_label, mode_label, role_label
from kring.data.labels import date_long as _date_long
from kring.data.labels import date_short as _date_short
from kring.data.labels import day_month as _day_month
from kring.data.labels import number as _number
from kring.data.core.textgate import shown
from kring.data.trends import bar, numeric, question_label

# --- shared wording ---------------------------------------------------------------


def _moment(iso: str | None) -> DateTime | None:
    if not iso:
        return None
    try:
        parsed = pendulum.parse(iso)
    except (ValueError, TypeError):
        return None
    return parsed if isinstance(parsed, DateTime) else None


def _hhmm(moment: DateTime) -> str:
    return moment.format("HH:mm")


def difference(planned: int, actual: int) -> str:
    minutes = round((actual - planned) / 60)
    if minutes == 0:
        return "0"
    return f"+{minutes}" if minutes > 0 else f"−{-minutes}"


def when_line(report: dict[str, Any]) -> str:
    """'vrijdag 20 november 2026, 19:00–21:05' (or '…, 19:00 – nu' while live)."""
    session = report["session"]
    start = _moment(session.get("started_at"))
    created = _moment(session.get("created_at"))
    end = _moment(session.get("ended_at"))
    day = start or created
    if day is None:
        return "—"
    if start is None:
        return _date_long(day) + ", " + _("not started yet")
    if end is not None:
        return f"{_date_long(start)}, {_hhmm(start)}–{_hhmm(end)}"
    return f"{_date_long(start)}, {_hhmm(start)} – " + _("still going")


def _notices(report: dict[str, Any]) -> list[str]:
    out = []
    if report["session"].get("status") != "closed":
        now = _moment(report.get("generated_at"))
        out.append(
            _("Draft: the meeting is still going. Figures as of {time}.").format(time=_hhmm(now) if now else "—")
        )
    if report.get("include_confidential"):
        out.append(_("This report includes confidential notes. Do not send it round."))
    out += consent_lines(report)
    return out


def consent_lines(report: dict[str, Any]) -> list[str]:
    """Each case-bringer's decision on sharing the notes of their case, and when."""
    out = []
    for c in report["session"].get("consent") or []:
        at = _moment(c.get("at"))
        when = f"{_date_long(at)}, {_hhmm(at)}" if at else "—"
        said = (_("{name}, the case-bringer, agreed on {when} that the notes of their case may be shared.")
                if c.get("share") else
                _("{name}, the case-bringer, withdrew their consent on {when}: the notes of their case "
                  "stay in the room."))
        out.append(said.format(name=c.get("name"), when=when))
    return out


def _notes_by_step(report: dict[str, Any]) -> list[tuple[str, str, list[dict[str, Any]], bool]]:
    """(number, title, notes, confidential step) per agenda step, in agenda order;
    notes taken before the start or outside any step come first."""
    agenda = report.get("agenda", [])
    per: dict[int | None, list[dict[str, Any]]] = {}
    for note in report.get("notes", []):
        step = note.get("step")
        key = step if isinstance(step, int) and 0 <= step < len(agenda) else None
        per.setdefault(key, []).append(note)
    out = []
    if None in per:
        out.append(("", _("General"), per[None], False))
    for st in agenda:
        notes = per.get(st["index"], [])
        if notes or st.get("confidential"):
            out.append((f"{st['index'] + 1}.", st["title"], notes, bool(st.get("confidential"))))
    return out


def _summary(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions someone answered (a question nobody answered is left out)."""
    return [q for q in report.get("evaluation", {}).get("summary", []) if isinstance(q, dict) and q.get("count")]


def _question_text(q: dict[str, Any]) -> str:
    return str(q.get("text") or question_label(str(q.get("id", ""))))


def _distribution(q: dict[str, Any]) -> list[tuple[str, int]]:
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


def _value_label(q: dict[str, Any], value: str) -> str:
    """The form's label of a value (ROTI's five, a scale's ends), or ''."""
    labels = q.get("labels") or {}
    return str(labels.get(value) or labels.get(_as_int(value)) or "")


def _ends(q: dict[str, Any]) -> str:
    """'0 = helemaal niet, 10 = helemaal wel' for a scale whose ends are labelled."""
    if q.get("type") != "scale" or q.get("min") is None or q.get("max") is None:
        return ""
    if int(q["max"]) - int(q["min"]) < 6:  # a short scale shows every value with its label
        return ""
    low, high = _value_label(q, str(q["min"])), _value_label(q, str(q["max"]))
    if not (low and high):
        return ""
    return f"{q['min']} = {low}, {q['max']} = {high}"


def _as_int(value: str) -> int | str:
    try:
        return int(value)
    except ValueError:
        return value


def _withheld_text(report: dict[str, Any]) -> str:
    ev = report.get("evaluation", {})
    n = int(ev.get("count") or 0)
    if ev.get("withheld_because") == "anonymity":
        return _("Evaluations filled in: {n}. Too few anonymous answers to show without giving someone away.").format(
            n=n)
    return _("Evaluations filled in so far: {n}. The answers go into the report once the meeting is closed.").format(n=n)


def _trend_question(report: dict[str, Any]) -> dict[str, Any] | None:
    trend = report.get("trend") or {}
    questions = trend.get("questions") or []
    return questions[0] if questions else None


def _trend_points(report: dict[str, Any], qid: str, last: int = 12) -> list[dict[str, Any]]:
    points = [p for p in (report.get("trend") or {}).get("points", []) if qid in p.get("means", {})]
    return points[-last:]


# --- Markdown ---------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_FIRST_START = re.compile(r"^(\s*)(\d*)([-+>.)])")
_MD_NEXT_START = re.compile(r"^(\s*)(\d*)([-+=>.)])")


def md_escape(text: Any, *, continued: bool = False) -> str:
    """Text as typed, safe inside Markdown: no HTML, links, emphasis, table cells,
    and no list, quote or heading where it begins (`continued`: a later line)."""
    value = _MD_SPECIAL.sub(r"\\\1", str(text))
    value = _MD_ENTITY.sub(r"\\&", value)  # '&amp;' as typed, not '&'
    start = _MD_NEXT_START if continued else _MD_FIRST_START
    # a list marker after digits ('1.') is escaped at its punctuation: '1\.'
    return start.sub(_escape_start, value)


def _escape_start(m: re.Match[str]) -> str:
    space, digits, mark = m.group(1), m.group(2), m.group(3)
    if digits and mark not in ".)":
        return m.group(0)
    if not digits and mark in ".)":
        return m.group(0)
    return space + digits + "\\" + mark


def _md_inline(text: Any) -> str:
    """One line (table cells, list items): line breaks become spaces."""
    return md_escape(" ".join(str(text).split()))


def _md_block(text: Any, indent: str) -> str:
    """A note that may span lines, inside a list item: hard breaks, indented."""
    raw = [line.strip() for line in str(text).strip().splitlines()]
    lines = [md_escape(line, continued=i > 0) for i, line in enumerate(line for line in raw if line)]
    return ("\\\n" + indent).join(lines) or "—"


def _md_table(head: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    out = ["| " + " | ".join(head) + " |"]
    out.append("|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|")
    out += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return out


def _present_absent(people: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Who was in the room, and who was marked absent (and not back): never listed as present."""
    return [p for p in people if not p.get("absent")], [p for p in people if p.get("absent")]


def render_md(report: dict[str, Any]) -> str:
    s = report["session"]
    lines: list[str] = [f"# {_('Report')}: {_md_inline(s['title'])}", ""]
    facts: list[tuple[str, str]] = []
    net = s.get("network")
    if net:
        facts.append((_("Network"), _md_inline(net["name"])))
        if net.get("theme"):
            facts.append((_("Theme"), _md_inline(net["theme"])))
    facts.append((_("Date"), when_line(report)))
    if s.get("place"):
        facts.append((_("Place"), _md_inline(s["place"])))
    facts.append((_("Work format"), _md_inline(s.get("werkvorm_title") or s["werkvorm"])))
    lines += [f"**{label}:** {value}  " for label, value in facts]
    lines[-1] = lines[-1].rstrip()
    lines.append("")
    for notice in _notices(report):
        lines += [f"> **{notice}**", ""]

    lines += [f"## {_('Participants')}", ""]
    present, absent = _present_absent(report["participants"])
    for p in present:
        roles = ", ".join(role_label(r) for r in p.get("roles", []))
        lines.append(f"- {_md_inline(p['name'])}" + (f" ({_md_inline(roles)})" if roles else ""))
    if not present:
        lines.append(_("No participants recorded."))
    if absent:
        lines += ["", _("Absent: {names}").format(names=", ".join(_md_inline(p["name"]) for p in absent))]
    lines.append("")

    lines += [f"## {_('Agenda: planned and actual')}", ""]
    rows = []
    for st in report["agenda"]:
        visited = st.get("visits", 1) or st.get("actual_seconds")
        rows.append([
            str(st["index"] + 1),
            _md_inline(st["title"]) + (" 🔒" if st.get("confidential") else ""),
            _md_inline(mode_label(st["mode"])),
            duration(st["planned_seconds"]),
            duration(st["actual_seconds"]) if visited else "—",
            difference(st["planned_seconds"], st["actual_seconds"]) if visited else "",
        ])
    rows.append(["", f"**{_('Total')}**", "", duration(s.get("planned_seconds")), duration(s.get("actual_seconds")),
                 difference(s.get("planned_seconds") or 0, s.get("actual_seconds") or 0)])
    lines += _md_table(["#", _("Step"), _("Form"), _("Planned"), _("Actual"), _("Difference (min)")], rows,
                       right={3, 4, 5})
    lines.append("")

    if report.get("looked_back"):
        lines += [f"## {_('Looked back: actions from earlier meetings')}", ""]
        lines += _md_table(
            [_("Action"), _("Owner"), _("Meeting"), _("Status")],
            [[_md_inline(a["text"]), _md_inline(a.get("owner") or "—"), _md_inline(a.get("meeting") or ""),
              action_status_label(a.get("status") or "open")] for a in report["looked_back"]],
        )
        lines.append("")

    lines += [f"## {_('Decisions')}", ""]
    for d in report.get("decisions", []):
        where = f" ({_md_inline(d['item'])})" if d.get("item") else ""
        lines.append(f"- {_md_block(d['text'], '  ')}{where}")
    if not report.get("decisions"):
        lines.append(_("No decisions recorded."))
    lines.append("")

    lines += [f"## {_('Actions')}", ""]
    if report.get("actions"):
        lines += _md_table(
            [_("Action"), _("Owner"), _("Due"), _("Status")],
            [[_md_inline(a["text"]), _md_inline(a.get("owner") or "—"), _due(a.get("due")),
              action_status_label(a.get("status") or "open")] for a in report["actions"]],
        )
    else:
        lines.append(_("No actions recorded."))
    lines.append("")

    lines += [f"## {_('Notes per step')}", ""]
    groups = _notes_by_step(report)
    for number, title, notes, confidential in groups:
        lines += [f"### {number} {_md_inline(title)}".replace("###  ", "### "), ""]
        if confidential and not report.get("include_confidential"):
            lines += [f"*{_('Confidential step: what was shared stays in the room.')}*", ""]
        for n in notes:
            lines.append(_md_note(n))
        if notes:
            lines.append("")
    if not report.get("notes"):
        lines += [_("No notes recorded."), ""]

    lines += _md_evaluation(report)
    lines += _md_trend(report)

    lines += [f"## {_('Speaking time')}", ""]
    if report.get("speaking"):
        lines += _md_table(
            [_("Participant"), _("Time"), _("Turns")],
            [[_md_inline(sp["participant"]), duration(sp["seconds"]), str(sp["turns"])] for sp in report["speaking"]],
            right={1, 2},
        )
    else:
        lines.append(_("No speaking time recorded."))
    lines += ["", "---", "", "*" + _footer(report) + "*", ""]
    return "\n".join(lines)


def _due(due: str | None) -> str:
    moment = _moment(due)
    if moment is None:
        return md_escape(due) if due else "—"
    return _date_short(moment)


def _md_note(n: dict[str, Any]) -> str:
    label = kind_label(n.get("kind") or "note")
    extra = []
    if n.get("speaker"):
        extra.append(_md_inline(n["speaker"]))
    if n.get("kind") == "action":
        if n.get("owner"):
            extra.append(_("owner {name}").format(name=_md_inline(n["owner"])))
        if n.get("due"):
            extra.append(_("due {date}").format(date=_due(n["due"])))
    if n.get("confidential"):
        extra.append(_("confidential"))
    tail = f" *({'; '.join(extra)})*" if extra else ""
    return f"- **{label}:** {_md_block(n.get('text', ''), '  ')}{tail}"


def _md_evaluation(report: dict[str, Any]) -> list[str]:
    ev = report.get("evaluation", {})
    lines = [f"## {_('Evaluation')}", ""]
    if ev.get("withheld"):
        return lines + [_withheld_text(report), ""]
    summary = _summary(report)
    if not summary:
        return lines + [_("No evaluations filled in."), ""]
    n = int(ev.get("count") or len(ev.get("responses", [])))
    lines += [_("Evaluations filled in: {n}").format(n=n) + (" · " + _("anonymous") if ev.get("anonymous") else ""), ""]
    for q in summary:
        lines += [f"### {_md_inline(_question_text(q))}", ""]
        if q.get("mean") is not None:
            dist = " · ".join(f"{md_escape(k)}: {v}" for k, v in _distribution(q))
            ends = f" ({md_escape(_ends(q))})" if _ends(q) else ""
            lines.append(_("Mean {mean} ({count} answers)").format(mean=_number(q["mean"]), count=q.get("count", 0))
                         + (f" — {dist}" if dist else "") + ends)
        elif q.get("distribution"):
            lines.append(" · ".join(f"{md_escape(k)}: {v}" for k, v in _distribution(q)))
        for answer in q.get("answers") or []:
            lines.append(f"- {_md_block(answer, '  ')}")
        lines.append("")
    return lines


def _md_trend(report: dict[str, Any]) -> list[str]:
    q = _trend_question(report)
    if q is None:
        return []
    points = _trend_points(report, q["id"])
    if len(points) < 2:  # one meeting is not a trend yet
        return []
    lines = [f"## {_('Trend in the network')}: {_md_inline(q['text'])}", ""]
    rows = []
    for p in points:
        moment = _moment(p["date"])
        mean = p["means"][q["id"]]
        rows.append([
            _date_short(moment) if moment else "—",
            ("**" + _md_inline(p["title"]) + "**") if p.get("current") else _md_inline(p["title"]),
            _number(mean),
            "`" + bar(mean, q["min"], q["max"], 16).rstrip().replace("`", "") + "`" if mean > q["min"] else "",
        ])
    lines += _md_table([_("Date"), _("Meeting"), _("Mean"), ""], rows, right={2})
    return lines + [""]


def _footer(report: dict[str, Any]) -> str:
    made = _moment(report.get("generated_at"))
    return _("Made with kring on {date}.").format(date=(_date_short(made) + " " + _hhmm(made)) if made else "—")


# --- HTML -------------------------------------------------------------------------

CSS = """
:root { --ink: #1d1d1f; --muted: #5b5b63; --line: #d9d9de; --accent: #1f4e9c; --soft: #eef2fa;
        --warn: #8a4b00; --warnbg: #fff4e0; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); background: #fff; line-height: 1.45; margin: 0 auto; padding: 2rem 1.25rem 3rem;
       max-width: 52rem; font-size: 16px; }
h1 { font-size: 1.7rem; margin: 0 0 .75rem; line-height: 1.2; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--accent);
     color: var(--accent); }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
.notice { border-left: 4px solid var(--warn); background: var(--warnbg); color: var(--warn); padding: .5rem .8rem;
          margin: .5rem 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 1rem; font-size: .95em; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
.over { color: #a11; }
ul.notes { list-style: none; padding: 0; margin: 0 0 .8rem; }
ul.notes li { padding: .3rem 0 .3rem .6rem; border-left: 3px solid var(--line); margin: .25rem 0; }
ul.notes li.decision { border-left-color: #2e7d32; }
ul.notes li.action { border-left-color: var(--accent); }
ul.notes li.confidential { background: var(--warnbg); }
.kind { font-weight: 600; margin-right: .35rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.meta { color: var(--muted); font-size: .9em; margin-left: .35rem; }
.muted { color: var(--muted); }
.lock { font-size: .85em; color: var(--warn); }
.question { margin: .8rem 0 1rem; }
.dist { display: grid; grid-template-columns: max-content 1fr max-content; gap: .1rem .5rem; align-items: center;
        max-width: 30rem; font-size: .9em; }
.barbox { background: var(--soft); height: .8rem; border-radius: 2px; }
.barfill { background: var(--accent); height: 100%; border-radius: 2px; }
ul.answers { margin: .3rem 0; padding-left: 1.2rem; }
figure { margin: .5rem 0 1rem; }
figure svg { width: 100%; height: auto; max-width: 40rem; display: block; }
figcaption { color: var(--muted); font-size: .9em; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85em; border-top: 1px solid var(--line);
         padding-top: .5rem; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@page { size: A4; margin: 16mm 15mm 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  table, figure, .question, dl.facts, .notice { break-inside: avoid; page-break-inside: avoid; }
  tr, ul.notes li { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def h(text: Any) -> str:
    return escape("" if text is None else str(text), quote=True)


def _html_text(text: Any) -> str:
    return f'<span class="text">{h(str(text).strip())}</span>'


def render_html(report: dict[str, Any]) -> str:
    s = report["session"]
    lang = report.get("language") or i18n.current()
    title = f"{_('Report')}: {s['title']}"
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{h(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        # nothing may be loaded from anywhere: the page is complete as it is
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="kring">',
        f"<title>{h(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{h(title)}</h1>",
        '<dl class="facts">',
    ]
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
    out += [f"<dt>{h(k)}</dt><dd>{h(v)}</dd>" for k, v in facts]
    out.append("</dl>")
    out += [f'<p class="notice">{h(n)}</p>' for n in _notices(report)]
    out.append("</header>")

    out += ["<section>", f"<h2>{h(_('Participants'))}</h2>"]
    present, absent = _present_absent(report["participants"])
    if present:
        out.append("<ul>")
        for p in present:
            roles = ", ".join(role_label(r) for r in p.get("roles", []))
            out.append(f"<li>{h(p['name'])}" + (f' <span class="muted">({h(roles)})</span>' if roles else "") + "</li>")
        out.append("</ul>")
    else:
        out.append(f'<p class="muted">{h(_("No participants recorded."))}</p>')
    if absent:
        out.append(f'<p class="muted">{h(_("Absent: {names}").format(names=", ".join(p["name"] for p in absent)))}</p>')
    out.append("</section>")

    out += ["<section>", f"<h2>{h(_('Agenda: planned and actual'))}</h2>", "<table>", "<thead><tr>",
            f"<th class=\"num\">#</th><th>{h(_('Step'))}</th><th>{h(_('Form'))}</th>"
            f"<th class=\"num\">{h(_('Planned'))}</th><th class=\"num\">{h(_('Actual'))}</th>"
            f"<th class=\"num\">{h(_('Difference (min)'))}</th>",
            "</tr></thead>", "<tbody>"]
    for st in report["agenda"]:
        visited = st.get("visits", 1) or st.get("actual_seconds")
        diff = difference(st["planned_seconds"], st["actual_seconds"]) if visited else ""
        lock = f' <span class="lock" title="{h(_("confidential"))}">🔒</span>' if st.get("confidential") else ""
        out.append(
            f"<tr><td class=\"num\">{st['index'] + 1}</td><td>{h(st['title'])}{lock}</td>"
            f"<td>{h(mode_label(st['mode']))}</td><td class=\"num\">{h(duration(st['planned_seconds']))}</td>"
            f"<td class=\"num\">{h(duration(st['actual_seconds']) if visited else '—')}</td>"
            f"<td class=\"num{' over' if diff.startswith('+') else ''}\">{h(diff)}</td></tr>"
        )
    out.append(
        f"<tr class=\"total\"><td></td><td>{h(_('Total'))}</td><td></td>"
        f"<td class=\"num\">{h(duration(s.get('planned_seconds')))}</td>"
        f"<td class=\"num\">{h(duration(s.get('actual_seconds')))}</td>"
        f"<td class=\"num\">{h(difference(s.get('planned_seconds') or 0, s.get('actual_seconds') or 0))}</td></tr>"
    )
    out += ["</tbody>", "</table>", "</section>"]

    if report.get("looked_back"):
        out += ["<section>", f"<h2>{h(_('Looked back: actions from earlier meetings'))}</h2>", "<table>",
                "<thead><tr>", f"<th>{h(_('Action'))}</th><th>{h(_('Owner'))}</th><th>{h(_('Meeting'))}</th>"
                f"<th>{h(_('Status'))}</th>", "</tr></thead>", "<tbody>"]
        for a in report["looked_back"]:
            out.append(
                f"<tr><td>{_html_text(a['text'])}</td><td>{h(a.get('owner') or '—')}</td>"
                f"<td>{h(a.get('meeting') or '')}</td><td>{h(action_status_label(a.get('status') or 'open'))}</td></tr>"
            )
        out += ["</tbody>", "</table>", "</section>"]

    out += ["<section>", f"<h2>{h(_('Decisions'))}</h2>"]
    if report.get("decisions"):
        out.append('<ul class="notes">')
        for d in report["decisions"]:
            where = f'<span class="meta">{h(d["item"])}</span>' if d.get("item") else ""
            out.append(f'<li class="decision">{_html_text(d["text"])}{where}</li>')
        out.append("</ul>")
    else:
        out.append(f'<p class="muted">{h(_("No decisions recorded."))}</p>')
    out.append("</section>")

    out += ["<section>", f"<h2>{h(_('Actions'))}</h2>"]
    if report.get("actions"):
        out += ["<table>", "<thead><tr>",
                f"<th>{h(_('Action'))}</th><th>{h(_('Owner'))}</th><th>{h(_('Due'))}</th><th>{h(_('Status'))}</th>",
                "</tr></thead>", "<tbody>"]
        for a in report["actions"]:
            out.append(
                f"<tr><td>{_html_text(a['text'])}</td><td>{h(a.get('owner') or '—')}</td>"
                f"<td class=\"num\">{h(_due_plain(a.get('due')))}</td>"
                f"<td>{h(action_status_label(a.get('status') or 'open'))}</td></tr>"
            )
        out += ["</tbody>", "</table>"]
    else:
        out.append(f'<p class="muted">{h(_("No actions recorded."))}</p>')
    out.append("</section>")

    out += ["<section>", f"<h2>{h(_('Notes per step'))}</h2>"]
    for number, title, notes, confidential in _notes_by_step(report):
        out.append(f"<h3>{h((number + ' ' + title).strip())}</h3>")
        if confidential and not report.get("include_confidential"):
            out.append(f'<p class="muted"><em>{h(_("Confidential step: what was shared stays in the room."))}</em></p>')
        if notes:
            out.append('<ul class="notes">')
            out += [_html_note(n) for n in notes]
            out.append("</ul>")
    if not report.get("notes"):
        out.append(f'<p class="muted">{h(_("No notes recorded."))}</p>')
    out.append("</section>")

    out += _html_evaluation(report)
    out += _html_trend(report)

    out += ["<section>", f"<h2>{h(_('Speaking time'))}</h2>"]
    if report.get("speaking"):
        most = max(sp["seconds"] for sp in report["speaking"]) or 1
        out += ["<table>", "<thead><tr>",
                f"<th>{h(_('Participant'))}</th><th class=\"num\">{h(_('Time'))}</th>"
                f"<th class=\"num\">{h(_('Turns'))}</th><th></th>",
                "</tr></thead>", "<tbody>"]
        for sp in report["speaking"]:
            share = round(100 * sp["seconds"] / most)
            out.append(
                f"<tr><td>{h(sp['participant'])}</td><td class=\"num\">{h(duration(sp['seconds']))}</td>"
                f"<td class=\"num\">{int(sp['turns'])}</td>"
                f'<td style="width:40%"><div class="barbox"><div class="barfill" style="width:{share}%"></div></div></td>'
                "</tr>"
            )
        out += ["</tbody>", "</table>"]
    else:
        out.append(f'<p class="muted">{h(_("No speaking time recorded."))}</p>')
    out.append("</section>")
    out += [f"<footer>{h(_footer(report))}</footer>", "</body>", "</html>", ""]
    return "\n".join(out)


def _due_plain(due: str | None) -> str:
    moment = _moment(due)
    if moment is None:
        return due or "—"
    return _date_short(moment)


def _html_note(n: dict[str, Any]) -> str:
    kind = n.get("kind") or "note"
    meta = []
    if n.get("speaker"):
        meta.append(n["speaker"])
    if kind == "action":
        if n.get("owner"):
            meta.append(_("owner {name}").format(name=n["owner"]))
        if n.get("due"):
            meta.append(_("due {date}").format(date=_due_plain(n["due"])))
    if n.get("confidential"):
        meta.append(_("confidential"))
    at = _moment(n.get("at"))
    if at is not None:
        meta.append(_hhmm(at))
    classes = " ".join(c for c in (re.sub(r"[^a-z]", "", kind), "confidential" if n.get("confidential") else "") if c)
    meta_html = f'<span class="meta">{h(" · ".join(meta))}</span>' if meta else ""
    return f'<li class="{classes}"><span class="kind">{h(kind_label(kind))}</span>{_html_text(n.get("text", ""))}{meta_html}</li>'


def _html_evaluation(report: dict[str, Any]) -> list[str]:
    ev = report.get("evaluation", {})
    out = ["<section>", f"<h2>{h(_('Evaluation'))}</h2>"]
    if ev.get("withheld"):
        return out + [f'<p class="muted">{h(_withheld_text(report))}</p>', "</section>"]
    summary = _summary(report)
    if not summary:
        return out + [f'<p class="muted">{h(_("No evaluations filled in."))}</p>', "</section>"]
    n = int(ev.get("count") or len(ev.get("responses", [])))
    head = _("Evaluations filled in: {n}").format(n=n)
    if ev.get("anonymous"):
        head += " · " + _("anonymous")
    out.append(f'<p class="muted">{h(head)}</p>')
    for q in summary:
        out += ['<div class="question">', f"<h3>{h(_question_text(q))}</h3>"]
        if q.get("mean") is not None:
            mean = _("Mean {mean} ({count} answers)").format(mean=_number(q["mean"]), count=q.get("count", 0))
            ends = f' <span class="muted">({h(_ends(q))})</span>' if _ends(q) else ""
            out.append(f"<p>{h(mean)}{ends}</p>")
        dist = _distribution(q)
        if dist:
            most = max(v for _k, v in dist) or 1
            out.append('<div class="dist">')
            for k, v in dist:
                label = _value_label(q, k)
                shown = h(k) + (f' <small class="muted">{h(label)}</small>' if label else "")
                out.append(
                    f'<span>{shown}</span><div class="barbox"><div class="barfill" style="width:{round(100 * v / most)}%">'
                    f"</div></div><span class=\"num\">{int(v)}</span>"
                )
            out.append("</div>")
        answers = q.get("answers") or []
        if answers:
            out.append('<ul class="answers">')
            out += [f"<li>{_html_text(a)}</li>" for a in answers]
            out.append("</ul>")
        out.append("</div>")
    return out + ["</section>"]


def _html_trend(report: dict[str, Any]) -> list[str]:
    q = _trend_question(report)
    if q is None:
        return []
    points = _trend_points(report, q["id"])
    if len(points) < 2:  # one meeting is not a trend yet
        return []
    net = (report.get("trend") or {}).get("network") or ""
    caption = _("{question}: mean per meeting of {network}, the last {n} meetings with an evaluation.").format(
        question=q["text"], network=net, n=len(points)
    )
    return [
        "<section>",
        f"<h2>{h(_('Trend in the network'))}</h2>",
        "<figure>",
        trend_svg(points, q),
        f"<figcaption>{h(caption)}</figcaption>",
        "</figure>",
        "</section>",
    ]


def trend_svg(points: list[dict[str, Any]], q: dict[str, Any], width: int = 640, height: int = 240) -> str:
    """An inline SVG line chart of one question's mean per meeting (no scripts, no links)."""
    left, right, top, bottom = 40, 16, 16, 44
    low, high = float(q["min"]), float(q["max"])
    span = (high - low) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def y(v: float) -> float:
        return top + plot_h * (1 - (max(low, min(high, v)) - low) / span)

    label = f"{q['text']}: " + ", ".join(
        f"{_day_month(m) if (m := _moment(p['date'])) else '—'} {_number(p['means'][q['id']])}" for p in points
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{h(label)}">',
        f"<title>{h(label)}</title>",
    ]
    steps = int(high - low) if high - low <= 10 else 5
    tick = span / max(1, steps)
    for i in range(steps + 1):
        v = low + i * tick
        if steps > 5 and i % 2:
            continue
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#d9d9de" stroke-width="1"/>')
        out.append(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" fill="#5b5b63">{h(_number(v, 0))}</text>'
        )
    coords = [(x(i), y(p["means"][q["id"]])) for i, p in enumerate(points)]
    if n > 1:
        out.append(
            '<polyline fill="none" stroke="#1f4e9c" stroke-width="2.5" points="'
            + " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coords) + '"/>'
        )
    every = max(1, -(-n // 8))
    for i, (p, (cx, cy)) in enumerate(zip(points, coords)):
        mean = p["means"][q["id"]]
        moment = _moment(p["date"])
        current = bool(p.get("current"))
        out.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{6 if current else 4}" fill="{"#c0392b" if current else "#1f4e9c"}">'
            f"<title>{h((_date_short(moment) if moment else '') + ' · ' + p['title'] + ' · ' + _number(mean))}</title></circle>"
        )
        if current or n <= 12:
            out.append(
                f'<text x="{cx:.1f}" y="{cy - 9:.1f}" text-anchor="middle" font-size="11" fill="#1d1d1f">{h(_number(mean))}</text>'
            )
        if i % every == 0 or i == n - 1:
            out.append(
                f'<text x="{cx:.1f}" y="{height - bottom + 18}" text-anchor="middle" font-size="11" fill="#5b5b63">'
                f"{h(_day_month(moment) if moment else '')}</text>"
            )
    out.append("</svg>")
    return "".join(out)


# --- CSV --------------------------------------------------------------------------

CSV_COLUMNS = (
    "section", "item", "kind", "text", "speaker", "author", "owner", "due", "status", "confidential", "at",
    "response", "participant", "question", "answer",
)
# what makes a spreadsheet read a cell as a formula (OWASP's list), the full-width
# signs too, which some spreadsheets fold to the ASCII ones; also after leading blanks
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: formulas are neutralised with a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    text = shown(value)
    risky = text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START)
    return "'" + text if risky else text


def render_csv(report: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    row: Callable[..., list[Any]] = lambda **kw: [csv_cell(kw.get(c)) for c in CSV_COLUMNS]  # noqa: E731
    for n in report.get("notes", []):
        action = n.get("kind") == "action"
        writer.writerow(row(
            section="action" if action else "note", item=n.get("item"), kind=n.get("kind"), text=n.get("text"),
            speaker=n.get("speaker"), author=n.get("author"), owner=n.get("owner") if action else None,
            due=n.get("due") if action else None, status=n.get("status") if action else None,
            confidential=bool(n.get("confidential")), at=n.get("at"),
        ))
    for c in report["session"].get("consent") or []:
        writer.writerow(row(section="consent", kind="case-bringer", participant=c.get("name"),
                            answer="yes" if c.get("share") else "no", at=c.get("at")))
    ev = report.get("evaluation", {})
    for number, r in enumerate(ev.get("responses", []), start=1):
        for qid, answer in (r.get("answers") or {}).items():
            writer.writerow(row(
                section="evaluation", response=number, participant=r.get("participant"), at=r.get("at"),
                question=qid, answer=answer if numeric(answer) is not None else str(answer),
                kind="case-bringer" if r.get("case_bringer") else None,
            ))
    return buf.getvalue()
