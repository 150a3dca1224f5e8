"""A report as Markdown, for mail: note text is backslash-escaped, so it can
neither become HTML, a link nor a table cell when a mail client renders it."""

from __future__ import annotations

import re
from typing import Any

from kring.data.i18n import _, ngettext
from kring.data.labels import action_status_label, duration, kind_label, mode_label, role_label
from kring.data.labels import date_short as _date_short
from kring.data.labels import number as _number
from kring.data.report.wording import (
    advice_heading,
    answered_questions,
    difference,
    distribution,
    footer_line,
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
    when_line,
    withheld_text,
)
from kring.data.trends import bar

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
_MD_ANY = re.compile(r"[\\`*_\[\]<>|#~&]")  # anything _MD_SPECIAL or _MD_ENTITY could change
_MD_FIRST_START = re.compile(r"^(\s*)(\d*)([-+>.)])")
_MD_NEXT_START = re.compile(r"^(\s*)(\d*)([-+=>.)])")


def md_escape(text: Any, *, continued: bool = False) -> str:
    """Text as typed, safe inside Markdown: no HTML, links, emphasis, table cells,
    and no list, quote or heading where it begins (`continued`: a later line)."""
    value = str(text)
    if _MD_ANY.search(value):  # most notes have nothing to escape: one search, no rewriting
        value = _MD_SPECIAL.sub(r"\\\1", value)
        value = _MD_ENTITY.sub(r"\\&", value)  # '&amp;' as typed, not '&'
    start = _MD_NEXT_START if continued else _MD_FIRST_START
    # a list marker after digits ('1.') is escaped at its punctuation: '1\.'
    return start.sub(_escape_start, value, count=1) if start.match(value) else value


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
    for notice in notices(report):
        lines += [f"> **{notice}**", ""]

    lines += [f"## {_('Participants')}", ""]
    present, absent = present_absent(report["participants"])
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
    for st, breaks in with_breaks(report):
        visited = st.get("visits", 1) or st.get("actual_seconds")
        rows.append([
            step_number(st),
            _md_inline(step_title(st)) + (" 🔒" if st.get("confidential") else ""),
            _md_inline(mode_label(st["mode"])),
            duration(st["planned_seconds"]),
            duration(st["actual_seconds"]) if visited else "—",
            difference(st["planned_seconds"], st["actual_seconds"]) if visited else "",
        ])
        rows += [["", f"*{break_title(b)}*", "", "—", duration(b["seconds"]), difference(0, b["seconds"])]
                 for b in breaks]
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

    lines += _md_recalled(report)
    lines += _md_advice(report)

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
    groups = notes_by_step(report)
    words = _note_words()
    for number, title, notes, confidential in groups:
        level = "####" if "." in number.rstrip(".") else "###"  # a sub-agenda's step, under its parent
        lines += [f"{level} {number} {_md_inline(title)}".replace(f"{level}  ", f"{level} "), ""]
        if confidential and not report.get("include_confidential"):
            lines += [f"*{_('Confidential step: what was shared stays in the room.')}*", ""]
        for n in notes:
            lines.append(_md_note(n, words))
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
    lines += ["", "---", "", "*" + footer_line(report) + "*", ""]
    return "\n".join(lines)


def _due(due: str | None) -> str:
    moment = day_of(due)
    if moment is None:
        return md_escape(due) if due else "—"
    return _date_short(moment)


def _md_note(n: dict[str, Any], words: dict[str, str]) -> str:
    """One note as a list item; `words` are the labels every note shares, translated once (see _note_words)."""
    kind = n.get("kind") or "note"
    label = words.get(kind) or kind_label(kind)
    extra = []
    if n.get("speaker"):
        extra.append(_md_inline(n["speaker"]))
    if kind == "action":
        if n.get("owner"):
            extra.append(words["owner"].format(name=_md_inline(n["owner"])))
        if n.get("due"):
            extra.append(words["due"].format(date=_due(n["due"])))
    if n.get("confidential"):
        extra.append(words["confidential"])
    tail = f" *({'; '.join(extra)})*" if extra else ""
    return f"- **{label}:** {_md_block(n.get('text', ''), '  ')}{tail}"


