"""Hostile input: broken and hostile work formats and evaluation forms.

Every file of tests/corpus/hostile is refused with one line naming the file (only
`ok-*` files load), nothing else is raised, and no code runs from YAML. A few
inputs too big to keep in the repository are made here: a file over the size
limit, nesting thousands of levels deep, a number with thousands of digits,
titles and modes of a hundred thousand characters.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kring.workformats.forms import EvaluationForm, load_form
from kring.workformats.loader import MAX_BYTES, FormatError, load_file
from kring.workformats.schema import WorkFormat
from tests.crashdriver import say
from tests.ptyterm import KRING

CORPUS = Path(__file__).parent / "corpus" / "hostile"
FORMATS = sorted((CORPUS / "formats").glob("*.yaml"))
FORMS = sorted((CORPUS / "forms").glob("*.yaml"))
MARKER = "kring-pwned"  # what the python-* files try to create in the working folder

FORMAT_HEAD = "name: vijandig\ntitle: Vijandig\nsource: test\nsteps:\n"
FORM_HEAD = "name: vijandig\ntitle: Vijandig\nsource: test\nquestions:\n"


def made_here() -> dict[str, tuple[str, bytes]]:
    """name -> (kind, content) for inputs made by the test."""
    step = "  - title: Inchecken\n    minutes: 5\n    mode: round\n"
    question = "  - id: roti\n    text: Waard?\n    type: roti\n"
    return {
        "over-size-limit": ("format", (FORMAT_HEAD + step + "# " + "x" * (MAX_BYTES + 10) + "\n").encode()),
        "deep-lists": ("format", (FORMAT_HEAD + step + "extra: " + "[" * 50_000 + "]" * 50_000 + "\n").encode()),
        "deep-mappings": ("format", (FORMAT_HEAD + step + "extra: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n").encode()),
        "deep-block": ("format", ("steps:\n" + "".join("  " * i + "- \n" for i in range(3000))).encode()),
        "digits-5000": ("format", (FORMAT_HEAD + step.replace("5", "9" * 5000)).encode()),
        "hex-digits-5000": ("format", (FORMAT_HEAD + step.replace("5", "0x" + "f" * 5000)).encode()),
        "title-100k": ("format", (FORMAT_HEAD.replace("Vijandig", "é" * 100_000) + step).encode()),
        "mode-100k": ("format", (FORMAT_HEAD + step.replace("round", "r" * 100_000)).encode()),
        "line-300k": ("format", (FORMAT_HEAD + step.replace("Inchecken", "i" * 300_000)).encode()),
        "form-over-size-limit": ("form", (FORM_HEAD + question + "# " + "x" * (MAX_BYTES + 10)).encode()),
        "form-deep-lists": ("form", (FORM_HEAD + question + "extra: " + "[" * 50_000 + "]" * 50_000).encode()),
        "form-digits-5000": ("form", (FORM_HEAD + question + "    min: " + "9" * 5000 + "\n").encode()),
        "form-text-100k": ("form", (FORM_HEAD + question.replace("Waard?", "w" * 100_000)).encode()),
    }


def load(kind: str, path: Path) -> object:
    return load_file(path) if kind == "format" else load_form(path)


def check(kind: str, path: Path) -> object:
    """Load one file: the model if it is fine, else the FormatError; anything else fails the test."""
    try:
        result = load(kind, path)
    except FormatError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message, f"{path.name}: more than one line: {message!r}"
        assert message.startswith(str(path)), f"{path.name}: the message does not name the file: {message}"
        assert len(message) < len(str(path)) + 300, f"{path.name}: a message of {len(message)} characters"
        assert "Traceback" not in message
        return exc
    assert isinstance(result, (WorkFormat, EvaluationForm))
    return result


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert not (tmp_path / MARKER).exists(), "code ran from YAML"


@pytest.mark.parametrize("path", FORMATS + FORMS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_corpus_file_is_refused_in_one_line_or_loads_if_ok(path, in_tmp):
    kind = "format" if path.parent.name == "formats" else "form"
    result = check(kind, path)
    if path.name.startswith("ok-"):
        assert not isinstance(result, FormatError), f"{path.name} should load: {result}"
    else:
        assert isinstance(result, FormatError), f"{path.name} should be refused"
    if path.name.startswith("python-"):
        assert "not allowed" in str(result) or "tag" in str(result)


@pytest.mark.parametrize("name", sorted(made_here()))
def test_generated_hostile_input_is_refused_in_one_line(name, in_tmp):
    kind, content = made_here()[name]
    path = in_tmp / f"{name}.yaml"
    path.write_bytes(content)
    result = check(kind, path)
    assert isinstance(result, FormatError), f"{name} should be refused"


def test_the_command_line_refuses_hostile_files_in_one_line_and_runs_nothing(tmp_path, request):
    env = {**os.environ, "HOME": str(tmp_path / "home"), "KRING_CONFIG_DIR": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "KRING_LANG": "nl"}
    picked = [CORPUS / "formats" / n for n in ("python-apply.yaml", "billion-laughs.yaml", "utf16-bom.yaml",
                                                "minutes-bad-date.yaml", "png.yaml")]
    big = tmp_path / "digits.yaml"
    big.write_bytes(made_here()["digits-5000"][1])
    for path in picked + [big]:
        r = subprocess.run([KRING, "formats", "check", str(path)], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 2, (path.name, r.stdout, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"kring: {path}"), r.stderr
    assert not (tmp_path / MARKER).exists()
    total = len(FORMATS) + len(FORMS) + len(made_here()) + len(picked) + 1
    say(request, f"hostile corpus: {total} broken or hostile files, each refused in one line "
                 f"(or loaded, the {sum(p.name.startswith('ok-') for p in FORMATS + FORMS)} odd-but-valid ones); "
                 "no code ran")
