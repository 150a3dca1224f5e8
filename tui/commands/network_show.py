"""`kring network show NAME`: members, learning questions, ground rules, open actions, meetings held and
planned, what the network's life proposes next, and what was learned per learning question."""

from __future__ import annotations

import argparse

from kring.tui.commands import config_of, open_store
from kring.tui.output import say


def _clock():  # noqa: ANN202
    from kring.data.core.clock import SystemClock

    return SystemClock()


def _date(moment) -> str:  # noqa: ANN001
    from kring.data.labels import date_short

    return date_short(moment) if moment is not None else "—"


def _status(status: str) -> str:
    from kring.data.i18n import _
    from kring.data.labels import action_status_label

    return {"live": _("live"), "closed": _("closed")}.get(status) or action_status_label(status)


def _role(role: str) -> str:
    from kring.data.labels import role_label

    return role_label(role)


def show(args: argparse.Namespace) -> int:
    from kring.data.actions import open_actions
    from kring.data.ground_rules import adopt_ground_rules
    from kring.data.i18n import _
    from kring.data.labels import date_time, due_label, network_form_label, network_kind_label
    from kring.data.meetings import list_meetings
    from kring.data.network_meetings import next_meeting_label
    from kring.data.networks import get_network, network_id_by_name
    from kring.data.planning import planned_meetings
    from kring.data.roles import propose_roles
    from kring.data.search import learned_per_question

    store = open_store(args)
    zone = config_of(args).settings.timezone
    network_id = network_id_by_name(store, args.name)
    adopt_ground_rules(store, network_id, _clock())  # rules agreed at a closed kick-off
    info = get_network(store, network_id)
    out: list[str] = []
    out.append(info.name + (f" — {info.theme}" if info.theme else ""))
    if info.goal:
        out.append(_("Goal") + ": " + info.goal)
    facts = [(_("Form"), network_form_label(info.form)), (_("Kind"), network_kind_label(info.kind)),
             (_("Rhythm"), info.rhythm)]
    line = " · ".join(f"{k}: {v}" for k, v in facts if v)
    if line:
        out.append(line)
    out.append(_("Roles") + ": " + ", ".join(_role(r) for r in info.roles))
    form, anonymous = info.evaluation_form, info.anonymous_evaluation
    out.append(_("Evaluation: form {form}, {how}").format(form=form, how=_("anonymous") if anonymous
                                                          else _("with names")))

    out += ["", _("Members ({count})").format(count=len(info.members))]
    for m in info.members:
        head = "  " + m.name + (f" <{m.email}>" if m.email else "") + (f" — {m.expertise}" if m.expertise else "")
        out.append(head)
        for q in m.questions:
            out.append("      • " + q)
    if not info.members:
        out.append("  " + _("none yet (add them with: kring network add NAME MEMBER)"))
    if len(info.members) > 12:
        out.append("  ⚠ " + _("more than about 12: consider two networks"))

    out += ["", _("Ground rules")]
    out += [f"  {i}. {r}" for i, r in enumerate(info.ground_rules, 1)] or ["  " + _("none agreed yet")]

    actions = open_actions(store, network_id, include_confidential=False)
    out += ["", _("Open actions ({count})").format(count=len(actions))]
    for a in actions:
        extra = ", ".join(x for x in (a.owner or "", due_label(a.due)) if x)
        out.append(f"  {'↻' if a.status == 'kept' else '○'} {a.text}" + (f" — {extra}" if extra else "")
                   + f"  ({a.meeting_title}, {_date(a.meeting_at)})")
    if not actions:
        out.append("  " + _("none"))

    meetings = list_meetings(store, network_id)
    out += ["", _("Meetings so far ({count})").format(count=len(meetings))]
    for m in meetings:
        out.append(f"  {m.id:>4}  {_date(m.started_at or m.created_at):<12} {_status(m.status):<9} "
                   f"{m.werkvorm:<12} {m.title}")
    planned = planned_meetings(store, network_id, held=False, zone=zone)
    out += ["", _("Planned meetings ({count})").format(count=len(planned))]
    for p in planned:
        extra = " · ".join(x for x in (p.place, p.werkvorm) if x)
        out.append(f"  {date_time(p.starts_at):<18} {p.minutes:>4} min" + (f"  {extra}" if extra else ""))
    if not planned:
        out.append("  " + _("none (plan one with: kring network plan NAME --at \"YYYY-MM-DD HH:MM\")"))
    if info.members:
        roles = propose_roles(store, network_id)
        out.append(_("Next meeting: {format}; proposed roles: {roles}").format(
            format=next_meeting_label(store, network_id, _clock().now(), zone=zone),
            roles=" · ".join(f"{_role(r)} {n}" for r, n in roles.items())))

    learned = learned_per_question(store, network_id)
    if learned:
        out += ["", _("What was learned per learning question")]
        for entry in learned:
            out.append(f"  {entry.member}: {entry.question}")
            for item in entry.items:
                why = (_("noted while {name} had the floor").format(name=entry.member) if item.why == "speaker"
                       else _("mentions '{word}'").format(word=item.word))
                out.append(f"      • {item.hit.text}  ({item.hit.meeting_title}; {why})")
            if not entry.items:
                out.append("      " + _("no insight recorded on this yet"))
    say("\n".join(out))
    return 0
