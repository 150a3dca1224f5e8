"""Deriving a meeting's live state from its event log.

Nothing here counts ticks: the state at any moment is a pure function of the
plan, the events and the clock's `now`. A process that died and came back, or a
second terminal following along, derives exactly the same figures.

Event kinds (the `data` each carries):
  start                      the meeting clock starts on the first step
  pause / resume             the live step's timer stops / goes on
  goto      {step}           move to a step; its timer runs (going back resumes it)
  adjust    {step, seconds}  more (+) or less (-) time for a step
  speaker   {name}           who has the floor now (None: nobody in particular)
  close                      the meeting ends
Rounds add their own kinds in `kring.data.rounds`; unknown kinds are ignored
here so older code can read newer logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Protocol, Sequence

from pendulum import DateTime


class EventLike(Protocol):
    at: DateTime
    kind: str
    data: dict[str, Any]


@dataclass(frozen=True)
class PlannedStep:
    title: str
    seconds: int
    mode: str = "open"


@dataclass
class StepState:
    index: int
    title: str
    mode: str
    base_seconds: int
    adjust_seconds: int = 0
    elapsed: float = 0.0  # seconds this step has been live and running
    visits: int = 0

    @property
    def planned(self) -> int:
        return max(0, self.base_seconds + self.adjust_seconds)

    @property
    def remaining(self) -> float:
        """Negative once the step runs over."""
        return self.planned - self.elapsed

    @property
    def overrun(self) -> float:
        return max(0.0, -self.remaining)


@dataclass
class Speaking:
    seconds: float = 0.0
    turns: int = 0


@dataclass
class Timeline:
    steps: list[StepState]
    now: DateTime
    current: int | None = None  # None until the meeting starts
    running: bool = False
    started_at: DateTime | None = None
    closed_at: DateTime | None = None
    speaker: str | None = None
    speaker_since: float = 0.0  # seconds the current speaker has held the floor (running time)
    speaking: dict[str, Speaking] = field(default_factory=dict)

    @property
    def live(self) -> StepState | None:
        return None if self.current is None else self.steps[self.current]

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def planned_total(self) -> int:
        return sum(s.base_seconds for s in self.steps)

    @property
    def planned_end(self) -> DateTime:
        start = self.started_at or self.now
        return start.add(seconds=self.planned_total)

    @property
    def projected_end(self) -> DateTime:
        if self.closed_at is not None:
            return self.closed_at
        if self.current is None:
            return self.now.add(seconds=self.planned_total)
        ahead = max(0.0, self.steps[self.current].remaining)
        ahead += sum(max(0.0, s.remaining) for s in self.steps[self.current + 1 :])
        return self.now.add(seconds=ahead)

    @property
    def delay_seconds(self) -> float:
        """Uitloop: projected end minus planned end (negative: ahead of plan)."""
        return (self.projected_end - self.planned_end).total_seconds()


def derive(plan: Sequence[PlannedStep], events: Iterable[EventLike], now: DateTime) -> Timeline:
    tl = Timeline(
        steps=[StepState(i, p.title, p.mode, p.seconds) for i, p in enumerate(plan)],
        now=now,
    )
    mark: DateTime | None = None  # when the running segment began

    def settle(t: DateTime) -> None:
        nonlocal mark
        if tl.running and mark is not None and tl.current is not None:
            span = max(0.0, (t - mark).total_seconds())
            tl.steps[tl.current].elapsed += span
            if tl.speaker is not None:
                tl.speaking.setdefault(tl.speaker, Speaking()).seconds += span
                tl.speaker_since += span
        mark = t

    def enter(index: int) -> None:
        tl.current = index
        tl.steps[index].visits += 1
        tl.running = True
        tl.speaker, tl.speaker_since = None, 0.0

    for ev in events:
        if tl.closed_at is not None:
            break
        settle(ev.at)
        kind, data = ev.kind, ev.data or {}
        if kind == "start":
            if tl.current is None:
                tl.started_at = ev.at
                enter(0)
            else:
                tl.running = True
        elif kind == "pause":
            tl.running = False
        elif kind == "resume":
            if tl.current is None:
                tl.started_at = ev.at
                enter(0)
            tl.running = True
        elif kind == "goto":
            step = int(data.get("step", 0))
            if 0 <= step < len(tl.steps):
                if tl.started_at is None:
                    tl.started_at = ev.at
                enter(step)
        elif kind == "adjust":
            step = data.get("step", tl.current)
            if step is not None and 0 <= int(step) < len(tl.steps):
                s = tl.steps[int(step)]
                # never plan below zero: "-" on an empty step does nothing
                s.adjust_seconds = max(-s.base_seconds, s.adjust_seconds + int(data.get("seconds", 0)))
        elif kind == "speaker":
            name = data.get("name")
            if name != tl.speaker:
                tl.speaker, tl.speaker_since = name, 0.0
                if name is not None:
                    tl.speaking.setdefault(name, Speaking()).turns += 1
        elif kind == "close":
            tl.closed_at = ev.at
            tl.running = False
    if tl.closed_at is None:
        settle(now)
    return tl
