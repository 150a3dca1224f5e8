"""kring's settings: one typed object, built once from the command line, the
environment (`KRING_…`) and the config file, in that order, then the defaults.

`kring.tui.config` reads the layers; this module says what each setting is and
builds the object (pydantic-settings). It is imported only when the object is
built, never before a first frame.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError
from kring.data.i18n import _

# A setting kring cannot use: `(where it is, e.g. ("smtp", "port"), reason)` gives the
# exception to raise, naming where the value came from (kring.tui.config.Config.error).
Refusal = Callable[[tuple[str | int, ...], str], Exception]

ENV_PREFIX = "KRING_"
DEFAULT_THEME = "kring-contrast"
KRING_THEMES = ("kring-contrast", "kring-light", "kring-colour-safe")


class Smtp(BaseModel):
    """Where reports are mailed from. The password is never in the config file:
    it comes from KRING_SMTP_PASSWORD only."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    host: str | None = None
    port: int = Field(587, ge=1, le=65535)
    user: str | None = None
    sender: str | None = Field(None, alias="from")
    password: SecretStr | None = None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="_",  # KRING_SMTP_HOST is smtp.host
        env_nested_max_split=1,
        env_ignore_empty=True,
        extra="forbid",  # a misspelt key in the file is said, not ignored
    )

    db: str | None = None
    """The store: a SQLAlchemy URL or a file path (default: kring.db in the user's data folder)."""
    lang: str | None = None
    """The interface language, nl or en (default: from the locale, else Dutch)."""
    theme: str = DEFAULT_THEME
    """kring-contrast (for a projector), kring-light or kring-colour-safe; remembered when switched (ctrl+t)."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id to keys, e.g. {"agenda.next": "right,n"}: see `?` on a screen for the keys."""
    smtp: Smtp = Field(default_factory=Smtp)
    shared_group: str | None = None
    """Share the store with this group (its file and folder the owner's and the group's)."""
    timezone: str = Field(default_factory=lambda: _system_zone())
    """The zone of every time shown and of the series' calendar (network plan, ics, the next date), e.g. Europe/Amsterdam
    (default: TZ when it names a zone, else Europe/Amsterdam)."""

    @field_validator("lang")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        from kring.data.i18n import language_code

        return language_code(value) if value else None

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        if value in KRING_THEMES:
            return value
        from textual.theme import BUILTIN_THEMES  # only then: reports need no Textual

        if value not in BUILTIN_THEMES:
            raise ValueError(_("choose one of {choices} (or one of Textual's themes)").format(choices=', '.join(KRING_THEMES)))
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        value = value.strip()
        if not _is_zone(value):
            raise ValueError(_("not a time zone; give one by its name, e.g. Europe/Amsterdam"))
        return value

    @field_validator("shared_group")
    @classmethod
    def _group(cls, value: str | None) -> str | None:
        return (value or "").strip() or None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # command line (passed in) > environment > config file > defaults
        return init_settings, env_settings, _ConfigFile(settings_cls)


def _is_zone(name: str) -> bool:
    from kring.data.labels import is_zone  # one test, shared with the first frame's zone

    return is_zone(name)


def _system_zone() -> str:
    from kring.data.labels import system_zone  # the same fallback as the first frame's zone

    return system_zone()


_reading: ContextVar[tuple[dict[str, Any], Refusal]] = ContextVar("kring_config_file")


class _ConfigFile(PydanticBaseSettingsSource):
    """The config file as kring.tui.config read it (with tomllib, once)."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ hands over the whole table

    def __call__(self) -> dict[str, Any]:
        file, refuse = _reading.get()
        smtp = file.get("smtp")
        if isinstance(smtp, dict) and "password" in smtp:
            raise refuse(("smtp", "password"), _("the password never goes in the config file: set KRING_SMTP_PASSWORD in the environment"))
        return dict(file)


def build(cli: dict[str, Any], file: dict[str, Any], refuse: Refusal) -> Settings:
    """The one settings object from the command line's values, the environment and the
    config file's tables; `refuse` makes the one-line error for a value it cannot use."""
    token = _reading.set((file, refuse))
    try:
        settings = Settings(**cli)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise refuse(tuple(first["loc"]), _reason(first)) from None
    except SettingsError as exc:  # the environment's JSON for a table
        name = str(exc).split("field ", 1)[-1].split(" ", 1)[0].strip('"')
        raise refuse((name,), _('not valid JSON, e.g. {"agenda.next": "right"}')) from None
    finally:
        _reading.reset(token)
    taken = _taken_key(settings.keymap)
    if taken is not None:
        raise refuse(("keymap", taken[0]), taken[1])
    return settings


# Keys every screen needs for itself, and the bindings that may hold them: a keymap that
# gives one to another binding would take away quitting (or `?`) without a word.
_RESERVED = {"q": ("quit", "evaluate.quit", "evaluate.back_q"), "ctrl+q": ("quit", "notes.quit"),
             "ctrl+c": (), "question_mark": ("help",), "f1": ("help",)}
_DEFAULT_KEYS = {"quit": "q,ctrl+q", "notes.quit": "ctrl+q", "help": "question_mark,f1"}


def _keys(value: str) -> set[str]:
    return {"question_mark" if k.strip() == "?" else k.strip() for k in value.split(",")}


def _taken_key(keymap: dict[str, str]) -> tuple[str, str] | None:
    """(binding id, reason) for the first binding the keymap gives a key another binding needs."""
    for binding, value in keymap.items():
        for key in sorted(_keys(value) & _RESERVED.keys()):
            owners = _RESERVED[key]
            if binding in owners:
                continue
            held = [o for o in owners if key in _keys(keymap.get(o, _DEFAULT_KEYS.get(o, "")))]
            if owners and not held:
                continue  # its own binding moved it elsewhere: the key is free
            shown = "?" if key == "question_mark" else key
            need = _("the list of keys") if key in ("question_mark", "f1") else _("quitting")
            return binding, _("{key} is the key for {need}; choose another key for this binding").format(
                key=shown, need=need)
    return None


def _reason(error: Any) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "extra_forbidden":
        if len(loc) > 1 and loc[0] == "smtp":
            return _("not an SMTP setting (host, port, user, from)")
        return _("not a setting of kring ({choices})").format(choices=', '.join(_top_level_names()))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("must be a whole number")
    if kind == "string_type":
        return _('must be text in double quotes, e.g. "kring-light"')
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("must be a table of settings")
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return str(error["msg"]).lower()


def _top_level_names() -> list[str]:
    return [f.alias or name for name, f in Settings.model_fields.items()]
