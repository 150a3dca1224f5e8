"""One language at a time: every error line a person reads goes through gettext.

The AST check keeps it so: an error meant for a person (InputError, StoreError and
their kinds) carries no text that is not marked for translation. The command-line
cases run bad input in Dutch (the default) and in English, each one line, exit 2."""

from __future__ import annotations

import ast
import re

import pytest

from tests.i18n_strings import ROOT, SOURCE_DIRS

BASES = {"InputError", "StoreError", "ArgumentTypeError"}  # the last: an option's value, said by argparse
PLACE_FIRST = {"FormatError", "ConfigError"}  # their first argument is where: a file, an option
MARKERS = {"_", "ngettext", "N_"}
LETTER = re.compile(r"[^\W\d_]")


def _modules() -> list[tuple[str, ast.Module]]:
    return [(str(path.relative_to(ROOT)), ast.parse(path.read_text(encoding="utf-8")))
            for folder in SOURCE_DIRS for path in sorted((ROOT / folder).rglob("*.py"))]


def _name(node: ast.AST) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def person_facing_errors(modules) -> set[str]:
    """InputError, StoreError and every class that derives from them, by name."""
    found, grew = set(BASES), True
    while grew:
        grew = False
        for _path, tree in modules:
            for node in ast.walk(tree):
                if (isinstance(node, ast.ClassDef) and node.name not in found
                        and any(_name(b) in found for b in node.bases)):
                    found.add(node.name)
                    grew = True
    return found


def _unmarked(node: ast.AST):
    """Literal text under `node` that no _() / ngettext() / N_() wraps."""
    if isinstance(node, ast.Call) and _name(node.func) in MARKERS:
        return
    if isinstance(node, ast.Subscript):  # a key: changes['name']
        yield from _unmarked(node.value)
        return
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and not (isinstance(node.func.value, ast.Call) and _name(node.func.value.func) in MARKERS)):
        yield from _unmarked(node.func.value)  # a method's own arguments: starts.format('YYYY-MM-DD')
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and LETTER.search(node.value):
        yield node
        return
    if isinstance(node, ast.JoinedStr):
        if any(isinstance(v, ast.Constant) and LETTER.search(v.value) for v in node.values):
            yield node
            return
    for child in ast.iter_child_nodes(node):
        yield from _unmarked(child)


def unmarked_error_texts() -> list[str]:
    modules = _modules()
    errors = person_facing_errors(modules)
    found = []
    for path, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in errors:
                kind = _name(node.func)
                args = node.args[1:] if kind in PLACE_FIRST else node.args
                for arg in [*args, *(k.value for k in node.keywords)]:
                    found += [f"{path}:{lit.lineno}: {kind}({ast.unparse(lit)[:60]})" for lit in _unmarked(arg)]
    return found


def test_every_error_text_is_marked_for_translation():
    found = unmarked_error_texts()
    assert found == [], "wrap these in _() (and .format() the values):\n" + "\n".join(found)


def test_every_help_text_is_marked_for_translation():
    """What --help says of a command or an option is in the interface's language too."""
    found = [f"{path}:{node.lineno}: {kw.arg}={ast.unparse(kw.value)[:60]}" for path, tree in _modules()
             for node in ast.walk(tree) if isinstance(node, ast.Call)
             for kw in node.keywords if kw.arg in ("help", "description") and any(True for _ in _unmarked(kw.value))]
    assert found == [], "wrap these in _():\n" + "\n".join(found)


def test_the_check_sees_an_unmarked_error(tmp_path):
    tree = ast.parse('raise InputError(f"no meeting {n}")\nraise InputError(_("no meeting {n}").format(n=n))\n'
                     'raise FormatError(f"{file}:{line}", "bad" if x else _("good"))\n')
    literals = [lit for node in ast.walk(tree) if isinstance(node, ast.Call) and _name(node.func) in
                {"InputError", "FormatError"} for arg in node.args[1 if _name(node.func) == "FormatError" else 0:]
                for lit in _unmarked(arg)]
    assert [lit.lineno for lit in literals] == [1, 3]


BAD_FORMAT = "name: g\ntitle: G\nsource: s\nsteps:\n  - title: A\n    minutes: 5\n    mode: rondje\n"
MODES = "'case', 'round', 'open', 'solo', 'facilitator'"

