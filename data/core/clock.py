"""Injected time. Domain code and the App never read the system clock directly."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pendulum import DateTime

# pendulum is imported where a clock is read, not when this module loads: the
# moderator's first frame at start-up is drawn before it (see StartupClock).


class Clock(Protocol):
    def now(self) -> DateTime: ...


class SystemClock:
    """The real clock, always timezone-aware (local zone for display, stored as UTC offset)."""

    def now(self) -> DateTime:
        import pendulum

        return pendulum.now()


class StartupClock:
    """The system clock as Python's own aware datetime, for the first frame only.

    Importing pendulum takes longer than drawing the agenda, so `kring demo` and
    `kring resume` paint with this clock and switch to SystemClock once the
    store is open (keys wait for that). Showing and deriving the timeline needs
    only what datetime has.
    """

    def now(self) -> datetime:
        return datetime.now().astimezone()


class FakeClock:
    """A clock that only moves when a test tells it to."""

    def __init__(self, start: DateTime | str = "2026-11-20T19:00:00+01:00") -> None:
        import pendulum

        self._now = pendulum.parse(start) if isinstance(start, str) else start

    def now(self) -> DateTime:
        return self._now

    def advance(self, seconds: float = 0, minutes: float = 0) -> DateTime:
        self._now = self._now.add(seconds=seconds + minutes * 60)
        return self._now

    def set(self, moment: DateTime) -> None:
        self._now = moment
