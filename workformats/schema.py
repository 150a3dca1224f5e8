"""What a work format (werkvorm) is: validated with pydantic, no Textual here.

A meeting runs on its own copy of the format as typed steps
(`kring.data.core.steps.FormatSteps`); this model checks the YAML.
"""

from __future__ import annotations

from typing import Annotated, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

from kring.data.core.steps import (  # shared with the typed steps a meeting runs on
    Mode,
    Silent,
)
from kring.data.core.language import in_language
from kring.data.i18n import _

Minutes = Annotated[StrictInt | StrictFloat, Field(gt=0, le=600)]


class StepText(BaseModel):
    """A step's texts in another language (`en:`); what is left out stays as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Optional[str] = Field(default=None, min_length=1, max_length=200)
    instructions: Optional[str] = None
    prompts: Optional[list[str]] = None


class FormatText(BaseModel):
    """A format's (or an evaluation form's) title and description in another language (`en:`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Optional[str] = Field(default=None, min_length=1, max_length=200)
    description: Optional[str] = None


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1, max_length=200)
    minutes: Minutes
    mode: Mode
    id: Optional[str] = Field(default=None, min_length=1, max_length=60)
    instructions: str = ""
    prompts: list[str] = []  # hints for the note-taker
    # Intervision details (all optional):
    silent: Optional[Silent] = None  # the case-bringer only listens in this step
    choose_case: bool = False  # the group picks the case (and so the case-bringer) here
    collect: bool = False  # one entry per participant for the case-bringer
    confidential: Optional[bool] = None  # None: the format's default
    loop_to: Optional[str] = None  # id or title of an earlier step the group may go back to
    then: Optional[Mode] = None  # e.g. a round whose answers go to the case-bringer
    # the notes of this step are advice for the case-bringer: the report collects
    # them under "Advice for <case-bringer>" (kring.data.report.advice)
    advice: bool = False
    # an evaluation question (its id) whose answers in the network's earlier meetings are
    # shown at this step: the previous meeting's, or every earlier one's (kring.data.recall)
    brings_back: Optional[str] = Field(default=None, min_length=1, max_length=60)
    brings_back_all: bool = False
    # A work format that runs inside this step as a sub-agenda (its steps scaled to
    # this step's minutes), or `choose`: the moderator picks an intervision format there.
    workformat: Optional[str] = Field(default=None, min_length=1, max_length=80, pattern=r"^[\w.-]+$")
    en: Optional[StepText] = None  # the English, shown under --lang en (kring.data.core.language)

    @property
    def seconds(self) -> int:
        return round(self.minutes * 60)


class WorkFormat(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80, pattern=r"^[\w.-]+$")
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    source: str = Field(min_length=1)  # where the steps and minutes come from
    category: str = "meeting"  # meeting | intervision | round | network
    confidential: bool = False  # default for its steps (intervision: True)
    steps: list[Step] = Field(min_length=1, max_length=100)
    en: Optional[FormatText] = None

    def shown(self) -> WorkFormat:
        """This format with the texts of the interface's language (for lists and previews;
        a meeting stores the format itself, with every language)."""
        data = self.model_dump(mode="json")
        texts = in_language(data)
        return self if texts is data else WorkFormat.model_validate(texts)

    def loop_problem(self) -> tuple[int, str] | None:
        """The first step whose loop_to points nowhere or forward, with the reason."""
        for i, step in enumerate(self.steps):
            if step.loop_to is None:
                continue
            target = self.loop_target(i)
            if target is None:
                return i, _("'{loop_to}' names no step of this format").format(loop_to=step.loop_to)
            if target >= i:
                return i, _("'{loop_to}' must name an earlier step").format(loop_to=step.loop_to)
        return None

    @property
    def total_seconds(self) -> int:
        return sum(s.seconds for s in self.steps)

    def step_confidential(self, index: int) -> bool:
        own = self.steps[index].confidential
        return self.confidential if own is None else own

    def loop_target(self, index: int) -> int | None:
        name = self.steps[index].loop_to
        if name is None:
            return None
        for i, step in enumerate(self.steps):
            if name in (step.id, step.title):
                return i
        return None
