"""A YAML syntax error is one line: the file, the line an editor shows the mistake on, and
the reason in the interface's language — in `formats check`, `run --format` and for a
user's broken override of a built-in. PyYAML itself says English, and for what is opened
and never closed it names where it gave up (the end of the file), not where to look."""

from __future__ import annotations

import pytest

from tests.cli_helpers import one_line_error, run

# (file text, the line of the mistake, words of the Dutch reason, words of the English reason)
CASES = {
    "deeper indentation": ("name: x\nsteps:\n  - title: a\n     minutes: 3\n  - title: b\n", 4,
                           "klopt het inspringen", "is the indentation right"),
    "shallower indentation": ("name: x\nsteps:\n  - title: a\n  minutes: 3\n", 4,
                              "het inspringen past niet", "the indentation does not match"),
    "unclosed quote": ('name: x\ntitle: "niet dicht\nsteps:\n  - title: a\n    minutes: 3\n', 2,
                       "aanhalingsteken dat op deze regel opent", "a quote opened on this line"),
    "unclosed quote at the end": ("name: x\nsteps:\n  - title: a\n    minutes: 3\ntitle: 'open\n", 5,
                                  "aanhalingsteken dat op deze regel opent", "a quote opened on this line"),
    "unclosed bracket": ("name: x\nsteps: [a, b\nsource: s\n", 2, "'[' die op deze regel opent",
                         "a '[' opened on this line"),
    "tab": ("name: x\nsteps:\n\t- title: a\n", 3, "een tab", "a tab"),
    "line without colon": ("name: x\ntitle\nsteps: []\n", 2, "regel zonder ':'", "a line without ':'"),
    "duplicate key": ("name: x\ntitle: a\ntitle: b\nsteps: []\n", 3, "staat er twee keer", "is given twice"),
    "bad escape": ('name: x\ntitle: "a\\q"\nsteps: []\n', 2, "onbekende escape", "unknown escape"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_formats_check_names_the_line_of_the_mistake_in_the_chosen_language(capsys, tmp_path, case, lang):
    text, line, dutch, english = CASES[case]
    bad = tmp_path / "kapot.yaml"
    bad.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, *(["--lang", "en"] if lang == "en" else []), "formats", "check", str(bad))
    said = one_line_error(err)
    assert (code, out) == (2, "")
    assert said.startswith(f"kring: {bad}:{line}: "), said
    assert (dutch if lang == "nl" else english) in said
    assert not any(w in said for w in ("found ", "but got", "could not", "<block"))  # none of PyYAML's English


def test_run_with_a_broken_format_file_says_it_in_dutch(capsys, tmp_path):
    bad = tmp_path / "kapot.yaml"
    bad.write_text(CASES["unclosed quote"][0], encoding="utf-8")
    code, out, err = run(capsys, "run", "--format", str(bad), "--participant", "An", "--participant", "Bo")
    assert (code, one_line_error(err)) == (2, f"kring: {bad}:2: een aanhalingsteken dat op deze regel opent, "
                                              "wordt nergens gesloten")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_broken_override_of_a_built_in_is_said_with_its_line(capsys, tmp_path, lang):
    from kring.workformats.loader import user_dir

    folder = user_dir()
    folder.mkdir(parents=True)
    bad = folder / "incidentmethode.yaml"
    bad.write_text("name: incidentmethode\nsteps:\n  - title: a\n     minutes: 3\n", encoding="utf-8")
    argv = ["run", "--format", "incidentmethode", "--participant", "An", "--participant", "Bo"]
    code, out, err = run(capsys, *(["--lang", "en"] if lang == "en" else []), *argv)
    said = one_line_error(err)
    assert code == 2 and said.startswith(f"kring: {bad}:4: "), said
    assert ("klopt het inspringen" if lang == "nl" else "is the indentation right") in said
