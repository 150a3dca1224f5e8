"""PyYAML's syntax errors said in the interface's language, at the line a person must fix.

PyYAML reports where it gave up, in English: an unclosed quote at the end of the file
(a line the editor does not even show), an unclosed [ on the line after it. Here each
kind of error gets a translated reason and the line where the mistake is: for what was
opened and never closed that is where it was opened (the context mark)."""

from __future__ import annotations

import re

import yaml

from kring.data.i18n import N_, _

_CHAR = re.compile(r"found (?:unknown escape )?character '(.*?)'")

# What PyYAML's context names as begun and never finished, and the reason: the line to fix
# is the context's, where it began.
_BEGUN = (
    ("quoted scalar", N_("a quote opened on this line is never closed")),
    ("flow sequence", N_("a '[' opened on this line is never closed (or a ',' is missing)")),
    ("flow mapping", N_("a '{' opened on this line is never closed (or a ',' is missing)")),
    ("simple key", N_("a line without ':' where 'name: value' was expected")),
)


def _reason(exc: yaml.MarkedYAMLError) -> tuple[str, bool]:
    """(the reason, whether the line is the context's: where the unclosed thing opened)."""
    problem, context = exc.problem or "", exc.context or ""
    char = _CHAR.search(problem)
    if "quoted scalar" in context and "escape" in problem:
        return _("unknown escape \\{char} in text between double quotes "
                 "(use single quotes, or write \\\\)").format(char=char.group(1) if char else "?"), False
    for begun, reason in _BEGUN:
        if begun in context:
            return _(reason), True
    if char and char.group(1) == "\\t":
        return _("a tab: YAML indents with spaces only"), False
    if "mapping values are not allowed" in problem:
        return _("a ':' that cannot be here: is the indentation right? "
                 "Put a text with ': ' in it between quotes"), False
    if problem.startswith(("expected <block end>", "did not find expected")):
        return _("the indentation does not match the lines above"), False
    if char:
        return _("a value cannot start with {char} (put the text between quotes)").format(
            char=char.group(1)), False
    if "block scalar" in context:
        return _("after | or > only a digit, + or - may follow on the same line"), False
    if "unhashable key" in problem:
        return _("a key must be a plain text, not a list or a mapping"), False
    if "end of stream" in problem:
        return _("the file ends too early"), True
    return _("invalid YAML ({exc})").format(exc=(problem or context or "?").strip()), False


def yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, int | None]:
    """The reason and the 1-based line (as an editor numbers it) of a YAML syntax error."""
    reason, at_context = _reason(exc)
    mark = (exc.context_mark if at_context else None) or exc.problem_mark or exc.context_mark
    if mark is None:
        return reason, None
    lines = max(1, len(text.splitlines()))
    return reason, min(mark.line + 1, lines)  # the end of the file is after its last line
