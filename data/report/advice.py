"""The case-bringer's advice: the notes of a work format's advice steps
(`advice: true` in its YAML), collected for the one who brought the case.

The report gives them a heading of their own ("Advies voor Fatima"), so the
case-bringer finds what the group advised in one place, also in a mailed
report; they stay in the notes per step as well. A note belongs to whoever was
the case-bringer when it was begun (a meeting may have had more than one
case). Confidentiality is the report's: only notes the report shows are
collected; where an advice step's notes stayed in the room the group says so.

Shape (`report["advice"]`, one entry per case-bringer, in the order of their cases):

    {"case_bringer": str | None,   # None: nobody was recorded as case-bringer
     "steps": [str],               # the advice steps' titles
     "notes": [{"text", "kind", "speaker", "step", "item", "at"}],
     "withheld": bool}             # confidential advice left out (no consent)
"""

from __future__ import annotations

from typing import Any, Sequence

from kring.data.core.consent import ConsentRule
from kring.data.core.steps import FormatSteps


def advice_steps(fmt: FormatSteps) -> list[int]:
    """The indexes of the format's advice steps."""
    return [i for i, step in enumerate(fmt.steps) if step.advice]


def collect_advice(fmt: FormatSteps, rule: ConsentRule, notes: Sequence[dict[str, Any]],
                   agenda: Sequence[dict[str, Any]], *, include_confidential: bool) -> list[dict[str, Any]]:
    """The report's advice section from its shown notes and agenda (see the module docstring)."""
    steps = advice_steps(fmt)
    if not steps:
        return []
    titles = [fmt.steps[i].title for i in steps]
    groups: dict[str | None, dict[str, Any]] = {}

    def group(name: str | None) -> dict[str, Any]:
        return groups.setdefault(name, {"case_bringer": name, "steps": titles, "notes": [], "withheld": False})

    for n in notes:
        if n.get("step") in steps:
            group(rule.case_bringer_at(n.get("at")))["notes"].append(
                {k: n.get(k) for k in ("text", "kind", "speaker", "step", "item", "at")})
    # an advice step that ran with its notes kept in the room: say so, for each case of the meeting
    names: list[str | None] = list(dict.fromkeys(p for p, _since in rule.periods if p)) or [None]
    ran = {st["index"] for st in agenda if st.get("visits") or st.get("actual_seconds")}
    kept_in = any(i in ran and fmt.is_confidential(i) for i in steps)
    if kept_in and not include_confidential:
        for name in names:
            if rule.agreed(name) is None:
                group(name)["withheld"] = True
    order = {name: i for i, name in enumerate(names)}
    return sorted(groups.values(), key=lambda g: order.get(g["case_bringer"], len(order)))