# (arguments, the Dutch line, the English line); {file} is a broken work format
BAD_INPUT = [
    (["report", "42"],
     "kring: geen bijeenkomst met id 42 in deze opslag (zie: kring sessions)",
     "kring: no meeting with id 42 in this store (see: kring sessions)"),
    (["run"],
     "kring: kring run: zeg welke werkvorm met --format NAAM_OF_BESTAND (zie: kring formats list)",
     "kring: kring run: say which work format with --format NAME_OR_FILE (see: kring formats list)"),
    (["network", "show", "Nergens"],
     "kring: onbekend netwerk 'Nergens' (zie: kring network list)",
     "kring: unknown network 'Nergens' (see: kring network list)"),
    (["formats", "check", "{file}"],
     f"kring: {{file}}:7: steps[1].mode: moet een van {MODES} of 'subgroups' zijn, niet 'rondje'",
     f"kring: {{file}}:7: steps[1].mode: must be one of {MODES} or 'subgroups', got 'rondje'"),
    (["formats", "check"],  # the argument's name too, not argparse's English "file"
     "kring formats check: deze argumenten zijn verplicht: BESTAND",
     "kring formats check: the following arguments are required: FILE"),
    (["network", "import"],
     "kring network import: deze argumenten zijn verplicht: NAAM, BESTAND",
     "kring network import: the following arguments are required: NAME, FILE"),
    (["network", "new", "X", "--form", "kubus"],
     "kring: de vorm 'kubus': kies uit structure, process, activity",
     "kring: form 'kubus': choose one of structure, process, activity"),
    (["evaluate"],
     "kring: nog geen bijeenkomsten in deze opslag (start er een met: kring run of kring demo)",
     "kring: no meetings in this store yet (start one with: kring run or kring demo)"),
    (["bogus"],
     "kring: argument OPDRACHT: ongeldige keuze: 'bogus' (kies uit 'demo', 'run', 'resume', 'sessions', 'notes', "
     "'evaluate', 'report', 'history', 'formats', 'network', 'sync', 'serve')",
     "kring: argument COMMAND: invalid choice: 'bogus' (choose from 'demo', 'run', 'resume', 'sessions', 'notes', "
     "'evaluate', 'report', 'history', 'formats', 'network', 'sync', 'serve')"),
]


@pytest.mark.parametrize(("argv", "dutch", "english"), [pytest.param(*case, id=" ".join(case[0])) for case in BAD_INPUT])
@pytest.mark.parametrize("language", ["nl", "en", "en-locale"])
def test_bad_input_is_one_line_in_the_chosen_language(capsys, db, tmp_path, monkeypatch, argv, dutch, english,
                                                      language):
    from tests.cli_helpers import one_line_error, run

    bad = tmp_path / "kapot.yaml"
    bad.write_text(BAD_FORMAT, encoding="utf-8")
    argv = [a.replace("{file}", str(bad)) for a in argv]
    if language == "en":
        argv = ["--lang", "en", *argv]
    elif language == "en-locale":  # no --lang, no KRING_LANG: an English locale chooses
        monkeypatch.delenv("KRING_LANG")
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("LC_MESSAGES", raising=False)
        monkeypatch.setenv("LANG", "en_GB.UTF-8")
    code, out, err = run(capsys, *argv)
    wanted = (dutch if language == "nl" else english).replace("{file}", str(bad))
    assert (code, out, one_line_error(err)) == (2, "", wanted)


@pytest.mark.parametrize(("argv", "words"), [
    (["report", "--help"], ("gebruik: kring report", "opties:", "exporteer ook vertrouwelijke notities",
                            "[ID]", "-o BESTAND", "--smtp-user GEBRUIKER", "--timezone TIJDZONE")),
    (["--lang", "en", "report", "--help"], ("usage: kring report", "options:", "also export confidential notes",
                                            "[ID]", "-o FILE", "--smtp-user USER", "--timezone ZONE")),
])
def test_help_speaks_one_language(capsys, db, argv, words):
    from tests.cli_helpers import run

    code, out, _ = run(capsys, *argv)
    assert code == 0 and all(w in out for w in words), out


def test_every_value_on_the_command_line_is_named_in_the_interface_language():
    """Without a metavar argparse names a value after its dest (`id`, WERKVORM, OUTPUT): English or
    kring's own names in the Dutch --help. Every option and argument that takes a value names it
    through _() (or lists its choices)."""
    import argparse

    from kring.tui.cli import build_parser

    def actions(parser: argparse.ArgumentParser, path: str):
        for action in parser._actions:
            yield path, action
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from actions(sub, f"{path} {name}")

    unnamed = [f"{path}: {'/'.join(action.option_strings) or action.dest}" for path, action in actions(build_parser(), "kring")
               if action.nargs != 0 and action.metavar is None and action.choices is None]
    assert unnamed == [], "give these a metavar=_(...):\n" + "\n".join(unnamed)
