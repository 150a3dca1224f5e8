"""Evaluation forms (evaluatieformulieren): YAML files like work formats.

A form has a `name`, a `title`, its `source` and a list of `questions`. Each
question has an `id` (the key its answers are stored under), a `text` and a
`type`:

  roti    return on time invested: 0 to 4, a label per value (`labels`)
  scale   whole numbers from `min` to `max` (0 <= min < max <= 10), the ends
          labelled by `low` and `high` (and, if wanted, any value in `labels`)
  open    free text
  choice  one of `choices` (2 to 9, picked with the digits 1-9)

`case_bringer_only: true` shows a question only to the case-bringer. `en:` gives a
question's (or the form's) English: its text, low, high and labels (see README).

Forms are read with the work formats' safe YAML machinery, so a broken file is
reported as `file:line: field: reason`. Built-in forms live in `forms/`; a
user's own forms in `$KRING_CONFIG_DIR/formulieren` override built-ins with the
same name. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StrictInt

from kring.data.errors import InputError
from kring.data.core.textgate import clean_block
from kring.workformats.loader import (
    FormatError,
    field_name,
    line_of,
    load_folders,
    load_model,
    parse_yaml,
    user_dir,
    validate,
)
from kring.data.core.language import in_language
from kring.data.i18n import _, current
from kring.workformats.schema import FormatText

BUILTIN_FORMS_DIR = Path(__file__).with_name("forms")
DEFAULT_FORM = "standaard"
OPEN_MAX_CHARS = 2000
MAX_CHOICES = 9  # picked with one digit

# Used when a ROTI question names no labels of its own (form content is Dutch).
ROTI_LABELS = {
    0: "Verspilde tijd",
    1: "Weinig opgeleverd",
    2: "Quitte: ik kreeg terug wat ik erin stopte",
    3: "Goed besteed: meer gekregen dan gegeven",
    4: "Uitstekend: veel meer gekregen dan ik erin stopte",
}
ROTI_LABELS_EN = {
    0: "Wasted time",
    1: "Little came of it",
    2: "Break-even: I got back what I put in",
    3: "Well spent: got more than I gave",
    4: "Excellent: got much more than I put in",
}


class QuestionType(str, Enum):
    roti = "roti"
    scale = "scale"
    open = "open"
    choice = "choice"


class QuestionText(BaseModel):
    """A question's texts in another language (`en:`); what is left out stays as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Optional[str] = Field(default=None, min_length=1, max_length=300)
    low: Optional[str] = Field(default=None, max_length=60)
    high: Optional[str] = Field(default=None, max_length=60)
    labels: Optional[dict[int, str]] = None


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    text: str = Field(min_length=1, max_length=300)
    type: QuestionType
    min: Optional[StrictInt] = None
    max: Optional[StrictInt] = None
    low: str = Field(default="", max_length=60)  # label of the lowest value (scale)
    high: str = Field(default="", max_length=60)  # label of the highest value (scale)
    labels: dict[int, str] = {}  # a label per value (roti: 0-4)
    choices: list[str] = []
    case_bringer_only: bool = False
    en: Optional[QuestionText] = None  # the English, shown under --lang en (kring.data.core.language)

    @property
    def numeric(self) -> bool:
        return self.type in (QuestionType.roti, QuestionType.scale)

    @property
    def lowest(self) -> int:
        return 0 if self.type is QuestionType.roti else int(self.min or 0)

    @property
    def highest(self) -> int:
        return 4 if self.type is QuestionType.roti else int(self.max or 0)

    @property
    def values(self) -> list[int]:
        return list(range(self.lowest, self.highest + 1)) if self.numeric else []

    def value_labels(self) -> dict[int, str]:
        """Every labelled value: ROTI's five, or a scale's ends and any extra labels."""
        if self.type is QuestionType.roti:
            default = ROTI_LABELS_EN if current() == "en" else ROTI_LABELS
            return {v: self.labels.get(v, default[v]) for v in self.values}
        if self.type is QuestionType.scale:
            out = dict(sorted(self.labels.items()))
            if self.low:
                out.setdefault(self.lowest, self.low)
            if self.high:
                out.setdefault(self.highest, self.high)
            return dict(sorted(out.items()))
        return {}

    def problem(self) -> tuple[str, str] | None:
        """(field, reason) for the first thing that does not fit the type, or None."""
        t = self.type
        if t is QuestionType.roti:
            if self.min not in (None, 0):
                return "min", _("a ROTI question always runs from 0 to 4, got {min}").format(min=self.min)
            if self.max not in (None, 4):
                return "max", _("a ROTI question always runs from 0 to 4, got {max}").format(max=self.max)
            if self.low or self.high:
                return ("low" if self.low else "high"), "ROTI labels every value: use labels (0 to 4)"
        if t is QuestionType.scale:
            if self.min is None:
                return "min", "a scale needs its lowest value (min)"
            if self.max is None:
                return "max", "a scale needs its highest value (max)"
            if not 0 <= self.min <= 9:
                return "min", _("must be from 0 to 9, got {min}").format(min=self.min)
            if not self.min < self.max <= 10:
                return "max", _("must be more than min ({min}) and at most 10, got {max}").format(min=self.min, max=self.max)
        if t in (QuestionType.open, QuestionType.choice):
            for name in ("min", "max"):
                if getattr(self, name) is not None:
                    return name, _("only for roti and scale questions, not {value}").format(value=t.value)
            for name in ("low", "high", "labels"):
                if getattr(self, name):
                    return name, _("only for roti and scale questions, not {value}").format(value=t.value)
        if t is QuestionType.choice:
            if len(self.choices) < 2:
                return "choices", "a choice question needs at least 2 choices"
            if len(self.choices) > MAX_CHOICES:
                return "choices", _("at most {max_choices} choices (one digit each), got {count}").format(
                    max_choices=MAX_CHOICES, count=len(self.choices))
            seen: set[str] = set()
            for c in self.choices:
                if not c.strip():
                    return "choices", "a choice must not be empty"
                if c.strip().casefold() in seen:
                    return "choices", _("'{choice}' is listed twice").format(choice=c)
                seen.add(c.strip().casefold())
        elif self.choices:
            return "choices", _("only for choice questions, not {value}").format(value=t.value)
        for value in self.labels:
            if self.numeric and not self.lowest <= value <= self.highest:
                return "labels", _("value {value} is outside {lowest}-{highest}").format(value=value, lowest=self.lowest, highest=self.highest)
        return None

    def check(self, value: Any) -> int | str | None:
        """The answer as stored, None for no answer; ValueError (one line) if it does not fit."""
        if value is None:
            return None
        if self.numeric:
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                    value = int(value.strip())
                elif isinstance(value, str) and not value.strip():
                    return None
                else:
                    raise ValueError(_("must be a whole number from {lowest} to {highest}, got {value!r}").format(lowest=self.lowest, highest=self.highest, value=value))
            if not self.lowest <= value <= self.highest:
                raise ValueError(_("must be from {lowest} to {highest}, got {value}").format(lowest=self.lowest, highest=self.highest, value=value))
            return value
        if not isinstance(value, str):
            raise ValueError(_("must be text, got {value!r}").format(value=value))
        text = clean_block(value).strip()  # the text gate: no escape sequences, NFC
        if not text:
            return None
        if self.type is QuestionType.choice:
            for c in self.choices:
                if c.strip().casefold() == text.casefold():
                    return c
            raise ValueError(_("must be one of {choices}, got {text!r}").format(choices=', '.join(self.choices), text=text))
        if len(text) > OPEN_MAX_CHARS:
            raise ValueError(_("is longer than {open_max_chars} characters").format(open_max_chars=OPEN_MAX_CHARS))
        return text


