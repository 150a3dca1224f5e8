"""Dutch by default, English on request, through gettext catalogs.

Source strings are English; `data/locale/nl/*.po` hold the Dutch, compiled
into one `kring.mo` (see `python -m kring.data.i18n compile`). Each area of the
app keeps its own .po so parallel work does not collide in one file.
"""

from __future__ import annotations

import gettext
import os
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("nl", "en")
DOMAIN = "kring"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_lang = "nl"


def language_code(value: str) -> str:
    """`en`, `en_GB.UTF-8`, `NL` … as one of LANGUAGES; ValueError names the choice."""
    code = value.split("_")[0].split(".")[0].lower()
    if code not in LANGUAGES:
        raise ValueError(f"choose one of {', '.join(LANGUAGES)}")
    return code


def choose_language(requested: str | None = None) -> str:
    """The asked language (the settings' `lang`: --lang, KRING_LANG or the config file),
    else an English locale; otherwise Dutch."""
    if requested:
        try:
            return language_code(requested)
        except ValueError as exc:
            from kring.data.errors import InputError

            raise InputError(f"--lang {requested}: {exc}") from None
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "nl"
    return "nl"


def setup(requested: str | None = None) -> str:
    global _translation, _lang
    _lang = choose_language(requested)
    if _lang == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_lang], fallback=True)
    return _lang


def current() -> str:
    return _lang


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def compile_catalogs() -> None:
    """Merge every nl/*.po into nl/LC_MESSAGES/kring.mo (with Babel)."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for lang_dir in sorted(p for p in LOCALE_DIR.iterdir() if p.is_dir()):
        merged = Catalog(locale=lang_dir.name, domain=DOMAIN)
        for po in sorted(lang_dir.glob("*.po")):
            with po.open("rb") as fh:
                for msg in read_po(fh, locale=lang_dir.name):
                    if not msg.id:
                        continue
                    old = merged.get(msg.id)
                    if old is not None and old.string != msg.string:
                        raise SystemExit(f"{po}: '{msg.id}' is translated differently elsewhere")
                    merged.add(msg.id, msg.string)
        out = lang_dir / "LC_MESSAGES" / f"{DOMAIN}.mo"
        out.parent.mkdir(exist_ok=True)
        with out.open("wb") as fh:
            write_mo(fh, merged, use_fuzzy=False)


if __name__ == "__main__":
    if sys.argv[1:] == ["compile"]:
        compile_catalogs()
    else:
        print("usage: python -m kring.data.i18n compile", file=sys.stderr)
        sys.exit(2)
