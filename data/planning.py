"""A network's series on the calendar: meetings planned before they are held.

`kring network plan` adds one; `kring run --network` starts the next one and
links it to the meeting it became; the moderator's closing screen proposes the
next date (the next planned one, else one at the network's usual interval);
`kring.data.ics` exports them. Moments are stored aware; they are read and
shown in the user's zone, which the caller passes in (`zone`, the settings'
`timezone`; Europe/Amsterdam when none is given).
"""

from __future__ import annotations

import re
import statistics
import uuid
from dataclasses import dataclass
from typing import Any

import pendulum
from pendulum import DateTime
from sqlmodel import col, select

from kring.data.core.clock import Clock
from kring.data.core.textgate import PLACE_CHARS, check_line
from kring.data.errors import InputError
from kring.data.models import Meeting, PlannedMeeting
from kring.data.networks import clean_text, get_network, network_id_by_name
from kring.data.store import Store
from kring.data.i18n import _
from kring.data.labels import DEFAULT_ZONE  # the settings' default, when no zone is passed (kring.tui.settings)
DEFAULT_MINUTES = 120
USUAL_INTERVAL_DAYS = 42  # six weeks, until the series shows its own rhythm
# A planned meeting still counts as the next one on its own day, when it starts late.
STILL_NEXT_HOURS = 12

_AT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$")


@dataclass
class PlannedInfo:
    id: int
    uid: str
    network_id: int
    starts_at: DateTime
    minutes: int
    place: str
    werkvorm: str
    meeting_id: int | None

    @property
    def ends_at(self) -> DateTime:
        return self.starts_at.add(minutes=self.minutes)


def _info(row: PlannedMeeting, zone: str) -> PlannedInfo:
    return PlannedInfo(int(row.id), row.uid, row.network_id, pendulum.instance(row.starts_at).in_timezone(zone),
                       row.minutes, row.place, row.werkvorm, row.meeting_id)


def parse_at(text: str, zone: str | None = None) -> DateTime:
    """'2027-01-14 19:30' as a moment in the user's zone; an InputError says the form otherwise."""
    m = _AT.match(clean_text(text))
    if m is None:
        raise InputError(_("--at '{text}': give the date and time as YYYY-MM-DD HH:MM").format(text=clean_text(text)))
    try:
        return pendulum.datetime(*(int(g) for g in m.groups()), tz=zone or DEFAULT_ZONE)
    except ValueError:
        raise InputError(_("--at '{text}': there is no such date or time").format(text=clean_text(text))) from None


def plan_meeting(store: Store, network: str | int, at: str, clock: Clock, *, minutes: int | None = None,
                 place: str = "", werkvorm: str = "", zone: str | None = None) -> PlannedInfo:
    """Put a meeting of the network on the calendar. Refuses a moment in the past and a second meeting at the
    same moment."""
    zone = zone or DEFAULT_ZONE
    info = get_network(store, network if isinstance(network, int) else network_id_by_name(store, network))
    starts = parse_at(at, zone)
    if starts < clock.now():
        raise InputError(_("--at {starts}: that moment has passed; plan a later one").format(starts=starts.format('YYYY-MM-DD HH:mm')))
    if minutes is None:
        minutes = _format_minutes(werkvorm) if werkvorm else DEFAULT_MINUTES
    if not 5 <= minutes <= 24 * 60:
        raise InputError(_("--minutes {minutes}: give a length between 5 and 1440 minutes").format(minutes=minutes))
    with store.writing() as s:
        for other in s.exec(select(PlannedMeeting).where(PlannedMeeting.network_id == info.id)).all():
            if pendulum.instance(other.starts_at) == starts:
                raise InputError(_("network '{name}' already has a meeting planned at {starts}").format(name=info.name, starts=starts.format('YYYY-MM-DD HH:mm')))
        row = PlannedMeeting(uid=uuid.uuid4().hex, network_id=info.id, starts_at=starts, minutes=minutes,
                             place=check_line(place, _("place"), PLACE_CHARS, required=False), werkvorm=clean_text(werkvorm), created_at=clock.now())
        s.add(row)
        s.flush()
        return _info(row, zone)