class EvaluationForm(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80, pattern=r"^[\w.-]+$")
    title: str = Field(min_length=1, max_length=200)
    description: str = ""
    source: str = Field(min_length=1)  # where the questions come from
    questions: list[Question] = Field(min_length=1, max_length=40)
    en: Optional[FormatText] = None  # a title and description, as a work format's
    _written: Optional[EvaluationForm] = PrivateAttr(default=None)

    def shown(self) -> EvaluationForm:
        """This form with the texts of the interface's language, to show; `written()`
        gives back the form itself (with every language), which a meeting stores."""
        data = self.model_dump(mode="json")
        texts = in_language(data)
        if texts is data:
            return self
        form = EvaluationForm.model_validate(texts)
        form._written = self.written()
        return form

    def written(self) -> EvaluationForm:
        return self._written or self

    def question(self, qid: str) -> Question | None:
        for q in self.questions:
            if q.id == qid:
                return q
        return None

    def problem(self) -> tuple[tuple[Any, ...], str] | None:
        """(location, reason) of the first inconsistency pydantic cannot see."""
        seen: dict[str, int] = {}
        for i, q in enumerate(self.questions):
            if q.id in seen:
                return ("questions", i, "id"), _("'{id}' is already the id of question {seen}").format(id=q.id, seen=seen[q.id] + 1)
            seen[q.id] = i
            found = q.problem()
            if found:
                return ("questions", i, found[0]), found[1]
        return None


