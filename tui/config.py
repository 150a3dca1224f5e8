"""Where the settings come from: the command line, the environment and the config file.

The settings are one typed object, `kring.tui.settings.Settings`, built once per
process from the layers this module reads: the command line's options, the
environment (`KRING_…`) and `config.toml` in the user's config folder, in that
order of precedence, then the defaults. Reading them needs only Python's own
tomllib (and only when the file exists), so `kring demo` and `kring resume` can
paint their first frame before pydantic loads: until the typed object is built
after that frame, the App peeks at the few values the frame needs (`peek`),
with the same precedence, and the typed object then confirms or refuses them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from kring.data.errors import InputError
from kring.data.folders import config_dir
from kring.data.i18n import _

if TYPE_CHECKING:
    from kring.tui.settings import Settings

FILE_NAME = "config.toml"
ENV_PREFIX = "KRING_"  # Settings' env_prefix (kring.tui.settings), read here before pydantic loads
# Patterns as text, compiled (and cached by re) only when a message or a write needs
# them: nothing here may cost the first frame time.
_AT_LINE = r"\s*\(at line (\d+), column \d+\)"
_TABLE = r"^\s*\[\s*([^\]]+?)\s*\]"
_KEY = r"""^\s*("([^"]*)"|'([^']*)'|[A-Za-z0-9_.-]+)\s*="""


class ConfigError(InputError):
    """A setting kring cannot use. str() is one line: `where: field: reason`, where
    `where` is the config file and its line, the environment variable or the option."""

    def __init__(self, where: str, reason: str, field: str | None = None) -> None:
        self.where, self.reason, self.field = where, reason, field
        super().__init__(f"{where}: {field}: {reason}" if field else f"{where}: {reason}")


def default_path() -> Path:
    return config_dir() / FILE_NAME


class Config:
    """The layers the settings are built from, and the settings once built."""

    def __init__(self, path: Path, file: dict[str, Any] | None = None, text: str = "",
                 cli: dict[str, Any] | None = None) -> None:
        self.path = path
        self.file = file or {}  # config.toml as read
        self.text = text  # its text, for line numbers in messages
        self.cli = cli or {}  # options given on the command line
        self._settings: Settings | None = None

    @classmethod
    def load(cls, cli: Mapping[str, Any] | None = None, path: Path | None = None) -> Config:
        """Read the config file (a missing one is fine); a broken one is a ConfigError."""
        path = path or default_path()
        given = {k: v for k, v in (cli or {}).items() if v is not None}
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(path, cli=given)
        except OSError as exc:
            raise ConfigError(str(path), _("cannot read the config file ({strerror})").format(strerror=exc.strerror)) from None
        text, data = _parse(raw, path)
        return cls(path, data, text, given)

    # --- the typed object ------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """The settings, validated: built on first use, once (it loads pydantic)."""
        if self._settings is None:
            from kring.tui.settings import build

            self._settings = build(self.cli, self.file, self.error)
        return self._settings

    @property
    def built(self) -> bool:
        return self._settings is not None

    def get(self, name: str) -> Any:
        """A setting: the typed object's once built, else what `peek` finds."""
        return getattr(self._settings, name) if self._settings is not None else self.peek(name)

    def zone(self) -> str:
        """The user's zone for every time shown: the settings' once built, else (the first
        frame) as peeked, then TZ when it names a zone, then Europe/Amsterdam. A zone the
        settings will refuse is not used meanwhile."""
        from kring.data.labels import is_zone, system_zone

        if self._settings is not None:
            return self._settings.timezone
        name = str(self.peek("timezone") or "").strip()
        return name if is_zone(name) else system_zone()

    def peek(self, name: str) -> Any:
        """A top-level setting as given, before the typed object exists (first paint):
        the command line, else KRING_NAME, else the config file, else None. Tables
        (the keymap) are the file's with the environment's JSON laid over it, as the
        typed object merges them."""
        if name in self.cli:
            return self.cli[name]
        env = os.environ.get(ENV_PREFIX + name.upper(), "")
        in_file = self.file.get(name)
        if isinstance(in_file, dict) or name == "keymap":
            merged = dict(in_file) if isinstance(in_file, dict) else {}
            if env:
                import json

                try:
                    over = json.loads(env)
                except ValueError:
                    over = {}  # the typed object says what is wrong with it
                merged.update(over if isinstance(over, dict) else {})
            return merged
        return env or in_file

    # --- messages ----------------------------------------------------------------------

    def error(self, loc: tuple[str | int, ...], reason: str) -> ConfigError:
        """A ConfigError for the setting at `loc`, naming where its value came from."""
        name = str(loc[0]) if loc else ""
        dotted = ".".join(str(part) for part in loc)
        if name in self.cli:
            return ConfigError(f"--{name.replace('_', '-')} {self.cli[name]}", reason)
        for env in _env_names(loc):
            if os.environ.get(env):
                return ConfigError(env, reason)
        line = self.line_of(loc)
        return ConfigError(f"{self.path}:{line}" if line else str(self.path), reason, dotted or None)

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """The line of the file where the setting at `loc` is written, if it is."""
        parts = [str(p) for p in loc]
        table, best = "", None
        for number, line in enumerate(self.text.splitlines(), 1):
            header = re.match(_TABLE, line)
            if header:
                table = header.group(1).strip().strip("\"'")
                if parts and table == parts[0] and best is None:
                    best = number
                continue
            key = re.match(_KEY, line)
            if not key:
                continue
            name = key.group(2) if key.group(2) is not None else key.group(3) if key.group(3) is not None \
                else key.group(1)
            path = ([table] if table else []) + (name.split(".") if key.group(1)[0] not in "\"'" else [name])
            if path == parts:
                return number
            if parts[: len(path)] == path and best is None:
                best = number  # an inline table or a table's header holding the field
        return best

    # --- remembering a choice ------------------------------------------------------------

    def remember(self, **values: Any) -> None:
        """Write settings into the config file (the theme the user chose, the [smtp] table),
        editing it in place (tomlkit): the user's comments, order and layout stay; the settings
        take them as well. A file that is not valid TOML is refused, never overwritten."""
        import tomlkit

        from kring.data.files import write_private

        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            text = ""
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(str(self.path), _("cannot read the config file ({exc})").format(exc=exc)) from None
        _text, data = _parse(text.encode(), self.path)
        doc = tomlkit.parse(text)
        for name, value in values.items():
            doc = _put(doc, name, value)
        updated = tomlkit.dumps(doc)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(self.path, updated)
        self.text, self.file = updated, _parse(updated.encode(), self.path)[1]
        if self._settings is not None:
            for name, value in values.items():
                held = getattr(self._settings, name)
                if isinstance(value, dict) and hasattr(type(held), "model_fields"):  # a table ([smtp]): by its keys
                    fields = {(f.alias or n): n for n, f in type(held).model_fields.items()}
                    for key, item in value.items():
                        setattr(held, fields.get(key, key), item)
                else:
                    setattr(self._settings, name, value)


