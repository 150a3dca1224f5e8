"""The built-in intervision formats follow METHODS.md: steps, modes, minutes, silent parties, loops."""

from __future__ import annotations

import pytest

from kring.data.errors import InputError
from kring.workformats.loader import catalog, find, load_file

INTERVISION = ["incidentmethode", "roddelmethode", "balintmethode", "socratisch", "vijfstappenmethode", "troika"]
OTHERS = ["what-so-what-now-what", "1-2-4-all", "inchecken", "uitchecken"]


def shape(name):
    return [(s.mode.value, s.minutes) for s in find(name).steps]


@pytest.mark.parametrize("name", INTERVISION + OTHERS)
def test_each_format_loads_and_names_its_source(name):
    fmt = find(name)
    assert fmt.source.strip() and fmt.description.strip()
    assert fmt.confidential == (name in INTERVISION)
    assert catalog().origins[name] == "builtin"


def test_incidentmethode_follows_the_timed_agenda():
    fmt = find("incidentmethode")
    assert shape("incidentmethode") == [
        ("round", 5), ("round", 10), ("open", 5), ("case", 5), ("round", 15),
        ("round", 8), ("solo", 8), ("case", 5), ("open", 5), ("round", 5),
    ]
    steps = fmt.steps
    assert steps[2].choose_case
    assert steps[4].then.value == "case"  # questions go to the case-bringer
    assert steps[5].silent.value == "listens"  # analysis: the case-bringer only listens
    assert steps[6].collect and steps[6].then.value == "round"  # read out "what I would do"


def test_the_case_bringer_is_silent_where_the_methods_say():
    assert find("roddelmethode").steps[2].silent.value == "back_turned"
    assert find("troika").steps[3].silent.value == "back_turned"
    assert find("balintmethode").steps[6].silent.value == "listens"


def test_other_formats_follow_methods():
    assert shape("roddelmethode") == [("case", 5), ("round", 15), ("open", 15), ("case", 15), ("open", 5)]
    assert shape("balintmethode") == [("round", 5), ("open", 5), ("case", 10), ("solo", 5), ("round", 15),
                                      ("solo", 5), ("round", 15), ("case", 5), ("round", 5)]
    assert shape("socratisch") == [("case", 10), ("solo", 5), ("case", 5), ("case", 15), ("case", 3),
                                   ("round", 15), ("case", 5)]
    assert shape("vijfstappenmethode") == [("case", 5), ("round", 20), ("open", 15), ("round", 15), ("case", 5)]
    assert shape("troika") == [("solo", 1), ("case", 2), ("round", 2), ("open", 5), ("case", 2)]
    assert shape("what-so-what-now-what") == [("round", 5), ("open", 5), ("open", 10)]
    assert shape("1-2-4-all") == [("solo", 1), ("subgroups", 2), ("subgroups", 4), ("open", 5)]
    assert [s.mode.value for s in find("inchecken").steps] == ["facilitator", "round"]
    assert [s.mode.value for s in find("uitchecken").steps] == ["facilitator", "round"]


def test_loops_go_back_to_the_questions():
    fmt = find("vijfstappenmethode")
    assert fmt.loop_target(3) == 1 and fmt.steps[1].id == "vragen"
    troika = find("troika")
    assert troika.loop_target(4) == 1  # next client: back to sharing the question


def test_a_loop_to_a_missing_step_is_refused_with_file_line_and_field(tmp_path, english):
    path = tmp_path / "lus.yaml"
    path.write_text(
        "name: lus\ntitle: Lus\nsource: test\nsteps:\n"
        "  - title: Vragen\n    id: vragen\n    minutes: 5\n    mode: round\n"
        "  - title: Advies\n    minutes: 5\n    mode: round\n    loop_to: vraagjes\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_file(path)
    assert str(err.value) == f"{path}:12: steps[2].loop_to: 'vraagjes' names no step of this format"
    path.write_text(path.read_text().replace("vraagjes", "Advies"), encoding="utf-8")
    with pytest.raises(InputError, match="must name an earlier step"):
        load_file(path)
