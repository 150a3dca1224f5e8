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

from kring.data.folders import cache_dir, keep_cached

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
            _translation = _kept(_lang) or gettext.translation(DOMAIN, LOCALE_DIR, languages=[_lang], fallback=True)
            _keep(_lang, _translation)
    return _translation


# gettext reads a catalog entry by entry in Python: some 2.5 ms of every start, the
# first frame's too. What it read is kept in the user's cache folder as marshal data
# (a tenth of that to load), keyed by the .mo file's time and size and this Python.


def _mo_file(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _kept_file(lang: str) -> Path:
    return cache_dir() / f"catalog-{lang}.marshal"


def _stamp(lang: str) -> tuple:
    st = _mo_file(lang).stat()
    return st.st_mtime_ns, st.st_size, sys.version_info[:2]


def _kept(lang: str) -> gettext.GNUTranslations | None:
    """The catalog as gettext read it last time, when the .mo file is unchanged since; else None."""
    import marshal

    try:
        stamp, catalog, charset, plural = marshal.loads(_kept_file(lang).read_bytes())
        if tuple(stamp) != _stamp(lang) or not isinstance(catalog, dict) or not isinstance(plural, str):
            return None
        kept = gettext.GNUTranslations()
        kept._catalog, kept._charset = catalog, charset  # type: ignore[attr-defined]
        kept._info = {"plural-forms": plural} if plural else {}  # type: ignore[attr-defined]
        if plural:
            kept.plural = gettext.c2py(plural.split(";")[1].split("plural=")[1])  # as gettext reads it
        kept._kept = True  # type: ignore[attr-defined]
        return kept
    except Exception:  # noqa: BLE001 - no cache, another Python's, damaged: read the .mo
        return None


def _keep(lang: str, translation: gettext.NullTranslations) -> None:
    """Keep a catalog just read from its .mo file for the next start (once per change of the file)."""
    import marshal

    if not isinstance(translation, gettext.GNUTranslations) or getattr(translation, "_kept", False):
        return
    translation._kept = True  # type: ignore[attr-defined]
    try:
        file = _kept_file(lang)
        data = marshal.dumps((_stamp(lang), translation._catalog, translation._charset,  # type: ignore[attr-defined]
                              translation._info.get("plural-forms", "")))  # type: ignore[attr-defined]
        keep_cached(file, data)
    except Exception:  # noqa: BLE001 - no cache (a read-only folder, no home): the .mo is read next time too
        pass


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