def _format_minutes(werkvorm: str) -> int:
    from kring.workformats.loader import find

    return max(5, round(find(werkvorm).total_seconds / 60))


def planned_meetings(store: Store, network_id: int, *, held: bool = True, zone: str | None = None
                     ) -> list[PlannedInfo]:
    """The network's planned meetings in date order; `held=False` leaves out those already started."""
    zone = zone or DEFAULT_ZONE
    with store.session() as s:
        q = select(PlannedMeeting).where(PlannedMeeting.network_id == network_id)
        if not held:
            q = q.where(col(PlannedMeeting.meeting_id).is_(None))
        rows = [_info(r, zone) for r in s.exec(q).all()]
    return sorted(rows, key=lambda p: (p.starts_at, p.id))


def next_planned(store: Store, network_id: int, now: DateTime, *, zone: str | None = None) -> PlannedInfo | None:
    """The first planned meeting not yet held that has not long passed."""
    since = now.subtract(hours=STILL_NEXT_HOURS)
    return next((p for p in planned_meetings(store, network_id, held=False, zone=zone) if p.starts_at >= since),
                None)


def link_meeting(store: Store, planned_id: int, meeting_id: int) -> None:
    """The planned meeting was held: it became this meeting."""
    with store.writing() as s:
        row = s.get(PlannedMeeting, planned_id)
        if row is not None and row.meeting_id is None:
            row.meeting_id = meeting_id
            s.add(row)


def planned_of(store: Store, meeting_id: int, *, zone: str | None = None) -> PlannedInfo | None:
    """The planned meeting this meeting became (`kring run --network` started it from the calendar), if any."""
    with store.session() as s:
        row = s.exec(select(PlannedMeeting).where(PlannedMeeting.meeting_id == meeting_id)).first()
        return _info(row, zone or DEFAULT_ZONE) if row is not None else None


@dataclass
class NextDate:
    """What the closing screen proposes."""

    at: DateTime
    planned: bool  # already on the calendar
    interval_days: int  # the series' usual interval (for a proposal)
    place: str = ""
    minutes: int = DEFAULT_MINUTES


def usual_interval(store: Store, network_id: int) -> int:
    """Days between the series' meetings (held and planned), as the median gap; six weeks until two are known."""
    with store.session() as s:
        held = s.exec(select(Meeting.started_at).where(Meeting.network_id == network_id)).all()
        planned = s.exec(select(PlannedMeeting.starts_at).where(PlannedMeeting.network_id == network_id,
                                                                col(PlannedMeeting.meeting_id).is_(None))).all()
    days = sorted({pendulum.instance(m).date() for m in [*held, *planned] if m is not None})
    gaps = [(b - a).days for a, b in zip(days, days[1:]) if (b - a).days >= 7]
    return round(statistics.median(gaps)) if gaps else USUAL_INTERVAL_DAYS


def propose_next(store: Store, network_id: int, now: DateTime, *, zone: str | None = None) -> NextDate:
    """The next planned meeting after now, else one at the usual interval after the latest meeting, on the
    same weekday and at the same time of day."""
    zone = zone or DEFAULT_ZONE
    upcoming = [p for p in planned_meetings(store, network_id, held=False, zone=zone) if p.starts_at > now]
    interval = usual_interval(store, network_id)
    if upcoming:
        p = upcoming[0]
        return NextDate(p.starts_at, True, interval, p.place, p.minutes)
    with store.session() as s:
        last = s.exec(select(Meeting).where(Meeting.network_id == network_id)
                      .order_by(col(Meeting.id).desc())).first()
        base: Any = (last.started_at or last.created_at) if last is not None else now
        place = last.place if last is not None else ""
    at = pendulum.instance(base).in_timezone(zone).add(days=interval)
    while at <= now:
        at = at.add(days=interval)
    return NextDate(at, False, interval, place)
