"""Intervision rounds: speaking order, turns, passes, the case-bringer.

Derived from the event log like everything live: `kring.data.core.timeline.derive`
replays the round events (its docstring lists them) and this module turns the
derived Timeline into what the room sees — the speaking order with who is done,
whose turn it is, who comes next, each speaker's share of the step's time — and
into the speaking-time figures of the report. Everything here is pure and
takes plain data and typed steps (`kring.data.core.steps`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterable

from kring.data.core.consent import ConsentRule
from kring.data.core.steps import FormatSteps, Mode
from kring.data.core.timeline import Timeline
from kring.data.errors import InputError
from kring.data.i18n import _

# --- the format's steps ------------------------------------------------------------


def confidential_default(fmt: FormatSteps, events: Iterable[Any], step_index: int | None) -> bool:
    """Whether a note begun in this step now is confidential, consent included.

    Intervision steps are confidential unless the current case-bringer agreed
    (`kring.data.core.consent` has the rule). Notes store the step's own default
    (`FormatSteps.is_confidential`); consent is applied where they are shown or exported.
    """
    if not fmt.is_confidential(step_index):
        return False
    rule = ConsentRule.of(fmt, events)
    current = rule.periods[-1][0] if rule.periods else None
    return rule.agreed(current) is None


def _get(ev: Any, attr: str) -> Any:
    return ev.get(attr) if isinstance(ev, dict) else getattr(ev, attr, None)


# --- who takes part ----------------------------------------------------------------


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _in(name: str, names: Iterable[str]) -> bool:
    return any(_same(name, n) for n in names)


def everyone(names: list[str], tl: Timeline) -> list[str]:
    """The meeting's participants by seat, then the latecomers in the order they came."""
    return list(names) + [j for j in tl.joined if not _in(j, names)]


def speaking_order(names: list[str], tl: Timeline) -> list[str]:
    """Seating order, or the drawn order when shuffled (latecomers join at the end)."""
    people = everyone(names, tl)
    if tl.order_mode != "shuffle" or not tl.order_names:
        return people
    drawn = [p for n in tl.order_names for p in people if _same(p, n)]
    drawn = list(dict.fromkeys(drawn))
    return drawn + [p for p in people if p not in drawn]


def shuffled(names: list[str], rng: random.Random | None = None) -> list[str]:
    """A fresh drawn order; with three or more people never the seating order itself."""
    rng = rng or random.Random()
    out = list(names)
    for _attempt in range(10):
        rng.shuffle(out)
        if len(out) < 3 or out != list(names):
            break
    return out


def find_participant(names: list[str], tl: Timeline, name: str) -> str:
    """The participant as written in the meeting, or InputError naming who was meant."""
    wanted = " ".join((name or "").split())
    for person in everyone(names, tl):
        if _same(person, wanted):
            return person
    raise InputError(_("'{name}' is not a participant of this meeting").format(name=wanted))


def check_case_bringer(names: list[str], tl: Timeline, name: str) -> str:
    person = find_participant(names, tl, name)
    if _in(person, tl.absent):
        raise InputError(_("{name} is marked absent and cannot bring the case").format(name=person))
    return person


def check_latecomer(names: list[str], tl: Timeline, name: str) -> tuple[str, bool]:
    """(name, back): an absent participant comes back, or a new one joins.

    Refuses an empty or overlong name and someone already in the room.
    """
    wanted = " ".join((name or "").split())
    if not wanted:
        raise InputError(_("Type the latecomer's name."))
    if len(wanted) > 80:
        raise InputError(_("The name '{name}…' is longer than 80 characters.").format(name=wanted[:20]))
    for person in everyone(names, tl):
        if _same(person, wanted):
            if _in(person, tl.absent):
                return person, True
            raise InputError(_("{name} is already taking part.").format(name=person))
    return wanted, False


# --- the round as the room sees it ----------------------------------------------


@dataclass(frozen=True)
class Seat:
    name: str
    # now | next | waiting | done | passed (asked again at the end) | declined
    # (passed twice) | absent | listening (the case-bringer, not in this round)
    state: str
    late: bool = False


@dataclass
class RoundView:
    step: int | None = None
    kind: str = ""  # "round" | "case" | "" (no round in this step)
    seats: list[Seat] = field(default_factory=list)
    speaker: str | None = None
    queue: list[str] = field(default_factory=list)
    speakers: int = 0  # how many share the step's time
    share: float = 0.0  # seconds per speaker
    speaker_left: float | None = None  # the speaker's own countdown (negative: over)
    started: bool = False
    complete: bool = False
    case_bringer: str | None = None
    case_title: str = ""
    consent: bool = False
    silent: str | None = None  # listens | back_turned
    collect: bool = False
    choose_case: bool = False
    loop_to: int | None = None
    loop_title: str = ""
    loops: int = 0
    confidential: bool = False
    on_break: bool = False  # nobody has the floor; the round goes on after

    @property
    def next(self) -> str | None:
        return self.queue[0] if self.queue else None

    @property
    def done(self) -> list[str]:
        return self.seats_named("done")

    def seats_named(self, state: str) -> list[str]:
        return [s.name for s in self.seats if s.state == state]


