"""A work format for the first paint, without PyYAML or pydantic.

Reading a format means parsing YAML and validating it (`kring.workformats.loader`);
importing those libraries alone takes longer than drawing the agenda. So what a
file validated to is kept in the user's cache folder, keyed by the file's path,
modification time, size and a checksum of its bytes (and this kring's schema): `kring run` paints the new
meeting from it at once, while a thread reads the file the usual way (and
refreshes the cache). A name the cache cannot answer for sure gives None, and the
command takes the usual path, which says what is wrong before anything starts.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from kring.data.folders import cache_dir, config_dir, keep_cached

BUILTIN_DIR = Path(__file__).with_name("builtin")
BUILTIN_FORMS_DIR = Path(__file__).with_name("forms")
# A work format holds at most 100 steps: a few dozen KB. A file much larger is
# refused at once, unread (a 500 KB one took PyYAML seconds on every start).
MAX_BYTES = 128 * 1024
_SCHEMA = Path(__file__).with_name("schema.py")
# What is cached: the work formats, or (FORMS) the evaluation forms, each with the
# module whose schema it validated against and a cache file of its own.
FORMATS = "formats"
FORMS = "forms"
_SCHEMAS = {FORMATS: _SCHEMA, FORMS: Path(__file__).with_name("forms.py")}
_NAME_LINE = re.compile(r"""^name:[ \t]*(["']?)([\w.-]+)\1[ \t]*(?:#.*)?$""", re.MULTILINE)


def user_dir() -> Path:
    """The user's own formats: `werkvormen` in the config folder."""
    return config_dir() / "werkvormen"


def named(path: Path) -> str | None:
    """The `name:` a format file gives at its top level, read without parsing it (None: unclear,
    "": none, as for a file too large to be read at all)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return ""
        found = _NAME_LINE.findall(path.read_text("utf-8-sig", errors="replace"))
    except OSError:
        return None
    return found[0][1] if len(found) == 1 else None


def _folders(kind: str) -> tuple[Path, Path]:
    """Where a name is looked for, the user's own first (as the loaders let them override)."""
    if kind == FORMS:
        return user_dir().parent / "formulieren", BUILTIN_FORMS_DIR
    return user_dir(), BUILTIN_DIR


def path_of(name_or_file: str, kind: str = FORMATS) -> Path | None:
    """The file `kring.workformats.loader.find` reads for this name or path, when a glance
    at the folders can tell (None: only the whole catalog can)."""
    path = Path(name_or_file).expanduser()
    if name_or_file.endswith((".yaml", ".yml")) or os.sep in name_or_file or path.is_file():
        return path.resolve() if path.is_file() else None
    for folder in _folders(kind):
        if not folder.is_dir():
            continue
        paths = sorted(folder.glob("*.y*ml"))
        names = {p: named(p) for p in paths}
        if any(n is None for n in names.values()):
            return None
        found = [p for p in paths if names[p] == name_or_file]
        if len(found) == 1:
            return found[0].resolve()
        if found:
            return None  # more than one of that name: which one loads is the loader's to say
    return None


def _stamp(path: Path, kind: str = FORMATS) -> list[int]:
    # The bytes too: an edit that keeps the size, with the time put back (touch -r,
    # a restore, a checkout), would otherwise paint the old minutes. A file is at most
    # MAX_BYTES; a CRC of it costs a fraction of a millisecond.
    import zlib

    st, schema = path.stat(), _SCHEMAS[kind].stat()
    if st.st_size > MAX_BYTES:
        raise ValueError(path)  # refused by the loader: never from the cache
    return [st.st_mtime_ns, st.st_size, zlib.crc32(path.read_bytes()), schema.st_mtime_ns, schema.st_size]


def _cache_file(kind: str = FORMATS) -> Path:
    return cache_dir() / f"{kind}.json"


def _entries(kind: str = FORMATS) -> dict[str, Any]:
    try:
        entries = json.loads(_cache_file(kind).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return entries if isinstance(entries, dict) else {}


def cached(name_or_file: str, kind: str = FORMATS) -> dict[str, Any] | None:
    """The format (or form) as `model_dump(mode="json")` gave it when its file was last
    read unchanged, or None."""
    try:
        path = path_of(name_or_file, kind)
        if path is None:
            return None
        entry = _entries(kind).get(str(path))
        if not isinstance(entry, dict) or entry.get("stamp") != _stamp(path, kind):
            return None
        data = entry.get("format")
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data.get(
            "questions" if kind == FORMS else "steps"):
        return None
    from kring.data.core.textgate import shown_tree  # the cache is a file too: through the gate

    return shown_tree(data)


def remember(name_or_file: str, load, kind: str = FORMATS) -> Any:  # noqa: ANN001 - load() -> the model
    """`load()` the format (or form) the usual way and keep what it validated to; returns it."""
    path = path_of(name_or_file, kind)
    try:
        before = _stamp(path, kind) if path is not None else None
    except (OSError, ValueError):
        before = None  # gone, or too large: the loader says what is wrong
    fmt = load()
    try:
        if path is None or before is None or _stamp(path, kind) != before:
            return fmt  # changed while it was read: the next start reads it again
        entries = _entries(kind)
        entry = {"stamp": before, "format": fmt.model_dump(mode="json")}
        if entries.get(str(path)) == entry:
            return fmt  # kept already: no write on every start
        entries[str(path)] = entry
        file = _cache_file(kind)
        keep_cached(file, json.dumps(entries, ensure_ascii=False).encode("utf-8"))
    except (OSError, ValueError):
        pass  # no cache: the next start takes the usual path
    return fmt
