"""Whether a meeting had a case-bringer, for the questions of the evaluation form
that only a case-bringer answers (`case_bringer_only`).

- **yes**: someone was recorded as case-bringer (`c` on the agenda, or the
  pre-meeting check): their questions are for them alone;
- **none**: nobody was, and nobody can still be: the work format has no step
  in which a case-bringer takes part, or the meeting went past the last such
  step (or closed) without one. The questions are skipped, and the report
  does not count them as unanswered;
- **unknown**: nobody was recorded yet, but a step for the case-bringer is
  still to come (a form filled in early): the questions are shown to everyone,
  to answer only by whoever brought a case.

Pure: the meeting's format (its stored copy) and events in, the answer out.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Iterable

from kring.data.core.events import EventKind
from kring.data.core.steps import FormatStep, FormatSteps, Mode


class HadCaseBringer(StrEnum):
    YES = "yes"
    NONE = "none"
    UNKNOWN = "unknown"


def has_part(step: FormatStep) -> bool:
    """A step in which a case-bringer takes part: speaks, is chosen, listens, or receives answers or advice."""
    return (step.mode == Mode.CASE or step.then == Mode.CASE or step.choose_case or step.silent is not None
            or step.collect or step.advice)


def had_case_bringer(fmt: FormatSteps | dict[str, Any], events: Iterable[Any], bringers: list[str]
                     ) -> HadCaseBringer:
    """See the module docstring. `bringers`: the names recorded (kring.data.evaluation.case_bringers)."""
    if bringers:
        return HadCaseBringer.YES
    steps = fmt if isinstance(fmt, FormatSteps) else FormatSteps.of(fmt)
    parts = [i for i, step in enumerate(steps.steps) if has_part(step)]
    if not parts:
        return HadCaseBringer.NONE
    reached, closed = _reached(events)
    if closed or (reached is not None and reached > parts[-1]):
        return HadCaseBringer.NONE
    return HadCaseBringer.UNKNOWN


def _reached(events: Iterable[Any]) -> tuple[int | None, bool]:
    """The furthest step the meeting went to, and whether it closed."""
    reached: int | None = None
    closed = False
    for ev in events:
        kind = ev.kind if hasattr(ev, "kind") else ev["kind"]
        data = (ev.data if hasattr(ev, "data") else ev.get("data")) or {}
        if kind == EventKind.START:
            reached = max(reached or 0, 0)
        elif kind == EventKind.GOTO and isinstance(data.get("step"), int):
            reached = max(reached or 0, data["step"])
        elif kind == EventKind.CLOSE:
            closed = True
    return reached, closed
