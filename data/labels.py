"""How the domain's codes, numbers, dates and durations read for a person, in the
chosen language: the one place every screen and export asks.

Babel formats numbers, pendulum dates and durations. Both load on first use,
never when this module is imported: the moderator's first frame is drawn
before them (see kring.tui.firstpaint).
"""

from __future__ import annotations

import math
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from kring.data import i18n
from kring.data.i18n import _

if TYPE_CHECKING:
    from pendulum import DateTime

# --- the domain's codes ---------------------------------------------------------------


def kind_label(kind: str) -> str:
    """A note's kind: decision, action, insight…"""
    return {
        "note": _("Note"),
        "decision": _("Decision"),
        "action": _("Action"),
        "insight": _("Insight"),
        "question": _("Open question"),
        "parking": _("Parking lot"),
        "quote": _("Quote"),
    }.get(kind, kind)


def mode_label(mode: str) -> str:
    """A step's mode: who speaks."""
    return {
        "case": _("case-bringer"),
        "round": _("round"),
        "open": _("open"),
        "solo": _("on your own"),
        "facilitator": _("moderator"),
        "subgroups": _("subgroups"),
    }.get(mode, mode)


def role_label(role: str) -> str:
    """A meeting role."""
    return {"moderator": _("moderator"), "notulist": _("note-taker"), "tijdbewaker": _("time-keeper"),
            "inbrenger": _("case-bringer")}.get(role, role)


def role_code(text: str) -> str:
    """The role a person typed, by its name in either language or its code ("procesbegeleider"
    is "moderator"); any other role as typed."""
    typed = text.strip()
    for code in ("moderator", "notulist", "tijdbewaker", "inbrenger"):
        if typed.casefold() in (code, role_label(code).casefold()):
            return code
    return typed


def author_label(author: str) -> str:
    """Who wrote or marked something: a person's name as given; a program that ran
    without a login name wrote its role's code ("moderator"), said as the role is named."""
    return role_label(author)  # a name is no role's code: it comes back as given


def action_status_label(status: str) -> str:
    """An action's status: to do, done, kept, dropped."""
    labels = {"open": _("to do"), "done": _("done"), "kept": _("kept"), "dropped": _("dropped")}
    return labels.get(status, status)


def network_form_label(key: str) -> str:
    """A learning network's form (Kessels' models)."""
    return {"structure": _("structure model"), "process": _("process model"),
            "activity": _("activity model")}.get(key, key)


def network_kind_label(key: str) -> str:
    """What a learning network learns from: tasks, practice or knowledge."""
    return {"task": _("task-based"), "practice": _("practice-based"),
            "knowledge": _("knowledge-based")}.get(key, key)


# --- numbers ----------------------------------------------------------------------------


def number(value: float | None, digits: int = 1) -> str:
    """A mean as people read it: `digits` decimals, a comma in Dutch; '—' for none.

    Rounded by Python first (half to even on the float itself, as an f-string
    does), so Babel only writes the digits it is given."""
    if value is None:
        return "—"
    from babel.numbers import format_decimal

    pattern = "0." + "0" * digits if digits > 0 else "0"
    return format_decimal(round(value, digits), format=pattern, locale=i18n.current())


def count(n: int) -> str:
    """A whole number with its thousands marked as the language does: 1.234 / 1,234."""
    from babel.numbers import format_decimal

    return format_decimal(n, locale=i18n.current())


# --- times and durations --------------------------------------------------------------


def countdown(remaining: float) -> str:
    """`mm:ss` while time is left, `+mm:ss` once the step runs over.

    Remaining time rounds up (00:01 until it is really gone), overrun rounds
    down (+00:01 only after a full second over), so the display never jumps.
    """
    if remaining > 0:
        total = math.ceil(remaining - 1e-9)
        sign = ""
    else:
        total = math.floor(-remaining + 1e-9)
        sign = "+"
    return f"{sign}{total // 60:02d}:{total % 60:02d}"


def mmss(seconds: float) -> str:
    total = int(round(seconds))
    return f"{total // 60:02d}:{total % 60:02d}"