def _parse(raw: bytes, path: Path) -> tuple[str, dict[str, Any]]:
    import tomllib

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}", _("not UTF-8 text")) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = re.search(_AT_LINE, message)
        line = int(at.group(1)) if at else None
        reason = _toml_reason(re.sub(_AT_LINE, "", message).strip())
        key = re.match(_KEY, text.splitlines()[line - 1]) if line and line <= len(text.splitlines()) else None
        name = key.group(1).strip("\"'") if key else None
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(where, _("not valid TOML ({reason}); text goes in double quotes, e.g. theme = \"kring-light\"").format(reason=reason), name) from None


def _toml_reason(message: str) -> str:
    """tomllib's English reason in the interface's words (it has no translations of its own)."""
    if message.startswith(("Unterminated string", "Illegal character '\\n'")):
        return _("a text without its closing quote")
    rules = (("Illegal character", _("a character that cannot stand there")),
             ("Found invalid character", _("a character that cannot stand there")),
             ("Invalid value", _("a value that is no text, number or true/false")),
             ("Expected '='", _("'=' missing after the name")),
             ("Unclosed array", _("a list without its closing ]")),
             ("Unclosed inline table", _("a table without its closing }")),
             ("Expected ']", _("a [section] without its closing ]")),
             ("Cannot declare", _("a name given twice")), ("Cannot overwrite", _("a name given twice")),
             ("Duplicate", _("a name given twice")), ("Cannot redefine", _("a name given twice")),
             ("Invalid date", _("a date that does not exist")))
    return next((said for start, said in rules if message.startswith(start)),
                _("a line that is no setting of the form name = value"))


def _env_names(loc: tuple[str | int, ...]) -> list[str]:
    """The environment variables that could have given the setting at `loc`:
    KRING_SMTP_PORT for smtp.port, KRING_KEYMAP for a key of the keymap."""
    parts = [str(p) for p in loc]
    names = [ENV_PREFIX + "_".join(parts[:n]).upper() for n in range(len(parts), 0, -1)]
    return names


def _put(doc: Any, name: str, value: Any) -> Any:
    """Set a top-level setting in a tomlkit document where a person would: a table's keys one by one
    (the table's comments stay), a plain value in its own line, or, when new, after the file's other
    plain settings, above the comments that lead into its first table. Returns the document."""
    import tomlkit
    from tomlkit.items import AoT, Comment, Table, Whitespace

    held = doc.get(name)
    if isinstance(value, dict) and isinstance(held, dict):
        for key, item in value.items():
            if held.get(key) != item:
                held[key] = item
        return doc
    tables = [i for i, (_key, item) in enumerate(doc.body) if isinstance(item, (Table, AoT))]
    if name in doc or isinstance(value, dict) or not tables:
        doc[name] = value
        return doc
    at = tables[0]
    while at and isinstance(doc.body[at - 1][1], (Comment, Whitespace)):
        at -= 1
    # tomlkit would put it after those comments, parting them from their table, and has no public
    # insert: the document is built again item by item, as its parser builds one (parsed: nothing
    # laid out anew), with the setting at its place.
    rebuilt = tomlkit.TOMLDocument(parsed=True)
    for index, (key, item) in enumerate(doc.body):
        if index == at:
            rebuilt.append(name, value)
        rebuilt.append(key, item)
    rebuilt.parsing(False)
    return rebuilt