# --- loading ---------------------------------------------------------------------


def forms_dir() -> Path:
    """The user's own forms: beside their own work formats, in `formulieren`."""
    return user_dir().parent / "formulieren"


def _check(form: EvaluationForm, node: yaml.Node | None, file: str) -> None:
    found = form.problem()
    if found:
        loc, why = found
        raise FormatError(file, why, line_of(node, loc), field_name(loc))


def load_form(path: str | Path) -> EvaluationForm:
    path = Path(path)
    return load_model(EvaluationForm, path, lambda form, node: _check(form, node, str(path)))


def form_from_text(text: str, file: str = "<form>") -> EvaluationForm:
    data, node = parse_yaml(text.encode("utf-8"), file)
    form = validate(EvaluationForm, data, node, file)
    _check(form, node, file)
    return form


def form_from_data(data: dict[str, Any]) -> EvaluationForm:
    """A form stored as plain data (a meeting's copy) back into the model."""
    form = EvaluationForm.model_validate(data)
    found = form.problem()
    if found:
        raise InputError(_("stored form '{name}': {field}: {reason}").format(
            name=form.name, field=field_name(found[0]), reason=found[1]))
    return form


def looks_like_form(path: str | Path) -> bool:
    """Whether a YAML file is meant as a form (it has questions, not steps)."""
    try:
        data = yaml.safe_load(Path(path).read_bytes()[:512 * 1024])
    except Exception:  # noqa: BLE001 - the real loader reports what is wrong
        return False
    return isinstance(data, dict) and "questions" in data and "steps" not in data


@dataclass
class FormCatalog:
    forms: dict[str, EvaluationForm]
    origins: dict[str, str]  # name -> "builtin" | file path
    broken: list[FormatError]


def form_catalog() -> FormCatalog:
    return FormCatalog(*load_folders([(BUILTIN_FORMS_DIR, "builtin"), (forms_dir(), None)], load_form))


def find_form(name_or_file: str | None) -> EvaluationForm:
    """A form by name (the user's first, then built-in) or from a YAML file path."""
    import os

    name_or_file = name_or_file or DEFAULT_FORM
    path = Path(name_or_file).expanduser()
    if name_or_file.endswith((".yaml", ".yml")) or os.sep in name_or_file:
        return load_form(path)
    cat = form_catalog()
    from kring.workformats.loader import broken_override

    err = broken_override(name_or_file, cat.origins, cat.broken)
    if err is not None:
        raise err
    if name_or_file in cat.forms:
        return cat.forms[name_or_file]
    for err in cat.broken:
        if Path(err.file).stem == name_or_file:
            raise err
    known = ", ".join(sorted(cat.forms)) or "none"
    raise InputError(_("unknown evaluation form '{name_or_file}' (known: {known})").format(name_or_file=name_or_file, known=known))


def find_form_kept(name_or_file: str | None) -> EvaluationForm:
    """`find_form`, keeping what the form's file validated to for the next start's first
    paint (kring.workformats.quick), as `kring run` keeps its work format."""
    from kring.workformats.quick import FORMS, remember

    name_or_file = name_or_file or DEFAULT_FORM
    return remember(name_or_file, lambda: find_form(name_or_file), FORMS)
