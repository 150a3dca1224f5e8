"""Intervision rounds: speaking order, turns, passes, the case-bringer.

Derived from the event log like everything live (see timeline.py).
"""

from __future__ import annotations

from typing import Any, Iterable


def confidential_default(format_data: dict[str, Any], events: Iterable[Any], step_index: int | None) -> bool:
    """Whether a note begun in this step starts confidential.

    Intervision steps are confidential unless the case-bringer agreed otherwise.
    """
    steps = format_data.get("steps", [])
    if step_index is None or not 0 <= step_index < len(steps):
        return False
    own = steps[step_index].get("confidential")
    return bool(format_data.get("confidential", False) if own is None else own)
