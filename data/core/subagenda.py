"""A work format run inside a step: its steps scaled to the step's time, and the event that starts it.

The standard meeting's "Intervisie met een werkvorm" gives 45 minutes; the
incidentmethode plans 71. Its steps keep their proportions and are scaled to
fit the time the parent step has left when the sub-agenda starts, in whole
minutes (at least one each, as a loop back spreads its minutes:
kring.data.core.loops). A shorter format keeps its own length (troika
consulting's 12 minutes are not stretched to 45); the rest stays the step's.
The scaled copy goes into the `subagenda` event, so the log says what was
planned and a restart derives the same (kring.data.core.timeline).
"""

from __future__ import annotations

from typing import Any

from kring.data.core.steps import FormatSteps
from kring.data.core.timeline import StepState, Timeline
from kring.data.i18n import _

# what a sub-agenda keeps of its format (the rest, such as its description, stays out of the log)
KEPT = ("name", "title", "confidential", "category", "en")
STEP_KEPT = ("title", "id", "mode", "instructions", "prompts", "silent", "choose_case", "collect",
             "confidential", "loop_to", "then", "advice", "en")


def budget_minutes(tl: Timeline, parent: int) -> int:
    """The whole minutes the parent step has left (at least one): what the sub-agenda gets."""
    return max(1, round(tl.steps[parent].remaining / 60))


def fitted(planned_minutes: int, budget: int) -> int:
    """The minutes a format of `planned_minutes` gets in a step with `budget` left: never more than it plans."""
    return max(1, min(planned_minutes, budget))


def scaled(format_data: dict[str, Any], minutes: int) -> dict[str, Any]:
    """The format's own copy for a sub-agenda: its steps' minutes scaled to fit `minutes`
    (whole minutes, at least one a step; a shorter format keeps its own length), without
    steps that would nest a further level."""
    from kring.data.core.loops import spread  # a sub-agenda is made now and then; the first frame needs none

    steps = [s for s in format_data.get("steps") or [] if isinstance(s, dict)]
    weights = [max(1, round(float(s.get("minutes") or 0) * 60)) for s in steps]
    out = {k: format_data[k] for k in KEPT if k in format_data}
    out["planned_minutes"] = round(sum(weights) / 60)  # what the format itself plans, for the record
    out["steps"] = [{**{k: s[k] for k in STEP_KEPT if k in s}, "minutes": m}
                    for s, m in zip(steps, spread(weights, fitted(out["planned_minutes"], minutes)))]
    return out


def start_data(tl: Timeline, parent: int, format_data: dict[str, Any]) -> dict[str, Any]:
    """The `subagenda` event's data: the format runs in `parent`, within the time it has left."""
    return {"step": parent, "format": scaled(format_data, budget_minutes(tl, parent))}


def heading(tl: Timeline, fmt: FormatSteps, step: StepState) -> str:
    """`Step 4 of 5: title`, or inside a sub-agenda `Step 4.2 (2 of 10, Incidentmethode): title`."""
    if step.parent is None:
        return _("Step {n} of {total}: {title}").format(n=step.number, total=len(tl.top), title=step.title)
    siblings = tl.children(step.parent)
    return _("Step {number} ({n} of {total}, {workformat}): {title}").format(
        number=step.number, n=siblings.index(step) + 1, total=len(siblings),
        workformat=fmt.subagenda_title(step.parent), title=step.title)
