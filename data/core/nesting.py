"""Which sub-agendas a meeting's event log holds: one reading for the timeline and the steps.

A step may run a work format inside it (a `subagenda {step, format}` event,
format: the chosen format's own copy with its minutes scaled to the step's
time). Its steps follow the meeting's own steps in the lists kring keeps, in
the order they were chosen, so no index a note or an event already holds ever
moves. Nesting is one level deep: a sub-agenda's steps never hold one, and a
step holds at most one (a second choice for it is ignored).

Pure: plain events in, plain data out; no Textual, no store.
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple

from kring.data.core.events import EventKind


class Nested(NamedTuple):
    """A sub-agenda the log started (a named tuple: made at every start's first frame,
    a frozen dataclass writes and compiles its methods as it is defined)."""

    parent: int  # the index of the step it runs in
    format: dict[str, Any]  # name, title, confidential, steps (each as a format's YAML step)

    @property
    def steps(self) -> list[dict[str, Any]]:
        return [s for s in self.format.get("steps") or [] if isinstance(s, dict)]


def _get(ev: Any, attr: str) -> Any:
    return ev.get(attr) if isinstance(ev, dict) else getattr(ev, attr, None)


def nested_of(event: Any, top: int, taken: set[int]) -> Nested | None:
    """The sub-agenda an event starts, or None: not one, a step outside the meeting's
    own `top` steps, a step that holds one already (`taken`), or no steps in it."""
    if _get(event, "kind") != EventKind.SUBAGENDA:
        return None
    data = _get(event, "data") or {}
    try:
        parent = int(data.get("step"))
    except (TypeError, ValueError):
        return None
    fmt = data.get("format")
    if not 0 <= parent < top or parent in taken or not isinstance(fmt, dict):
        return None
    found = Nested(parent, fmt)
    return found if found.steps else None


def nested_in(events: Iterable[Any], top: int) -> list[Nested]:
    """Every sub-agenda the log starts, in the order chosen."""
    out: list[Nested] = []
    taken: set[int] = set()
    for ev in events:
        found = nested_of(ev, top, taken)
        if found is not None:
            taken.add(found.parent)
            out.append(found)
    return out
