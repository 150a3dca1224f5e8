"""How times and durations read, in the chosen language (pendulum does the words)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from kring.data import i18n

if TYPE_CHECKING:
    from pendulum import DateTime


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


def clock_time(moment: DateTime) -> str:
    return moment.strftime("%H:%M")  # not pendulum's format: it loads a locale (start-up time)


def words(seconds: float) -> str:
    """A duration in words: '1 uur 40 minuten' / '1 hour 40 minutes'."""
    import pendulum

    seconds = int(round(seconds))
    if seconds < 60:
        return pendulum.duration(seconds=seconds).in_words(locale=i18n.current())
    return pendulum.duration(minutes=round(seconds / 60)).in_words(locale=i18n.current())


def date_long(moment: DateTime) -> str:
    return moment.format("dddd D MMMM YYYY", locale=i18n.current())


def date_time(moment: DateTime) -> str:
    return moment.format("D MMM YYYY HH:mm", locale=i18n.current())


def signed_minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"+{minutes}" if minutes > 0 else str(minutes)
