"""The house's rules for the Textual side, read from the source (imports inside
functions count too): the arrows between modules run one way, a screen never
imports an App, and no module of screens/ or tui/ outgrows 500 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"data": "kring.data", "workformats": "kring.workformats", "screens": "kring.screens", "tui": "kring.tui"}
APP_MODULES = ("kring.tui.app", "kring.tui.base", "kring.tui.notes_app", "kring.tui.evaluate_app",
               "kring.tui.network_app", "kring.tui.history_app")


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = [p for p in path.relative_to(ROOT / folder).with_suffix("").parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Every kring module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kring."):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("kring."))
    return found & set(known)


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) - {name} for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_finder_sees_a_cycle_through_a_function_level_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_through_the_screens_or_the_apps():
    textual_side = ("kring.screens", "kring.tui")
    found = [group for group in cycles(graph()) if any(m.startswith(textual_side) for m in group)]
    assert found == []


def test_a_screen_never_imports_an_app():
    offending = {(name, dep) for name, deps in graph().items() if name.startswith("kring.screens")
                 for dep in deps if dep in APP_MODULES}
    assert offending == set()


@pytest.mark.parametrize("folder", ["screens", "tui", "data", "workformats"])
def test_no_product_module_over_500_lines(folder):
    """No product module over 500 lines; the store's migrations aside (written once, never edited)."""
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
             for p in (ROOT / folder).rglob("*.py") if "migrations" not in p.parts}
    assert {p: n for p, n in sizes.items() if n > 500} == {}


# --- the store's side: data/ and workformats/ -----------------------------------------------

NO_TEXTUAL = ("kring.data", "kring.workformats")


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _named(group: list[str], edges: dict[str, set[str]]) -> str:
    """A cycle of the group as a path that closes, for the message: a → b → a."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    todo = [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(edges[v] & members):
            if w == start:
                return " → ".join(paths[v] + [start])
            if w not in paths:
                paths[w] = paths[v] + [w]
                todo.append(w)
    return " ↔ ".join(group)


def test_a_cycle_is_named_as_a_path():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [_named(g, edges) for g in cycles(edges)] == ["a → b → c → a"]


def test_no_import_cycle_in_data_or_workformats():
    """Imports inside functions count: one made there to save start-up time still binds the two modules."""
    edges = {v: {w for w in deps if _within(w, NO_TEXTUAL)} for v, deps in graph().items() if _within(v, NO_TEXTUAL)}
    found = [_named(group, edges) for group in cycles(edges)]
    assert found == [], "import cycles: " + "; ".join(found)


def test_no_import_cycle_anywhere_in_kring():
    edges = graph()
    found = [_named(group, edges) for group in cycles(edges)]
    assert found == [], "import cycles: " + "; ".join(found)


def _every_import(path: Path) -> list[tuple[str, int]]:
    """Every module `path` imports by absolute name (kring's and others'), with its line."""
    known = modules()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:  # `from kring.data import i18n` imports kring.data.i18n
                submodule = f"{node.module}.{alias.name}"
                found.append((submodule if submodule in known else node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return found


def test_no_textual_in_data_or_workformats():
    found = [f"{name}:{line} imports {target}" for name, path in modules().items() if _within(name, NO_TEXTUAL)
             for target, line in _every_import(path) if _within(target, ("textual", "rich"))]
    assert found == [], "\n".join(found)


CORE = "kring.data.core"
CORE_MAY_IMPORT = (CORE, "kring.data.i18n", "kring.data.errors")
STORE_LIBRARIES = ("sqlalchemy", "sqlmodel", "alembic", "psycopg", "sqlite3", "pydantic", "yaml")


def test_the_pure_core_imports_no_store_code():
    """Timeline, rounds, note parsing, due dates, clock, steps and event kinds stand on their own:
    no store module, no model, no database library (and nothing that validates YAML)."""
    found = [f"{name}:{line} imports {target}" for name, path in modules().items() if _within(name, (CORE,))
             for target, line in _every_import(path)
             if (target.startswith("kring.") and not _within(target, CORE_MAY_IMPORT))
             or _within(target, STORE_LIBRARIES)]
    assert found == [], "\n".join(found)
