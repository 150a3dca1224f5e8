"""A loop back (the vijfstappenmethode's `r`): how much time the repeated steps get.

Going back does not give the steps their whole planned time again, which would
push the meeting's end out by that much: the moderator chooses a share of the time
the meeting has left until its planned end, and it is spread over the repeated
steps in proportion to their planned time, in whole minutes (at least one each).
The minutes chosen are written into the `goto` event, so the log says what was
decided and `kring.data.core.timeline.derive` gives the same time after a restart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kring.data.core.timeline import Timeline

SHARES = (0.25, 1 / 3, 0.5, 0.75)
DEFAULT_SHARE = 0.5  # half of what is left: the rest stays for the steps after the loop


def time_left(tl: Timeline) -> float:
    """Seconds until the meeting's planned end (none once it runs over); inside a
    sub-agenda, the seconds its parent step has left, which is all it has."""
    live = tl.live
    if live is not None and live.parent is not None:
        return max(0.0, tl.steps[live.parent].remaining)
    return max(0.0, (tl.planned_end - tl.now).total_seconds())


def spread(weights: list[int], minutes: int) -> list[int]:
    """Whole minutes in proportion to `weights`, at least one each, adding up to
    `minutes` (or to one each, if that is more)."""
    if not weights:
        return []
    minutes = max(minutes, len(weights))
    total = sum(max(1, w) for w in weights)
    exact = [minutes * max(1, w) / total for w in weights]
    out = [max(1, math.floor(x)) for x in exact]
    # largest remainders first, until the minutes are all given
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - math.floor(exact[i])), i))
    short = minutes - sum(out)
    for i in order[:max(0, short)]:
        out[i] += 1
    return out


@dataclass(frozen=True)
class LoopChoice:
    share: float
    minutes: list[int]  # per repeated step, from the loop's target on

    @property
    def total(self) -> int:
        return sum(self.minutes)


def loop_choices(tl: Timeline, target: int, until: int) -> list[LoopChoice]:
    """What each share of the time left would give the steps target..until."""
    weights = [s.base_seconds for s in tl.steps[target:until + 1]]
    left_minutes = time_left(tl) / 60
    return [LoopChoice(share, spread(weights, math.floor(left_minutes * share))) for share in SHARES]