def _md_recalled(report: dict[str, Any]) -> list[str]:
    found = recalled(report)
    if found is None:
        return []
    heading, groups = found
    lines = [f"## {_md_inline(heading)}", ""]
    for label, answers in groups:
        lines += [f"### {_md_inline(label)}", ""]
        lines += [f"- {_md_block(text, '  ')}" + (f" *({_md_inline(who)})*" if who else "") for who, text in answers]
        lines.append("")
    return lines


def _md_advice(report: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for group in report.get("advice") or []:
        lines += [f"## {_md_inline(advice_heading(group))}", ""]
        for n in group["notes"]:
            who = f" *({_md_inline(n['speaker'])})*" if n.get("speaker") else ""
            lines.append(f"- {_md_block(n.get('text', ''), '  ')}{who}")
        if group["notes"]:
            lines.append("")
        if group.get("withheld"):
            lines += [f"*{_('Confidential step: what was shared stays in the room.')}*", ""]
    return lines


def _note_words() -> dict[str, str]:
    """What every note's line says alike, in the interface language: looked up once a report, not per note."""
    words = {kind: kind_label(kind) for kind in ("note", "decision", "action", "insight", "question", "parking",
                                                 "quote")}
    words.update(owner=_("owner {name}"), due=_("due {date}"), confidential=_("confidential"))
    return words


def _md_evaluation(report: dict[str, Any]) -> list[str]:
    ev = report.get("evaluation", {})
    lines = [f"## {_('Evaluation')}", ""]
    if ev.get("withheld"):
        return lines + [withheld_text(report), ""]
    summary = answered_questions(report)
    if not summary:
        return lines + [_("No evaluations filled in."), ""]
    n = int(ev.get("count") or len(ev.get("responses", [])))
    lines += [_("Evaluations filled in: {n}").format(n=n) + (" · " + _("anonymous") if ev.get("anonymous") else ""), ""]
    if not_asked_line(report):
        lines += ["*" + not_asked_line(report) + "*", ""]
    for q in summary:
        lines += [f"### {_md_inline(question_text(q))}", ""]
        if q.get("mean") is not None:
            dist = " · ".join(f"{md_escape(k)}: {v}" for k, v in distribution(q))
            ends = f" ({md_escape(scale_ends(q))})" if scale_ends(q) else ""
            lines.append(ngettext("Mean {mean} ({count} answer)", "Mean {mean} ({count} answers)", int(q.get("count", 0))).format(
                mean=_number(q["mean"]), count=q.get("count", 0))
                         + (f" — {dist}" if dist else "") + ends)
        elif q.get("distribution"):
            lines.append(" · ".join(f"{md_escape(k)}: {v}" for k, v in distribution(q)))
        for answer in q.get("answers") or []:
            lines.append(f"- {_md_block(answer, '  ')}")
        lines.append("")
    return lines


def _md_trend(report: dict[str, Any]) -> list[str]:
    q = trend_question(report)
    if q is None:
        return []
    points = trend_points(report, q["id"])
    if len(points) < 2:  # one meeting is not a trend yet
        return []
    lines = [f"## {_('Trend in the network')}: {_md_inline(q['text'])}", ""]
    rows = []
    for p in points:
        moment = moment_of(p["date"])
        mean = p["means"][q["id"]]
        rows.append([
            _date_short(moment) if moment else "—",
            ("**" + _md_inline(p["title"]) + "**") if p.get("current") else _md_inline(p["title"]),
            _number(mean),
            "`" + bar(mean, q["min"], q["max"], 16).rstrip().replace("`", "") + "`" if mean > q["min"] else "",
        ])
    lines += _md_table([_("Date"), _("Meeting"), _("Mean"), ""], rows, right={2})
    return lines + [""]
