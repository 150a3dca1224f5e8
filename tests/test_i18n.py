"""Every interface string has its Dutch, and the compiled catalog matches the .po files."""

from __future__ import annotations

import gettext
import io

import pytest
from babel.messages.pofile import read_po

from kring.data import i18n
from tests.i18n_strings import marked_strings


def _po_messages() -> dict:
    """msgid -> Dutch; plural entries are (singular, plural) -> (one, many)."""
    out: dict = {}
    for po in sorted((i18n.LOCALE_DIR / "nl").glob("*.po")):
        with po.open("rb") as fh:
            for msg in read_po(fh, locale="nl"):
                if msg.id:
                    assert out.get(msg.id, msg.string) == msg.string, f"{po.name}: '{msg.id}' translated twice"
                    out[msg.id] = msg.string
    return out


def test_every_marked_string_has_a_dutch_translation():
    translated = _po_messages()
    singular = {k[0] if isinstance(k, tuple) else k: v for k, v in translated.items()}
    missing = [f"{where}: {msgid!r}" for msgid, where in marked_strings().items() if not singular.get(msgid)]
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_compiled_catalog_is_up_to_date():
    mo = i18n.LOCALE_DIR / "nl" / "LC_MESSAGES" / "kring.mo"
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for msgid, text in _po_messages().items():
        if isinstance(msgid, tuple):
            got = (compiled.ngettext(msgid[0], msgid[1], 1), compiled.ngettext(msgid[0], msgid[1], 2))
            assert got == tuple(text), f"kring.mo is stale for {msgid!r}: run python -m kring.data.i18n compile"
        else:
            assert compiled.gettext(msgid) == text, f"kring.mo is stale for {msgid!r}: run python -m kring.data.i18n compile"


def test_placeholders_survive_translation():
    import re

    for msgid, text in _po_messages().items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        texts = text if isinstance(text, (tuple, list)) else (text,)
        wanted = set(re.findall(r"{\w*}", ids[-1]))
        for t in texts:
            assert set(re.findall(r"{\w*}", t)) <= wanted | set(re.findall(r"{\w*}", ids[0])), msgid
            assert set(re.findall(r"{\w*}", t)) >= set(re.findall(r"{\w*}", ids[0])) - {"{n}"}, msgid


@pytest.mark.parametrize(
    ("env", "flag", "expected"),
    [
        ({}, None, "nl"),
        ({"LANG": "C.UTF-8"}, None, "nl"),
        ({"LANG": "en_GB.UTF-8"}, None, "en"),
        ({"LANG": "nl_BE.UTF-8"}, None, "nl"),
        ({"LANG": "en_US.UTF-8"}, "nl", "nl"),
        ({}, "en", "en"),
    ],
)
def test_language_choice(monkeypatch, env, flag, expected):
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "KRING_LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert i18n.choose_language(flag) == expected


def test_unknown_language_is_bad_input():
    from kring.data.errors import InputError

    with pytest.raises(InputError, match="--lang fr"):
        i18n.choose_language("fr")


def test_dutch_and_english_durations():
    from kring.data import labels

    try:
        i18n.setup("en")
        assert labels.words(6000) == "1 hour 40 minutes"
        i18n.setup("nl")
        assert labels.words(6000) == "1 uur 40 minuten"
        assert i18n._("Next") == "Volgende"
    finally:
        i18n.setup("nl")


def test_the_catalog_is_read_from_its_mo_file_once_then_kept(monkeypatch):
    """gettext reads a .mo entry by entry (milliseconds of every start): read once, kept
    as gettext read it in the user's cache folder until the .mo file changes."""
    parsed = []
    original = gettext.GNUTranslations._parse
    monkeypatch.setattr(gettext.GNUTranslations, "_parse", lambda self, fp: (parsed.append(1), original(self, fp)))
    monkeypatch.setattr(gettext, "_translations", {})  # gettext's own per-process memory

    def fresh():
        i18n.setup("nl")
        return i18n._("Next"), i18n.ngettext("expected %s argument", "expected %s arguments", 1), i18n.ngettext("expected %s argument", "expected %s arguments", 3)

    first = fresh()
    assert parsed == [1] and i18n._kept_file("nl").is_file()
    monkeypatch.setattr(gettext, "_translations", {})
    assert fresh() == first and parsed == [1]  # the kept catalog, the same words
    assert first[0] == "Volgende" and first[1] != first[2]

    stamp = i18n._stamp("nl")
    monkeypatch.setattr(i18n, "_stamp", lambda lang: (stamp[0] + 10**9, *stamp[1:]))  # a newer .mo: read again
    monkeypatch.setattr(gettext, "_translations", {})
    assert fresh() == first and parsed == [1, 1]
    monkeypatch.setattr(gettext, "_translations", {})
    assert fresh() == first and parsed == [1, 1]  # and kept for it
    i18n._kept_file("nl").write_bytes(b"not marshal data")  # damaged: read the .mo
    monkeypatch.setattr(gettext, "_translations", {})
    assert fresh() == first and parsed == [1, 1, 1]
    i18n.setup("nl")
