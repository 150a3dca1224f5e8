"""The series' calendar as one iCalendar file (RFC 5545), made with `icalendar`.

A VEVENT per planned meeting, in the user's zone (with its VTIMEZONE), its
uid stable across exports so a calendar program updates rather than doubles
it; the place and the agenda in its description. A VTODO per open action of
the network, with its owner and due date. Confidential actions stay out.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pendulum
from icalendar import Calendar, Event, Todo, vCalAddress, vText

from kring.data.actions import open_actions
from kring.data.core.clock import Clock
from kring.data.core.textgate import shown
from kring.data.i18n import _
from kring.data.network_meetings import meeting_count
from kring.data.networks import get_network
from kring.data.planning import DEFAULT_ZONE, PlannedInfo, planned_meetings
from kring.data.store import Store

PRODID = "-//kring//kring series calendar//NL"
UID_DOMAIN = "kring"


def _agenda(werkvorm: str) -> tuple[str, list[str]]:
    """The work format's title and its steps with their minutes; empty when it cannot be read."""
    from kring.workformats.loader import find

    try:
        fmt = find(werkvorm)
    except Exception:  # noqa: BLE001 - a format removed since it was planned: the event stays without its agenda
        return werkvorm, []
    fmt = fmt.shown()
    return fmt.title, [f"{s.title} ({round(s.minutes)} min)" for s in fmt.steps]


def _werkvorm(store: Store, network_id: int, planned: list[PlannedInfo], p: PlannedInfo) -> str:
    """The planned format, else what the network would start with: the kick-off first, then the standard."""
    if p.werkvorm:
        return p.werkvorm
    held_before = meeting_count(store, network_id) if p.meeting_id is None else 0
    earlier = sum(1 for q in planned if q.starts_at < p.starts_at and q.meeting_id is None)
    return "kickoff" if p.meeting_id is None and held_before + earlier == 0 else "standaard"


def network_calendar(store: Store, network_id: int, clock: Clock, *, zone: str | None = None) -> bytes:
    zone = zone or DEFAULT_ZONE
    tz = ZoneInfo(zone)
    info = get_network(store, network_id)
    emails = {m.name.casefold(): m.email for m in info.members if m.email}
    stamp = clock.now().in_timezone("UTC")

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    _add_text(cal, "x-wr-calname", info.name)
    cal.add("x-wr-timezone", zone)

    planned = planned_meetings(store, network_id, zone=zone)
    for n, p in enumerate(planned, 1):
        title, steps = _agenda(_werkvorm(store, network_id, planned, p))
        ev = Event()
        ev.add("uid", f"{p.uid}@{UID_DOMAIN}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", p.starts_at.in_timezone(zone).naive().replace(tzinfo=tz))
        ev.add("dtend", p.ends_at.in_timezone(zone).naive().replace(tzinfo=tz))
        _add_text(ev, "summary", f"{info.name}: {title}")
        if p.place:
            _add_text(ev, "location", p.place)
        lines = [_("Place") + ": " + p.place] if p.place else []
        if steps:
            lines += ([""] if lines else []) + [_("Agenda") + ":"] + [f"{i}. {s}" for i, s in enumerate(steps, 1)]
        if lines:
            _add_text(ev, "description", "\n".join(lines))
        ev.add("status", "CONFIRMED")
        cal.add_component(ev)

    for a in open_actions(store, network_id, include_confidential=False):
        todo = Todo()
        todo.add("uid", f"action-{a.uid}@{UID_DOMAIN}")
        todo.add("dtstamp", stamp)
        _add_text(todo, "summary", a.text + (f" ({a.owner})" if a.owner else ""))
        due = _date(a.due)
        if due is not None:
            todo.add("due", due)
        lines = []
        if a.owner:
            lines.append(_("Owner") + ": " + a.owner)
            if a.owner.casefold() in emails:
                who = vCalAddress("mailto:" + emails[a.owner.casefold()])
                who.params["cn"] = vText(a.owner)
                who.params["role"] = vText("REQ-PARTICIPANT")
                todo.add("attendee", who, encode=0)
        lines.append(_("From") + ": " + a.meeting_title)
        _add_text(todo, "description", "\n".join(lines))
        todo.add("status", "IN-PROCESS" if a.status == "kept" else "NEEDS-ACTION")
        cal.add_component(todo)

    cal.add_missing_timezones()
    return cal.to_ical()


def _add_text(component, name: str, text: str) -> None:  # noqa: ANN001 - an icalendar component
    """Stored text on its way out passes the gate: nothing a terminal would obey reaches `-o -`."""
    component.add(name, shown(text))


def _date(due: str | None) -> date | None:
    if not due:
        return None
    try:
        moment = pendulum.parse(due)
    except Exception:  # noqa: BLE001 - a due date as someone typed it; the action goes without a DUE
        return None
    if isinstance(moment, pendulum.DateTime):
        return moment.date()
    return moment if isinstance(moment, date) else None
