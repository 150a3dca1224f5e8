"""Loading work formats from YAML, with errors that name file, line and field.

Only PyYAML's safe loader is used, aliases are refused (no alias bombs) and
no tag can construct a Python object.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar, get_args

import yaml
from pydantic import BaseModel, ValidationError

from kring.data.errors import InputError, first_line
from kring.data.core.textgate import clean_block, has_terminal_control
from kring.workformats.quick import BUILTIN_DIR, MAX_BYTES, user_dir  # noqa: F401 - named here too
from kring.workformats.quick import named as _named
from kring.data.core.steps import CHOOSE
from kring.workformats.schema import WorkFormat
from kring.workformats.yamlerrors import yaml_problem
from kring.data.i18n import N_, _


M = TypeVar("M", bound=BaseModel)


class FormatError(InputError):
    """A broken file. str() is one line: `file:line: field: reason`."""

    def __init__(self, file: str, reason: str, line: int | None = None, field: str | None = None):
        self.file, self.reason, self.line, self.field = file, reason, line, field
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {field}: {reason}" if field else f"{where}: {reason}")


# --- YAML with positions -------------------------------------------------------


def parse_yaml(raw: bytes, file: str) -> tuple[Any, yaml.Node | None]:
    """Decode and parse, refusing what a work format never needs. Returns data and its node tree."""
    if len(raw) > MAX_BYTES:
        raise FormatError(file, _("file is larger than {max_bytes} KB").format(max_bytes=MAX_BYTES // 1024))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormatError(file, _("not UTF-8 text (byte 0x{byte:02x})").format(byte=raw[exc.start]), line) from None
    if "\x00" in text:
        raise FormatError(file, _("not a text file (contains NUL bytes)"))
    if _bracket_depth(text) > MAX_DEPTH:  # PyYAML takes minutes over ten thousand [[[[…
        raise FormatError(file, _("nested too deeply"))
    try:
        for ev in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(ev, yaml.AliasEvent):
                line = ev.start_mark.line + 1
                raise FormatError(file, _("YAML aliases (*name) are not allowed here"), line)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        _check_nodes(node, file)
        data = _gate(yaml.safe_load(text), node, file)
    except yaml.MarkedYAMLError as exc:
        if "could not determine a constructor" in str(exc):
            tag = str(exc).split("tag '")[-1].split("'")[0] if "tag '" in str(exc) else "?"
            mark = exc.problem_mark or exc.context_mark
            raise FormatError(file, _("the tag {tag} is not allowed (no code runs from YAML)").format(tag=tag),
                              mark.line + 1 if mark else None) from None
        raise FormatError(file, *yaml_problem(exc, text)) from None
    except yaml.YAMLError as exc:
        raise FormatError(file, _("invalid YAML ({exc})").format(exc=first_line(exc))) from None
    except RecursionError:
        raise FormatError(file, _("nested too deeply")) from None
    except (ValueError, KeyError, TypeError, OverflowError, AttributeError) as exc:  # !!int abc, 2024-13-45
        raise FormatError(file, _("a value cannot be read ({exc})").format(exc=first_line(exc)[:120])) from None
    return data, node


MAX_DEPTH = 100
_CONTROL_REASON = N_("contains a control character (an escape sequence?)")  # translated when raised


def _bracket_depth(text: str) -> int:
    """How deep [ and { nest (roughly: quotes are not skipped; a real file stays far below the limit)."""
    depth = deepest = 0
    for ch in re.sub(r"[^\[\]{}]+", "", text):
        depth = depth + 1 if ch in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return deepest


def _check_nodes(root: yaml.Node | None, file: str) -> None:
    """Refuse a key given twice (the first would be dropped without a word) and text with
    control characters (a title must not be able to drive the projector's terminal)."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                line = key.start_mark.line + 1
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        name = key.value if len(key.value) <= 40 else key.value[:39] + "…"
                        raise FormatError(file, _("'{name}' is given twice (also on line {seen})").format(name=name, seen=seen[key.value]), line)
                    seen[key.value] = line
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and has_terminal_control(node.value):
            raise FormatError(file, _(_CONTROL_REASON), node.start_mark.line + 1)


def _gate(value: Any, node: yaml.Node | None, file: str) -> Any:
    """The text gate on what the YAML decoded to, not only on its source: a tag such as
    !!binary turns harmless source text into an escape sequence. Refuses binary values and
    text with control characters; every text (keys too) comes out through the gate: no
    direction overrides, NFC."""
    line = node.start_mark.line + 1 if node is not None else None
    if isinstance(value, bytes):
        raise FormatError(file, _("binary values (!!binary) are not allowed here"), line)
    if isinstance(value, str):
        if has_terminal_control(value):
            raise FormatError(file, _(_CONTROL_REASON), line)
        return clean_block(value)
    if isinstance(value, dict):
        pairs = node.value if isinstance(node, yaml.MappingNode) and len(node.value) == len(value) else None
        return {_gate(k, pairs[i][0] if pairs else node, file): _gate(v, pairs[i][1] if pairs else node, file)
                for i, (k, v) in enumerate(value.items())}
    if isinstance(value, list):
        items = node.value if isinstance(node, yaml.SequenceNode) and len(node.value) == len(value) else None
        return [_gate(v, items[i] if items else node, file) for i, v in enumerate(value)]
    return value


def line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the value at `loc` (as pydantic reports it), or of its nearest parent."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == key:
                    node, line = v, v.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def field_name(loc: tuple[Any, ...]) -> str:
    out = ""
    for key in loc:
        if isinstance(key, int):
            out += f"[{key + 1}]"  # people count steps from 1
        elif not str(key).startswith(("int", "float", "function", "constrained")):
            # a key is the file's text: one with a line break or an escape is shown escaped
            text = str(key) if str(key).isprintable() else repr(str(key))
            out += ("." if out else "") + text
    return out


def reason(err: dict[str, Any]) -> str:
    kind, ctx, given = err["type"], err.get("ctx") or {}, err.get("input")
    try:
        shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
    except ValueError:  # an integer too long to print
        shown = "a number too long to show"
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    if kind == "missing":
        return _("is required")
    if kind == "extra_forbidden":
        return _("unknown field")
    if kind == "enum":
        return _("must be one of {choices}, got {shown}").format(choices=_choices(ctx.get("expected", "")), shown=shown)
    if kind in ("greater_than", "greater_than_equal"):
        return _("must be more than {limit}, got {shown}").format(limit=ctx.get('gt', ctx.get('ge')), shown=shown)
    if kind in ("less_than", "less_than_equal"):
        return _("must be at most {limit}, got {shown}").format(limit=ctx.get('lt', ctx.get('le')), shown=shown)
    if kind in ("int_type", "float_type", "int_parsing", "float_parsing"):
        return _("must be a number, got {shown}").format(shown=shown)
    if kind in ("too_short",):
        return _("must not be empty")
    if kind in ("string_too_short",):
        return _("must not be empty")
    if kind == "string_type":
        return _("must be text, got {shown}").format(shown=shown)
    if kind in ("list_type",):
        return _("must be a list, got {shown}").format(shown=shown)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("must be a mapping of fields, got {shown}").format(shown=shown)
    return err["msg"]


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" with the last word in the interface's language."""
    items = re.findall(r"'[^']*'", expected)
    if len(items) < 2:
        return expected
    return _("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])


def validate(model: type[M], data: Any, node: yaml.Node | None, file: str) -> M:
    if data is None:
        raise FormatError(file, _("the file is empty"), 1)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # the one error that is deepest first: it names the precise field; at equal depth an
        # unknown field first, as a typo (`minuten:`) also makes the field it meant missing
        err = max(exc.errors(), key=lambda e: (len(e["loc"]), e["type"] == "extra_forbidden"))
        loc = tuple(k for k in err["loc"] if not (isinstance(k, str) and k in ("int", "float")))
        said = reason(err)
        if err["type"] == "extra_forbidden" and loc:
            import difflib  # only for a broken file

            meant = difflib.get_close_matches(str(loc[-1]), _fields_at(model, loc[:-1]), n=1, cutoff=0.6)
            if meant:
                said = _("unknown field; did you mean {name}?").format(name=meant[0])
        raise FormatError(file, said, line_of(node, loc), field_name(loc) or None) from None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The field names of the model found at `loc` (list positions skipped), for a suggestion."""
    current: Any = model
    for key in loc:
        if isinstance(key, int):
            continue
        field = current.model_fields.get(key) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return []
        current = next((t for t in _types(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)), None)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _types(annotation: Any) -> list[Any]:
    """The types an annotation holds: list[Step] and Optional[StepText] hold Step and StepText."""
    args = get_args(annotation)
    return [t for a in args for t in _types(a)] if args else [annotation]


# What a file gave (its model or its error) while it is unchanged: (model, path) ->
# ((mtime_ns, size), result). A process asks for the catalog more than once.
_LOADED: dict[tuple[type, str], tuple[tuple[int, int], Any]] = {}


def load_model(model: type[M], path: Path, check: Callable[[M, Any], None] | None = None) -> M:
    file = str(path)
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        cached = _LOADED.get((model, file))
        if cached is not None and cached[0] == stamp:
            if isinstance(cached[1], FormatError):
                raise cached[1]
            return cached[1]
        if st.st_size > MAX_BYTES and path.is_file():
            raise FormatError(file, _("file is larger than {max_bytes} KB").format(max_bytes=MAX_BYTES // 1024))
        try:
            obj = _load_model(model, path, check)
        except FormatError as exc:
            _LOADED[(model, file)] = (stamp, exc)
            raise
        _LOADED[(model, file)] = (stamp, obj)
        return obj
    except FileNotFoundError:
        raise FormatError(file, _("no such file")) from None
    except OSError as exc:
        raise FormatError(file, _("cannot read ({strerror})").format(strerror=exc.strerror)) from None


def _load_model(model: type[M], path: Path, check: Callable[[M, Any], None] | None = None) -> M:
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FormatError(file, _("no such file")) from None
    except IsADirectoryError:
        raise FormatError(file, _("is a folder, not a file")) from None
    except OSError as exc:
        raise FormatError(file, _("cannot read ({strerror})").format(strerror=exc.strerror)) from None
    data, node = parse_yaml(raw, file)
    obj = validate(model, data, node, file)
    if check:
        check(obj, node)
    return obj


# --- work formats ----------------------------------------------------------------


def _check_format(fmt: WorkFormat, node: yaml.Node | None, file: str) -> None:
    problem = fmt.loop_problem()
    if problem:
        index, why = problem
        loc = ("steps", index, "loop_to")
        raise FormatError(file, why, line_of(node, loc), field_name(loc))


def load_file(path: str | Path) -> WorkFormat:
    path = Path(path)
    return load_model(WorkFormat, path, lambda fmt, node: _check_format(fmt, node, str(path)))


def check_file(path: str | Path) -> WorkFormat:
    """A format file as `kring formats check` judges it: valid itself, and every work format
    a step runs inside it (`workformat`) exists and holds none of its own (one level deep)."""
    fmt = load_file(path)
    for index, step in enumerate(fmt.steps):
        if step.workformat is None or step.workformat == CHOOSE:
            continue
        why = _nesting_problem(step.workformat, fmt.name)
        if why is not None:
            file = str(path)
            node = parse_yaml(Path(path).read_bytes(), file)[1]
            loc = ("steps", index, "workformat")
            raise FormatError(file, why, line_of(node, loc), field_name(loc))
    return fmt


def _nesting_problem(name: str, own: str) -> str | None:
    if name == own:
        return _("'{name}' is this format itself: a step cannot run its own format").format(name=name)
    try:
        inner = find(name)
    except FormatError as err:
        return _("'{name}' does not load ({reason})").format(name=name, reason=err)
    except InputError:
        return _("'{name}' names no work format (kring formats list shows them)").format(name=name)
    if any(s.workformat for s in inner.steps):
        return _("'{name}' runs a work format in a step itself: sub-agendas go one level deep").format(name=name)
    return None


@dataclass
class Catalog:
    """Every work format kring knows, the user's overriding built-ins of the same name."""

    formats: dict[str, WorkFormat]
    origins: dict[str, str]  # name -> "builtin" | file path
    broken: list[FormatError]


def load_folders(folders: list[tuple[Path, str | None]], load: Callable[[Path], M]) -> tuple[
        dict[str, M], dict[str, str], list[FormatError]]:
    """Every YAML file of the folders, later folders overriding earlier ones by `name`.

    Returns the loaded items, where each came from ("builtin" or its path) and
    the broken files, each with its one-line reason.
    """
    items: dict[str, M] = {}
    origins: dict[str, str] = {}
    broken: list[FormatError] = []
    for folder, label in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            try:
                item = load(path)
            except FormatError as exc:
                broken.append(exc)
                continue
            items[item.name] = item  # type: ignore[attr-defined]
            origins[item.name] = label or str(path)  # type: ignore[attr-defined]
    return items, origins, broken


_NAME_LINE = re.compile(r"""^name:\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$""", re.M)


def declared_name(path: str | Path) -> str | None:
    """The `name:` a file gives itself, read plainly (for a file too broken to load)."""
    try:
        found = _NAME_LINE.search(Path(path).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    return found.group(1).strip() if found else None


def broken_override(name: str, origins: dict[str, str], broken: list[FormatError]) -> FormatError | None:
    """A user's file meant to replace the built-in `name` that does not load: said, never
    quietly swapped for the built-in."""
    if origins.get(name) != "builtin":
        return None
    for err in broken:
        if Path(err.file).stem == name or declared_name(err.file) == name:
            return err
    return None


def catalog() -> Catalog:
    return Catalog(*load_folders([(BUILTIN_DIR, "builtin"), (user_dir(), None)], load_file))


def _find_named(name: str) -> WorkFormat | None:
    """The format called `name`, reading only the files that may hold it (the user's first).
    None when it cannot be told that way: then the whole catalog decides."""
    for folder in (user_dir(), BUILTIN_DIR):
        if not folder.is_dir():
            continue
        paths = sorted(folder.glob("*.y*ml"))
        names = {p: _named(p) for p in paths}
        if any(n is None for n in names.values()):
            return None  # a file whose name a glance cannot tell: it may be this one
        broken: FormatError | None = None
        for path in reversed(paths):  # later files override earlier ones, as in load_folders
            if names[path] == name:
                try:
                    return load_file(path)
                except FormatError as err:
                    broken = broken or err  # the next of that name in this folder may load
        if broken is not None:
            # a user's file of this name that does not load is said, never quietly
            # swapped for the built-in (as broken_override does for the catalog)
            raise broken
    return None


def find(name_or_file: str) -> WorkFormat:
    """A format by name (user's first, then built-in) or from a YAML file path."""
    path = Path(name_or_file).expanduser()
    if name_or_file.endswith((".yaml", ".yml")) or os.sep in name_or_file or path.is_file():
        return load_file(path)
    found = _find_named(name_or_file)
    if found is not None:
        return found
    return _find_in_catalog(name_or_file)


def _find_in_catalog(name_or_file: str) -> WorkFormat:
    cat = catalog()
    err = broken_override(name_or_file, cat.origins, cat.broken)
    if err is not None:
        raise err
    if name_or_file in cat.formats:
        return cat.formats[name_or_file]
    for err in cat.broken:
        if Path(err.file).stem == name_or_file:
            raise err
    known = ", ".join(sorted(cat.formats)) or "none"
    raise InputError(_("unknown work format '{name_or_file}' (known: {known})").format(name_or_file=name_or_file, known=known))