def round_view(fmt: FormatSteps, names: list[str], tl: Timeline) -> RoundView:
    index = None if tl.closed else tl.current
    step = fmt.step(index)
    view = RoundView(step=index, case_bringer=tl.case_bringer, case_title=tl.case_title, consent=tl.consent,
                     on_break=tl.on_break)
    if index is None or step is None:
        return view
    state = tl.steps[index]
    view.silent = step.silent
    view.collect = step.collect
    view.choose_case = step.choose_case
    view.loop_to = fmt.loop_target(index)
    if view.loop_to is not None:
        view.loop_title = fmt.steps[view.loop_to].title
    view.loops = state.loops
    view.confidential = fmt.is_confidential(index) and not tl.consent
    view.speaker = tl.speaker
    if step.goes_round:
        view.kind = "round"
    elif step.mode == Mode.CASE:
        view.kind = "case"
    if view.kind != "round":
        return view

    left_out = tl.case_bringer if step.leaves_case_bringer_out else None
    order = speaking_order(names, tl)

    def eligible(name: str) -> bool:
        return not _in(name, tl.absent) and not (left_out is not None and _same(name, left_out))

    first = [n for n in order if eligible(n) and n not in state.floor and n not in state.passed and n != tl.speaker]
    again = [n for n in state.passed if eligible(n) and n != tl.speaker]
    view.queue = first + again
    view.speakers = sum(1 for n in order if eligible(n))
    # an even share of the time this pass has (a loop back gives the step its time again)
    view.share = max(0.0, state.planned - state.pass_from) / view.speakers if view.speakers else 0.0
    view.started = bool(state.floor or state.passed or state.declined)
    view.complete = view.started and not view.queue and (tl.speaker is None or not eligible(tl.speaker))
    if tl.speaker is not None and eligible(tl.speaker) and view.speakers:
        view.speaker_left = view.share - tl.speaker_since
    late = set(tl.joined)
    for name in order:
        if _in(name, tl.absent):
            seat = "absent"
        elif name == tl.speaker:
            seat = "now"
        elif left_out is not None and _same(name, left_out):
            seat = "listening"
        elif name in state.declined:
            seat = "declined"
        elif name in state.passed:
            seat = "passed"
        elif name in state.floor:
            seat = "done"
        elif name == view.next:
            seat = "next"
        else:
            seat = "waiting"
        view.seats.append(Seat(name, seat, late=name in late and not _in(name, names)))
    return view


# --- speaking time -----------------------------------------------------------------


@dataclass(frozen=True)
class SpeakingFigure:
    name: str
    seconds: float
    turns: int
    share: float  # of all speaking time, 0..1


def speaking_figures(names: list[str], tl: Timeline) -> list[SpeakingFigure]:
    """Everyone present (and anyone who had a turn), most speaking time first."""
    people = [p for p in everyone(names, tl) if not _in(p, tl.absent)]
    # and anyone who had a turn; someone called while not in the room had none
    people += [n for n, sp in tl.speaking.items() if n not in people and (sp.turns or not _in(n, tl.absent))]
    total = sum(sp.seconds for sp in tl.speaking.values())
    out = []
    for name in people:
        sp = tl.speaking.get(name)
        seconds, turns = (sp.seconds, sp.turns) if sp else (0.0, 0)
        out.append(SpeakingFigure(name, seconds, turns, seconds / total if total else 0.0))
    return sorted(out, key=lambda f: (-round(f.seconds), -f.turns, f.name))


def evenness(seconds: list[float]) -> float | None:
    """How evenly speaking time was spread: 1 when everyone spoke equally long, 0 when one
    person did all the talking (one minus the normalised Gini coefficient).
    None with fewer than two people or no speaking time at all."""
    n = len(seconds)
    total = sum(seconds)
    if n < 2 or total <= 0:
        return None
    diffs = sum(abs(a - b) for a in seconds for b in seconds)
    gini = diffs / (2 * n * total)  # 0 .. (n-1)/n
    return max(0.0, min(1.0, 1 - gini * n / (n - 1)))


# --- the report's part ---------------------------------------------------------------

CASE_BRINGER_ROLE = "inbrenger"


def report_rounds(participants: list[tuple[str, list[str]]], tl: Timeline, *,
                  include_confidential: bool = False) -> dict[str, Any]:
    """What the JSON report says about people: roles (the case-bringer's included),
    who was absent or came late, and speaking time per participant.

    The case in a few words is the case-bringer's: it is left out, like confidential
    notes, unless asked for or the case-bringer agreed to share.
    """
    names = [name for name, _roles in participants]
    roles = {name: list(r) for name, r in participants}
    people = everyone(names, tl)
    out_people = []
    for name in people:
        own = roles.get(name, [])
        if tl.case_bringer is not None and _same(name, tl.case_bringer) and CASE_BRINGER_ROLE not in own:
            own = own + [CASE_BRINGER_ROLE]
        out_people.append({"name": name, "roles": own, "absent": _in(name, tl.absent),
                           "late": _in(name, tl.joined)})
    figures = speaking_figures(names, tl)
    spread = evenness([f.seconds for f in figures])
    return {
        "case_bringer": tl.case_bringer,
        "case": (tl.case_title or None) if (include_confidential or tl.consent) else None,
        "participants": out_people,
        # who had the floor, most first; the evenness also counts those present who never did
        "speaking": [
            {"participant": f.name, "seconds": round(f.seconds), "turns": f.turns}
            for f in figures
            if f.turns or round(f.seconds)
        ],
        "speaking_evenness": None if spread is None else round(spread, 3),
    }
