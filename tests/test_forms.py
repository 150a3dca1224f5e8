"""Evaluation forms: the built-in default, user forms, and broken files named by file:line: field."""

from __future__ import annotations

import textwrap

import pytest

from kring.data.errors import InputError
from kring.workformats.forms import (
    EvaluationForm,
    FormatError,
    QuestionType,
    find_form,
    form_catalog,
    form_from_data,
    forms_dir,
    load_form,
)

HEAD = "name: kort\ntitle: Kort\nsource: eigen\nquestions:\n"


def write(tmp_path, text: str, name: str = "kort.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def broken(tmp_path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(FormatError) as info:
        load_form(path)
    return str(info.value).replace(str(path), "F")


def test_default_form_follows_methods():
    form = find_form("standaard")
    ids = [q.id for q in form.questions]
    assert ids == ["roti", "relevance", "safety", "goals", "method", "top", "tip", "tomorrow",
                   "advice_useful", "action_chosen"]
    roti = form.question("roti")
    assert roti.type is QuestionType.roti and roti.values == [0, 1, 2, 3, 4]
    assert set(roti.value_labels()) == {0, 1, 2, 3, 4}
    assert form.question("relevance").values == [1, 2, 3, 4, 5]
    safety = form.question("safety")
    assert safety.values == list(range(11)) and safety.value_labels()[0] and safety.value_labels()[10]
    assert [q.id for q in form.questions if q.case_bringer_only] == ["advice_useful", "action_chosen"]
    assert form.source.strip()


def test_stored_copy_round_trips():
    form = find_form("standaard")
    assert form_from_data(form.model_dump(mode="json")) == form


def test_good_form_with_every_type(tmp_path):
    path = write(tmp_path, HEAD + textwrap.dedent("""\
      - id: roti
        type: roti
        text: Waard?
      - id: energie
        type: scale
        text: Energie
        min: 1
        max: 5
        low: laag
        high: hoog
        labels: {3: gewoon}
      - id: vorm
        type: choice
        text: Volgende keer
        choices: [Incidentmethode, Roddelmethode, Balint]
      - id: idee
        type: open
        text: Idee
        case_bringer_only: true
    """))
    form = load_form(path)
    assert [q.type.value for q in form.questions] == ["roti", "scale", "choice", "open"]
    assert form.question("energie").value_labels() == {1: "laag", 3: "gewoon", 5: "hoog"}
    assert form.question("roti").value_labels()[4]  # ROTI labels fall back to the defaults
    assert form.question("idee").case_bringer_only


@pytest.mark.parametrize(
    "body, expected",
    [
        ("  - id: a\n    text: Q\n    type: stars\n",
         "F:7: questions[1].type: must be one of 'roti', 'scale', 'open' or 'choice', got 'stars'"),
        ("  - id: a\n    text: Q\n    type: scale\n    min: 1\n",
         "F:5: questions[1].max: a scale needs its highest value (max)"),
        ("  - id: a\n    text: Q\n    type: scale\n    min: 1\n    max: 12\n",
         "F:9: questions[1].max: must be more than min (1) and at most 10, got 12"),
        ("  - id: a\n    text: Q\n    type: roti\n    max: 5\n",
         "F:8: questions[1].max: a ROTI question always runs from 0 to 4, got 5"),
        ("  - id: a\n    text: Q\n    type: open\n  - id: a\n    text: R\n    type: open\n",
         "F:8: questions[2].id: 'a' is already the id of question 1"),
        ("  - id: a\n    text: Q\n    type: choice\n    choices: [ja]\n",
         "F:8: questions[1].choices: a choice question needs at least 2 choices"),
        ("  - id: a\n    text: Q\n    type: open\n    min: 1\n",
         "F:8: questions[1].min: only for roti and scale questions, not open"),
        ("  - id: a\n    text: Q\n    type: scale\n    min: 1\n    max: 5\n    labels: {7: te hoog}\n",
         "F:10: questions[1].labels: value 7 is outside 1-5"),
        ("  - id: a\n    text: Q\n    type: open\n    kleur: rood\n",
         "F:8: questions[1].kleur: unknown field"),
        ("  - id: a\n    type: open\n", "F:5: questions[1].text: is required"),
        ("  - id: a\n    text: Q\n    type: scale\n    min: een\n    max: 5\n",
         "F:8: questions[1].min: must be a number, got 'een'"),
    ],
)
def test_broken_forms_name_file_line_and_field(tmp_path, body, expected, english):
    assert broken(tmp_path, HEAD + body) == expected


def test_broken_yaml_and_empty_file(tmp_path, english):
    assert broken(tmp_path, HEAD + "  - id: a\n    text: [Q\n") == "F:6: a '[' opened on this line is never closed (or a ',' is missing)"
    assert broken(tmp_path, "") == "F:1: the file is empty"
    assert broken(tmp_path, HEAD + "  - &x {id: a, text: Q, type: open}\n  - *x\n").startswith(
        "F:6: YAML aliases")
    assert broken(tmp_path, "name: kort\ntitle: Kort\nsource: eigen\nquestions: []\n") == (
        "F:4: questions: must not be empty")


def test_user_forms_override_builtins_and_broken_ones_are_named(tmp_path, english):
    folder = forms_dir()
    folder.mkdir(parents=True)
    (folder / "standaard.yaml").write_text(
        "name: standaard\ntitle: Eigen\nsource: wij\nquestions:\n  - {id: roti, text: 'Waard?', type: roti}\n",
        encoding="utf-8")
    (folder / "kapot.yaml").write_text(HEAD.replace("kort", "kapot") + "  - {id: a, text: Q, type: sterren}\n",
                                       encoding="utf-8")
    cat = form_catalog()
    assert cat.forms["standaard"].title == "Eigen" and cat.origins["standaard"].endswith("standaard.yaml")
    assert [str(e).split(": ", 1)[1] for e in cat.broken] == [
        "questions[1].type: must be one of 'roti', 'scale', 'open' or 'choice', got 'sterren'"]
    with pytest.raises(FormatError, match=r"kapot.yaml:5: questions\[1\].type"):
        find_form("kapot")
    with pytest.raises(InputError, match="unknown evaluation form 'nergens' \\(known: standaard\\)"):
        find_form("nergens")


def test_answers_are_checked_by_type():
    form = find_form("standaard")
    assert form.question("relevance").check(5) == 5
    assert form.question("relevance").check("4") == 4
    assert form.question("relevance").check(None) is None
    for bad in (0, 6, True, 2.5, "veel"):
        with pytest.raises(ValueError):
            form.question("relevance").check(bad)
    assert form.question("top").check("  fijn  ") == "fijn"
    assert form.question("top").check("   ") is None
    with pytest.raises(ValueError):
        form.question("top").check("x" * 2001)
    choice = EvaluationForm.model_validate({
        "name": "c", "title": "C", "source": "s",
        "questions": [{"id": "c", "text": "C", "type": "choice", "choices": ["Ja", "Nee"]}]}).question("c")
    assert choice.check("nee") == "Nee"
    with pytest.raises(ValueError):
        choice.check("misschien")
