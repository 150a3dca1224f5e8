"""Injected time. Domain code and the App never read the system clock directly."""

from __future__ import annotations

from typing import Protocol

import pendulum
from pendulum import DateTime


class Clock(Protocol):
    def now(self) -> DateTime: ...


class SystemClock:
    """The real clock, always timezone-aware (local zone for display, stored as UTC offset)."""

    def now(self) -> DateTime:
        return pendulum.now()


class FakeClock:
    """A clock that only moves when a test tells it to."""

    def __init__(self, start: DateTime | str = "2026-11-20T19:00:00+01:00") -> None:
        self._now = pendulum.parse(start) if isinstance(start, str) else start

    def now(self) -> DateTime:
        return self._now

    def advance(self, seconds: float = 0, minutes: float = 0) -> DateTime:
        self._now = self._now.add(seconds=seconds + minutes * 60)
        return self._now

    def set(self, moment: DateTime) -> None:
        self._now = moment
