"""Deriving a meeting's live state from its event log.

Nothing here counts ticks: the state at any moment is a pure function of the
plan, the events and the clock's `now`. A process that died and came back, or a
second terminal following along, derives exactly the same figures.

Event kinds (`kring.data.core.events.EventKind`; the `data` each carries):
  start                      the meeting clock starts on the first step
  pause / resume             the live step's timer stops / goes on
  goto      {step}           move to a step; its timer runs (going back resumes it)
  adjust    {step, seconds}  more (+) or less (-) time for a step
  speaker   {name}           who has the floor now (None: nobody in particular)
  close                      the meeting ends
  plan      {start, end}     the planned start and end of the meeting (ISO times),
                             set in the pre-meeting check: the budget runs to `end`
  break     {until}          a break until `until` (ISO time): the live step is
                             paused until it resumes; the end moves with it
  subagenda {step, format}   a work format runs inside step `step` (its own copy,
                             minutes scaled to the step's time: kring.data.core.subagenda);
                             its steps join the list after the meeting's own
                             (kring.data.core.nesting) and the first goes live. Time in
                             them is the parent's too; `goto` moves between them
Rounds (see `kring.data.core.rounds`, which turns this into what the room sees):
  goto      {step, loop: true, from, minutes}  the moderator sends the group back
                             (a format's `loop_to`): steps `step`..`from` start a
                             fresh pass of `minutes[i]` whole minutes each, the
                             share of the time left chosen (kring.data.core.loops);
                             without `minutes` (older logs) their planned time again
  case_bringer {name, case}  who brings the case (None: not chosen); in `case`
                             steps the case-bringer has the floor
  consent   {name, share}    the case-bringer agrees (or no longer agrees) that
                             notes of their case may leave the room
                             (all of them: see kring.data.core.consent)
  note_confidential {uid, confidential}  a note-taker chose a note's
                             confidentiality on purpose (ctrl+g)
  pass      {name}           passes for now: asked again at the end of the round
  absent    {name, absent}   not in the room (skipped in rounds) / back again;
                             marking the one who holds the floor takes back
                             their turn, so they are asked when they return
  join      {name}           a latecomer joins the meeting
  order     {mode, names}    speaking order: "seating", or "shuffle" with the drawn order
Unknown kinds are ignored here so older code can read newer logs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple, Protocol, Sequence

from kring.data.core.events import EventKind
from kring.data.core.language import in_language
from kring.data.core.nesting import nested_of

if TYPE_CHECKING:  # any aware datetime will do; the store gives pendulum's
    from pendulum import DateTime


class EventLike(Protocol):
    at: DateTime
    kind: str
    data: dict[str, Any]


class PlannedStep(NamedTuple):
    """A step as planned. A named tuple: the first frame makes the plan, and a frozen
    dataclass writes and compiles six methods as it is defined."""

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
    # The round in this step (its current pass; a loop back starts a new pass):
    loops: int = 0  # how often the group was sent back through this step
    floor: list[str] = field(default_factory=list)  # who had the floor, in order
    passed: list[str] = field(default_factory=list)  # passed, to be asked again at the end
    second: list[str] = field(default_factory=list)  # had their second chance after passing
    declined: list[str] = field(default_factory=list)  # passed again on their second chance
    pass_from: float = 0.0  # elapsed when this pass began: its time is planned - pass_from
    parent: int | None = None  # a sub-agenda's step: the step it runs in
    number: str = ""  # as the agenda numbers it: "4", or "4.2" inside step 4

    def new_pass(self) -> None:
        self.loops += 1
        self.pass_from = self.elapsed
        self.floor, self.passed, self.second, self.declined = [], [], [], []

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
    fixed_start: DateTime | None = None  # the meeting's planned start and end, when set beforehand
    fixed_end: DateTime | None = None
    break_until: DateTime | None = None  # a break is on until then (the live step waits)
    # each break: [from, until planned, to (None while on), the step it was in]; the report lists them
    breaks: list[list[Any]] = field(default_factory=list)
    speaker: str | None = None
    speaker_since: float = 0.0  # seconds the current speaker has held the floor (running time)
    speaking: dict[str, Speaking] = field(default_factory=dict)
    # Rounds and intervision (meeting-wide):
    case_bringer: str | None = None
    case_title: str = ""
    consent: bool = False  # the current case-bringer agreed that notes of their case may be shared
    consents: dict[str, bool] = field(default_factory=dict)  # each case-bringer's latest decision
    absent: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)  # latecomers, in the order they came
    order_mode: str = "seating"  # seating | shuffle
    order_names: list[str] = field(default_factory=list)  # the drawn order when shuffled

    @property
    def live(self) -> StepState | None:
        return None if self.current is None else self.steps[self.current]

    # --- the agenda's order: each step, then the sub-agenda it holds ----------------

    @property
    def top(self) -> list[StepState]:
        """The meeting's own steps, without the steps of sub-agendas."""
        return [s for s in self.steps if s.parent is None]

    def children(self, index: int) -> list[StepState]:
        return [s for s in self.steps if s.parent == index]

    @property
    def order(self) -> list[int]:
        """Every step's index as the agenda runs: a step, then its sub-agenda's steps."""
        out: list[int] = []
        for s in self.top:
            out.append(s.index)
            out.extend(c.index for c in self.children(s.index))
        return out

    def following(self, index: int | None) -> int | None:
        """The step after `index` in the agenda's order (the first for None), or None after the last."""
        order = self.order
        if index is None:
            return order[0] if order else None
        at = order.index(index) + 1 if index in order else len(order)
        return order[at] if at < len(order) else None

    def preceding(self, index: int | None) -> int | None:
        order = self.order
        if index not in order:
            return None
        at = order.index(index)
        return order[at - 1] if at > 0 else None

    def is_last(self, index: int | None) -> bool:
        """Whether `index` is the agenda's closing step (the meeting's own last step)."""
        return index is not None and bool(self.steps) and index == self.top[-1].index

    @property
    def on_break(self) -> bool:
        return self.break_until is not None and not self.closed

    @property
    def break_left(self) -> float:
        """Seconds of the break still to come (0 without a break, or once it is over)."""
        if not self.on_break:
            return 0.0
        return max(0.0, (self.break_until - self.now).total_seconds())

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def planned_total(self) -> int:
        return sum(s.base_seconds for s in self.top)

    @property
    def planned_end(self) -> DateTime:
        start = self.started_at or self.now
        return start + timedelta(seconds=self.planned_total)

    @property
    def projected_end(self) -> DateTime:
        if self.closed_at is not None:
            return self.closed_at
        if self.current is None:
            return self.now + timedelta(seconds=self.planned_total)
        live = self.steps[self.current]
        ahead = self.break_left + max(0.0, live.remaining)
        if live.parent is not None:
            # inside a sub-agenda the parent's time is what its steps still need:
            # done early, the meeting goes on early; running over, its end moves
            siblings = self.children(live.parent)
            ahead += sum(max(0.0, s.remaining) for s in siblings[siblings.index(live) + 1 :])
        own = live.index if live.parent is None else live.parent
        ahead += sum(max(0.0, s.remaining) for s in self.top if s.index > own)
        return self.now + timedelta(seconds=ahead)

    @property
    def budget_left(self) -> float | None:
        """Seconds from now to the fixed end (negative once past it); None without one."""
        return None if self.fixed_end is None else (self.fixed_end - self.now).total_seconds()

    @property
    def delay_seconds(self) -> float:
        """Uitloop: projected end minus planned end (negative: ahead of plan)."""
        return (self.projected_end - self.planned_end).total_seconds()


