"""A work format's steps as typed values, for everything that runs a meeting.

A meeting keeps its own copy of its work format as stored JSON (`format_data`:
a format changed later never changes a meeting held with it). FormatSteps
reads that copy once into typed steps, so code asks `step.mode` rather than
`step.get("mode")`. The YAML files themselves are validated by the pydantic
model of `kring.workformats.schema` (which shares Mode and Silent); this
module stays free of pydantic, because the moderator's first frame is drawn
from it before anything heavy loads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Iterable, NamedTuple

from kring.data.core.language import in_language
from kring.data.core.nesting import nested_in
from kring.data.core.timeline import PlannedStep

CHOOSE = "choose"  # a step's `workformat` that lets the moderator choose one on the spot


class Mode(StrEnum):
    """Who speaks in a step."""

    CASE = "case"  # the case-bringer speaks
    ROUND = "round"  # each participant in turn
    OPEN = "open"  # free discussion
    SOLO = "solo"  # everyone silently on their own
    FACILITATOR = "facilitator"  # the moderator speaks
    SUBGROUPS = "subgroups"


class Silent(StrEnum):
    """How the case-bringer takes part while the others speak."""

    LISTENS = "listens"  # listens only, does not react
    BACK_TURNED = "back_turned"  # sits with their back turned, takes notes


class FormatStep(NamedTuple):
    """One step, immutable. A named tuple, not a frozen dataclass with slots: the first
    frame reads the steps, and such a dataclass writes and compiles its methods and is
    made twice as it is defined (1 ms of every start)."""

    title: str
    seconds: int
    mode: str = Mode.OPEN  # a Mode's value; kept as stored, so a newer mode reads as itself
    id: str | None = None
    instructions: str = ""
    prompts: tuple[str, ...] = ()  # hints for the note-taker
    silent: str | None = None  # a Silent's value: the case-bringer only listens in this step
    choose_case: bool = False  # the group picks the case (and so the case-bringer) here
    collect: bool = False  # one entry per participant for the case-bringer
    confidential: bool | None = None  # None: the format's default
    loop_to: str | None = None  # id or title of an earlier step the group may go back to
    then: str | None = None  # e.g. a round whose answers go to the case-bringer
    advice: bool = False  # its notes are advice for the case-bringer (the report collects them)
    brings_back: str | None = None  # an evaluation question whose earlier answers are shown here
    brings_back_all: bool = False  # from every earlier meeting of the network, not the previous one only
    workformat: str | None = None  # a work format that runs inside this step, or CHOOSE
    parent: int | None = None  # a sub-agenda's step: the index of the step it runs in

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> FormatStep:
        """One stored step (as the format's YAML wrote it, validated when it was loaded)."""
        confidential = data.get("confidential")
        return cls(
            title=str(data.get("title") or ""),
            seconds=round(float(data["minutes"]) * 60),
            mode=data.get("mode") or Mode.OPEN,
            id=data.get("id"),
            instructions=data.get("instructions") or "",
            prompts=tuple(data.get("prompts") or ()),
            silent=data.get("silent"),
            choose_case=bool(data.get("choose_case")),
            collect=bool(data.get("collect")),
            confidential=None if confidential is None else bool(confidential),
            loop_to=data.get("loop_to"),
            then=data.get("then"),
            advice=bool(data.get("advice")),
            brings_back=data.get("brings_back") or None,
            brings_back_all=bool(data.get("brings_back_all")),
            workformat=data.get("workformat"),
        )

    @property
    def goes_round(self) -> bool:
        """A step that goes round the group: a round, a round after the case-bringer, or a collect step."""
        return self.mode == Mode.ROUND or self.then == Mode.ROUND or self.collect

    @property
    def leaves_case_bringer_out(self) -> bool:
        """Whether the round goes round the others (the case-bringer listens, answers or receives)."""
        return (
            self.then == Mode.CASE
            or self.silent is not None
            or self.collect
            or (self.mode == Mode.CASE and self.then == Mode.ROUND)
        )


@dataclass(frozen=True, slots=True)
class FormatSteps:
    """A meeting's work format as far as running it goes: its steps and its default confidentiality."""

    steps: tuple[FormatStep, ...] = ()
    confidential: bool = False  # the default of steps that do not say
    name: str = ""
    title: str = ""
    nested: tuple[tuple[int, str], ...] = ()  # (parent step, its sub-agenda's format title)

    @classmethod
    def of(cls, format_data: dict[str, Any]) -> FormatSteps:
        """The stored copy's steps, their texts in the interface's language."""
        format_data = in_language(format_data)
        return cls(
            steps=tuple(FormatStep.from_data(s) for s in format_data.get("steps", [])),
            confidential=bool(format_data.get("confidential", False)),
            name=str(format_data.get("name") or ""),
            title=str(format_data.get("title") or ""),
        )

    def __len__(self) -> int:
        return len(self.steps)

    def with_subagendas(self, events: Iterable[Any]) -> FormatSteps:
        """These steps, and after them the steps of each sub-agenda the log started
        (`kring.data.core.nesting`): the same indices the timeline gives them. Their
        confidentiality is their own format's, never the parent's."""
        top = sum(1 for s in self.steps if s.parent is None)
        added: list[FormatStep] = []
        titles: list[tuple[int, str]] = []
        for nested in nested_in(events, top):
            shown = in_language(nested.format)  # its texts in the interface's language, as the meeting's own
            titles.append((nested.parent, str(shown.get("title") or shown.get("name") or "")))
            default = bool(nested.format.get("confidential", False))
            for data in (s for s in shown.get("steps") or [] if isinstance(s, dict)):
                step = FormatStep.from_data({**data, "minutes": _minutes(data.get("minutes"))})
                confidential = default if step.confidential is None else step.confidential
                added.append(step._replace(parent=nested.parent, confidential=confidential, workformat=None))
        return replace(self, steps=self.steps + tuple(added), nested=tuple(titles)) if added else self

    def subagenda_title(self, parent: int) -> str:
        """The title of the work format running in step `parent` ("" if none does)."""
        return next((title for index, title in self.nested if index == parent), "")

    def offers_subagenda(self, index: int | None) -> str | None:
        """The work format a step runs inside it (a name, or CHOOSE), or None."""
        step = self.step(index)
        return step.workformat if step is not None and step.parent is None else None

    def step(self, index: int | None) -> FormatStep | None:
        """The step at `index`, or None outside the format (or for None)."""
        if index is None or not 0 <= index < len(self.steps):
            return None
        return self.steps[index]

    def index_of(self, step_id: str) -> int | None:
        """The first step with this id, or None."""
        return next((i for i, s in enumerate(self.steps) if s.id == step_id), None)

    def is_confidential(self, index: int | None) -> bool:
        """Whether notes in this step are confidential by the format (before any consent)."""
        step = self.step(index)
        if step is None:
            return False
        return self.confidential if step.confidential is None else step.confidential

    def loop_target(self, index: int | None) -> int | None:
        """The earlier step a step's `loop_to` names (by id or title), or None."""
        step = self.step(index)
        if step is None or not step.loop_to or index is None:
            return None
        for i, earlier in enumerate(self.steps[:index]):
            if earlier.parent == step.parent and step.loop_to in (earlier.id, earlier.title):
                return i
        return None

    @property
    def plan(self) -> list[PlannedStep]:
        """What `derive` needs of each of the meeting's own steps: its title, planned seconds
        and mode (the sub-agendas' steps `derive` reads from the log itself)."""
        return [PlannedStep(s.title, s.seconds, s.mode) for s in self.steps if s.parent is None]


def _minutes(value: Any) -> float:
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        return 0.0
    return minutes if 0 <= minutes < 10_000 else 0.0
