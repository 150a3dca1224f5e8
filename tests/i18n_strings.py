"""Finding every interface string wrapped in _() in kring's source."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("data", "tui", "screens", "workformats", "web")


def marked_strings() -> dict[str, str]:
    """msgid -> the first file:line that uses it."""
    found: dict[str, str] = {}
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "ngettext", "N_")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    found.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
        for path in sorted((ROOT / folder).rglob("templates/*.html")):  # Jinja2 templates call _() too
            found.update((msgid, where) for msgid, where in template_strings(path).items() if msgid not in found)
    return found


def template_strings(path: Path) -> dict[str, str]:
    """msgid -> file:line of each _("...") in a Jinja2 template, as Jinja2 itself reads it."""
    from jinja2 import Environment
    from jinja2.ext import extract_from_ast

    tree = Environment().parse(path.read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for line, _function, message in extract_from_ast(tree, gettext_functions=("_",)):
        if isinstance(message, str):
            found.setdefault(message, f"{path.relative_to(ROOT)}:{line}")
    return found


if __name__ == "__main__":
    for msgid, where in marked_strings().items():
        print(f"{where}\t{msgid!r}")
