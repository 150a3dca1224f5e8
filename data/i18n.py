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

# None until the first translation asks for the catalog of `_lang` (Dutch until setup().
# The command line calls setup() before anything it says; see kring.tui.cli).
_translation: gettext.NullTranslations | None = None
_lang = "nl"


def language_code(value: str) -> str:
    """`en`, `en_GB.UTF-8`, `NL` … as one of LANGUAGES; ValueError names the choice."""
    code = value.split("_")[0].split(".")[0].lower()
    if code not in LANGUAGES:
        raise ValueError(_("choose one of {choices}").format(choices=', '.join(LANGUAGES)))
    return code


def choose_language(requested: str | None = None) -> str:
    """The asked language (the settings' `lang`: --lang, KRING_LANG or the config file),
    else an English locale; otherwise Dutch."""
    if requested:
        try:
            return language_code(requested)
        except ValueError as exc:
            from kring.data.errors import InputError

            raise InputError(_("--lang {requested}: {exc}").format(requested=requested, exc=exc)) from None
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "nl"
    return "nl"


def setup(requested: str | None = None) -> str:
    """Choose the language; its catalog is read at the first translation, not here
    (the first frame of a meeting should not wait for it)."""
    global _translation, _lang
    _lang = choose_language(requested)
    _translation = None
    return _lang


def current() -> str:
    return _lang


def _catalog() -> gettext.NullTranslations:
    global _translation
    if _translation is None:
        if _lang == "en":
            _translation = gettext.NullTranslations()
        else:
            _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_lang], fallback=True)
    return _translation


def _(message: str) -> str:
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog().ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for it
    """Marks a message kept at import time (a module constant); `_()` translates it
    where it is shown, in the language chosen by then."""
    return message


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