_sub = datetime.__sub__  # the same timedelta for aware moments, without pendulum's Interval


def _moment(value: Any) -> datetime | None:
    """An aware time from the log, or None for anything else (a log is never trusted blindly)."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _pass_plans(elapsed: list[int], minutes: list[int]) -> list[int]:
    """Each repeated step's planned seconds after a loop: what it took so far plus the
    minutes chosen for its new pass, in whole minutes. Rounding each up on its own gave
    every step up to a minute more, so 29 minutes said became 31 on the clocks: the
    minutes are rounded together instead (largest remainders), the passes adding up to
    what was said plus less than the one minute already begun."""
    exact = [e / 60 + m for e, m in zip(elapsed, minutes)]
    out = [math.floor(x + 1e-9) for x in exact]  # still more than what the step took: m >= 1
    short = math.ceil(sum(exact) - 1e-9) - sum(out)
    for i in sorted(range(len(exact)), key=lambda i: (out[i] - exact[i], i))[: max(0, short)]:
        out[i] += 1
    return [60 * m for m in out]


def _seconds(minutes: Any) -> int:
    """A sub-step's planned seconds from the log (as FormatSteps reads them: nonsense is 0)."""
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        return 0
    return round(value * 60) if 0 <= value < 10_000 else 0


def has_closed(events: Iterable[EventLike]) -> bool:
    """Whether the meeting was closed, as `derive(...).closed` says, without deriving it:
    a close is final, so one close event is enough."""
    return any(ev.kind == EventKind.CLOSE for ev in events)