# The user's zone (the settings' `timezone`), given once by the program that shows times
# (kring.tui.base, the command line), as the language is: every clock time and date
# a person reads is in it. None: a moment shows in the offset it carries.
_zone: tzinfo | None = None


DEFAULT_ZONE = "Europe/Amsterdam"  # the settings' `timezone` when neither they nor TZ name one


def is_zone(name: str) -> bool:
    """A zone by its place's name (Europe/Amsterdam, or UTC); not an old abbreviation (CET, EST)."""
    from zoneinfo import ZoneInfo

    if not name or name != "UTC" and "/" not in name:
        return False
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return False
    return True


def system_zone() -> str:
    """The zone TZ names (TZ=":Europe/Brussels" too), else Europe/Amsterdam: what the
    settings' `timezone` falls back to, for the first frame and the settings alike."""
    import os

    name = os.environ.get("TZ", "").strip().lstrip(":")
    return name if is_zone(name) else DEFAULT_ZONE


def use_zone(name: str | None) -> None:
    """Show every time from now on in the zone `name` (None: as each moment carries it)."""
    global _zone
    from zoneinfo import ZoneInfo

    _zone = ZoneInfo(name) if name and is_zone(name) else None


def user_time(moment: Any) -> Any:
    """This instant as the user's clock time: the same moment, in the user's zone.
    The clock stays aware in whatever zone it runs in; only what is shown turns."""
    if _zone is None or getattr(moment, "tzinfo", None) is None:
        return moment  # a naive moment has no instant to turn
    return moment.astimezone(_zone)


def clock_time(moment: Any) -> str:
    """'16:00' in the user's zone."""
    return user_time(moment).strftime("%H:%M")  # not pendulum's format: it loads a locale (start-up time)


def signed_minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"+{minutes}" if minutes > 0 else str(minutes)


def words(seconds: float) -> str:
    """A duration in words: '1 uur 40 minuten' / '1 hour 40 minutes'."""
    import pendulum

    seconds = int(round(seconds))
    if seconds < 60:
        return pendulum.duration(seconds=seconds).in_words(locale=i18n.current())
    return pendulum.duration(minutes=round(seconds / 60)).in_words(locale=i18n.current())


def duration(seconds: float | int | None) -> str:
    """A step's or a speaker's time: '45 s', '12 min', '1 h 05 min'."""
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    return _("{hours} h {minutes} min").format(hours=minutes // 60, minutes=f"{minutes % 60:02d}")


# --- dates ------------------------------------------------------------------------------


def _pendulum(moment: Any) -> DateTime:
    """pendulum's own for a stdlib datetime (the store's readers may hand either), in the user's zone."""
    import pendulum

    moment = user_time(moment)
    return moment if isinstance(moment, pendulum.DateTime) else pendulum.instance(moment)


def date_long(moment: Any) -> str:
    """'vrijdag 20 november 2026'."""
    return _pendulum(moment).format("dddd D MMMM YYYY", locale=i18n.current())


def date_short(moment: Any) -> str:
    """'20 nov. 2026'."""
    return _pendulum(moment).format("D MMM YYYY", locale=i18n.current())


def day_month(moment: Any) -> str:
    """'20 nov.'."""
    return _pendulum(moment).format("D MMM", locale=i18n.current())


def date_time(moment: Any) -> str:
    """'20 nov. 2026 19:00'."""
    return _pendulum(moment).format("D MMM YYYY HH:mm", locale=i18n.current())


def due_label(due: str | None) -> str:
    """An action's due date as people read it, short enough for a line: 'vr 4 dec'
    (without the abbreviation's dot); anything that is not a date as stored."""
    if not due:
        return ""
    import pendulum

    try:
        moment = pendulum.parse(due)
    except Exception:  # noqa: BLE001 - pendulum raises several kinds; shown as stored
        return due
    if not isinstance(moment, (pendulum.DateTime, pendulum.Date)):
        return due  # a duration or a time of day
    return moment.format("dd D MMM", locale=i18n.current()).rstrip(".")
