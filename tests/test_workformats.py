"""Loading work formats: built-ins, user overrides, and one clear line for every broken file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kring.data.errors import InputError
from kring.workformats.loader import FormatError, catalog, find, load_file

CORPUS = Path(__file__).parent / "corpus" / "formats"

# file -> (line, field or None, words the reason must contain)
BROKEN = {
    "syntax_error.yaml": (8, None, "the indentation does not match the lines above"),
    "steps_not_list.yaml": (5, "steps", "list"),
    "unknown_mode.yaml": (7, "steps[1].mode", "must be one of"),
    "negative_minutes.yaml": (9, "steps[2].minutes", "more than 0"),
    "nonnumeric_minutes.yaml": (6, "steps[1].minutes", "number"),
    "empty_steps.yaml": (4, "steps", "empty"),
    "latin1.yaml": (2, None, "UTF-8"),
    "python_tag.yaml": (2, None, "not allowed"),
    "alias_bomb.yaml": (5, None, "aliases"),
    "empty_file.yaml": (1, None, "empty"),
    "loop_missing.yaml": (11, "steps[2].loop_to", "names no step"),
    "bool_minutes.yaml": (6, "steps[1].minutes", "number"),
    "unknown_field.yaml": (8, "steps[1].colour", "unknown field"),
    "missing_source.yaml": (1, "source", "required"),
    "list_top.yaml": (1, None, "mapping"),
}


def test_builtins_load_and_name_their_source():
    cat = catalog()
    assert not cat.broken
    assert {"standaard", "kickoff"} <= set(cat.formats)
    for fmt in cat.formats.values():
        assert fmt.source.strip()
        assert fmt.total_seconds > 0


def test_standard_meeting_follows_methods():
    fmt = find("standaard")
    assert [s.mode.value for s in fmt.steps] == ["round", "round", "case", "open", "round"]
    assert fmt.total_seconds == 100 * 60


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_gets_one_line_with_file_line_and_field(name, english):
    line, field, words = BROKEN[name]
    with pytest.raises(FormatError) as info:
        load_file(CORPUS / name)
    err = info.value
    message = str(err)
    assert "\n" not in message
    assert message.startswith(str(CORPUS / name))
    assert err.line == line, message
    assert err.field == field, message
    assert words in message, message


def test_corpus_covers_every_broken_file():
    assert {p.name for p in CORPUS.glob("*.yaml")} == set(BROKEN)


def test_python_tag_runs_no_code(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f'name: e\ntitle: !!python/object/apply:os.system ["touch {marker}"]\nsource: s\nsteps: []\n')
    with pytest.raises(FormatError):
        load_file(evil)
    assert not marker.exists()


def test_user_format_overrides_builtin_and_broken_ones_are_reported(tmp_path, monkeypatch):
    folder = tmp_path / "config" / "werkvormen"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text(
        "name: standaard\ntitle: Onze eigen\nsource: ons team\nsteps:\n  - title: Alles\n    minutes: 30\n    mode: open\n"
    )
    (folder / "kapot.yaml").write_text("name: kapot\n  title: [\n")
    cat = catalog()
    assert cat.formats["standaard"].title == "Onze eigen"
    assert cat.origins["standaard"].endswith("mine.yaml")
    assert [Path(e.file).name for e in cat.broken] == ["kapot.yaml"]
    with pytest.raises(FormatError, match="kapot.yaml"):
        find("kapot")


def test_unknown_name_lists_known_ones(english):
    with pytest.raises(InputError, match="unknown work format 'bestaatniet'.*standaard"):
        find("bestaatniet")


def test_missing_file_and_folder(tmp_path, english):
    with pytest.raises(FormatError, match="no such file"):
        find(str(tmp_path / "nope.yaml"))
    (tmp_path / "d.yaml").mkdir()
    with pytest.raises(FormatError, match="folder"):
        load_file(tmp_path / "d.yaml")


def test_a_broken_override_of_a_builtin_is_reported_not_replaced_by_the_builtin(tmp_path):
    folder = tmp_path / "config" / "werkvormen"
    folder.mkdir(parents=True)
    (folder / "ons-standaard.yaml").write_text(
        "name: standaard\ntitle: Onze eigen\nsource: ons team\nsteps:\n  - title: Alles\n    minutes: nul\n")
    with pytest.raises(FormatError, match=r"ons-standaard\.yaml:6: steps\[1\]\.minutes"):
        find("standaard")
    assert find("incidentmethode").name == "incidentmethode"  # the other built-ins stay usable


def test_a_broken_override_of_a_builtin_form_is_reported(tmp_path):
    from kring.workformats.forms import find_form, forms_dir

    folder = forms_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "standaard.yaml").write_text("name: standaard\ntitle: [\n")
    with pytest.raises(FormatError, match=r"standaard\.yaml"):
        find_form("standaard")


def test_the_readmes_own_example_passes_formats_check(tmp_path, capsys):
    """The YAML under 'Your own work formats' in README.md is a valid work format."""
    import re

    from tests.cli_helpers import run

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Your own work formats", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    path = tmp_path / "mijn-overleg.yaml"
    path.write_text(example, encoding="utf-8")
    code, out, err = run(capsys, "formats", "check", str(path))
    assert (code, err) == (0, ""), err
    assert "mijn-overleg" in out