def derive(plan: Sequence[PlannedStep], events: Iterable[EventLike], now: DateTime) -> Timeline:
    tl = Timeline(
        steps=[StepState(i, p.title, p.mode, p.seconds, number=str(i + 1)) for i, p in enumerate(plan)],
        now=now,
    )
    top = len(plan)
    holding: set[int] = set()  # the steps that hold a sub-agenda
    mark: DateTime | None = None  # when the running segment began

    def settle(t: DateTime) -> None:
        nonlocal mark
        if tl.running and mark is not None and tl.current is not None:
            # datetime's own subtraction: pendulum's makes an Interval (some 20 µs), once per
            # event of the log, and the note-taker's first key of a note derives the timeline
            span = max(0.0, _sub(t, mark).total_seconds())
            live = tl.steps[tl.current]
            live.elapsed += span
            if live.parent is not None:  # a sub-agenda's time is its parent step's time
                tl.steps[live.parent].elapsed += span
            if tl.speaker is not None:
                tl.speaking.setdefault(tl.speaker, Speaking()).seconds += span
                tl.speaker_since += span
        mark = t

    def give_floor(name: str | None) -> None:
        if name == tl.speaker:
            return
        tl.speaker, tl.speaker_since = name, 0.0
        if name is None:
            return
        tl.speaking.setdefault(name, Speaking()).turns += 1
        if tl.current is not None:
            step = tl.steps[tl.current]
            if name in step.passed:  # asked again after passing
                step.passed.remove(name)
                step.second.append(name)
            if name not in step.floor:
                step.floor.append(name)

    def enter(index: int) -> None:
        tl.current = index
        tl.steps[index].visits += 1
        tl.running = True
        tl.speaker, tl.speaker_since = None, 0.0
        # In a case step the case-bringer has the floor.
        if tl.steps[index].mode == "case" and tl.case_bringer is not None:
            give_floor(tl.case_bringer)

    def same(a: str, b: str) -> bool:
        return a.casefold() == b.casefold()

    for ev in events:
        if tl.closed_at is not None:
            break
        settle(ev.at)
        kind, data = ev.kind, ev.data or {}
        if kind in (EventKind.START, EventKind.RESUME, EventKind.GOTO, EventKind.CLOSE):
            if tl.break_until is not None and tl.breaks and tl.breaks[-1][2] is None:
                tl.breaks[-1][2] = ev.at  # the break ends as the meeting goes on (or closes)
        if kind in (EventKind.START, EventKind.RESUME, EventKind.GOTO):
            tl.break_until = None  # the meeting goes on
        if kind == EventKind.START:
            if tl.current is None:
                tl.started_at = ev.at
                enter(0)
            else:
                tl.running = True
        elif kind == EventKind.PAUSE:
            tl.running = False
        elif kind == EventKind.PLAN:
            tl.fixed_start = _moment(data.get("start"))
            tl.fixed_end = _moment(data.get("end"))
        elif kind == EventKind.BREAK:
            until = _moment(data.get("until"))
            if until is not None and tl.current is not None:
                if tl.break_until is None:  # a new break; a second 'f' in one only moves its end
                    tl.breaks.append([ev.at, until, None, tl.current])
                else:
                    tl.breaks[-1][1] = until
                tl.running, tl.break_until = False, until
        elif kind == EventKind.RESUME:
            if tl.current is None:
                tl.started_at = ev.at
                enter(0)
            tl.running = True
        elif kind == EventKind.GOTO:
            step = int(data.get("step", 0))
            if 0 <= step < len(tl.steps):
                if tl.started_at is None:
                    tl.started_at = ev.at
                if data.get("loop"):
                    until = data.get("from", tl.current)
                    until = step if until is None else min(int(until), len(tl.steps) - 1)
                    minutes = data.get("minutes")
                    repeated = tl.steps[step : until + 1]
                    given = [max(1, int(m)) for m in minutes[: len(repeated)]] if isinstance(minutes, list) else []
                    plans = _pass_plans([round(a.elapsed) for a in repeated[: len(given)]], given)
                    for n, again in enumerate(repeated):
                        if n < len(plans):
                            # the share of the time left the moderator chose (kring.data.core.loops)
                            again.adjust_seconds = plans[n] - again.base_seconds
                        else:  # a log from before that choice: the planned time again
                            again.adjust_seconds = max(again.adjust_seconds, round(again.elapsed))
                        again.new_pass()
                enter(step)
        elif kind == EventKind.ADJUST:
            step = data.get("step", tl.current)
            if step is not None and 0 <= int(step) < len(tl.steps):
                s = tl.steps[int(step)]
                # never plan below zero: "-" on an empty step does nothing
                before = s.adjust_seconds
                s.adjust_seconds = max(-s.base_seconds, s.adjust_seconds + int(data.get("seconds", 0)))
                if s.parent is not None:  # a minute more inside a sub-agenda is a minute more for its step
                    p = tl.steps[s.parent]
                    p.adjust_seconds = max(-p.base_seconds, p.adjust_seconds + s.adjust_seconds - before)
        elif kind == EventKind.SUBAGENDA:
            nested = nested_of(ev, top, holding)
            if nested is not None:
                holding.add(nested.parent)
                parent = tl.steps[nested.parent]
                # its steps' titles in the interface's language, as the meeting's own steps
                for n, sub in enumerate(in_language({"steps": nested.steps})["steps"], start=1):
                    tl.steps.append(StepState(len(tl.steps), str(sub.get("title") or ""), str(sub.get("mode") or "open"),
                                              _seconds(sub.get("minutes")), parent=parent.index,
                                              number=f"{parent.number}.{n}"))
                if tl.current == parent.index:  # it starts: its first step goes live
                    enter(tl.children(parent.index)[0].index)
        elif kind == EventKind.SPEAKER:
            give_floor(data.get("name"))
        elif kind == EventKind.CASE_BRINGER:
            name = data.get("name") or None
            if name != tl.case_bringer:
                old, tl.case_bringer = tl.case_bringer, name
                tl.consent = tl.consents.get(name, False) if name else False
                live = tl.current is not None and tl.steps[tl.current].mode == "case"
                if live and tl.speaker in (None, old):
                    give_floor(name)
            tl.case_title = str(data.get("case") or "") if name else ""
        elif kind == EventKind.CONSENT:
            # consent is the case-bringer's own, for their whole case (kring.data.core.consent):
            # only the case-bringer of the moment gives or withdraws it
            if tl.case_bringer is not None and data.get("name") == tl.case_bringer:
                tl.consent = tl.consents[tl.case_bringer] = bool(data.get("share"))
        elif kind == EventKind.PASS:
            name = data.get("name")
            if name and tl.current is not None:
                step = tl.steps[tl.current]
                if name in step.second:
                    if name not in step.declined:
                        step.declined.append(name)
                elif name not in step.passed:
                    step.passed.append(name)
                if name == tl.speaker:  # a pass is no turn
                    sp = tl.speaking.get(name)
                    if sp is not None and sp.turns > 0:
                        sp.turns -= 1
        elif kind == EventKind.ABSENT:
            name = data.get("name")
            if name:
                tl.absent = [a for a in tl.absent if not same(a, name)]
                if data.get("absent", True):
                    tl.absent.append(name)
                    if tl.speaker is not None and same(tl.speaker, name) and tl.current is not None:
                        # called but not in the room: like a pass, no turn, so they
                        # get their turn when they come back (l)
                        step = tl.steps[tl.current]
                        step.floor = [f for f in step.floor if not same(f, name)]
                        sp = tl.speaking.get(tl.speaker)
                        if sp is not None and sp.turns > 0:
                            sp.turns -= 1
        elif kind == EventKind.JOIN:
            name = data.get("name")
            if name and not any(same(j, name) for j in tl.joined):
                tl.joined.append(name)
                tl.absent = [a for a in tl.absent if not same(a, name)]
        elif kind == EventKind.ORDER:
            tl.order_mode = "shuffle" if data.get("mode") == "shuffle" else "seating"
            tl.order_names = [str(n) for n in data.get("names") or []] if tl.order_mode == "shuffle" else []
        elif kind == EventKind.CLOSE:
            tl.closed_at = ev.at
            tl.running = False
    if tl.closed_at is None:
        settle(now)
    return tl
