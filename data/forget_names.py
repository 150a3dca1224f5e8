"""Matching a person's names in text: whole words, in any case, with or without
diacritics (NFC or NFD), and with a possessive ("Fatima's", "Brams").

The matching that `kring.data.forget` relies on, kept apart so it can be read and
tested on its own."""

from __future__ import annotations

import re
import unicodedata
from typing import Any


def _fold(text: str) -> tuple[str, list[int]]:
    """`text` in lower case without diacritics, and for each folded character the
    index of the character of `text` it came from (folding may change lengths)."""
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        for d in unicodedata.normalize("NFD", c):
            if unicodedata.combining(d):
                continue
            for f in d.casefold():
                out.append(f)
                where.append(i)
    return "".join(out), where


def fold(text: str) -> str:
    return _fold(" ".join(text.split()))[0]


class Scrubber:
    """Replaces a person's names, as whole words, in text and in JSON-like data.

    Matching is done on a folded copy (see `_fold`), so case, diacritics and
    NFC/NFD do not matter; the replacement is made in the text itself. Other
    members' full names are protected: forgetting "Fatima El Amrani" leaves
    "Fatima Bakker" whole."""

    def __init__(self, names: list[str], protected: list[str] = ()) -> None:
        self.folded = sorted({fold(n) for n in names if fold(n)}, key=len, reverse=True)
        words = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in self.folded)
        # a possessive stays with the name: Fatima's, Fatima’s, Brams, Joris'
        self.pattern = re.compile(r"(?<!\w)(?:" + words + r")(?P<pos>['’]s|['’]|s)?(?!\w)")
        shield = sorted({fold(n) for n in protected if fold(n)} - set(self.folded), key=len, reverse=True)
        self.shield = (re.compile(r"(?<!\w)(?:" + "|".join(
            r"\s+".join(re.escape(w) for w in n.split()) for n in shield) + r")(?!\w)") if shield else None)

    def is_name(self, value: Any) -> bool:
        return isinstance(value, str) and fold(value) in self.folded

    def text(self, value: str | None, placeholder: str) -> tuple[str | None, bool]:
        if not value:
            return value, False
        folded, where = _fold(value)
        hits = list(self.pattern.finditer(folded))
        if not hits:
            return value, False
        guarded = [m.span() for m in self.shield.finditer(folded)] if self.shield else []
        out, last = [], 0
        for m in hits:
            if any(a < m.end() and m.start() < b for a, b in guarded):
                continue
            start, end = where[m.start()], where[m.end() - 1] + 1
            while end < len(value) and unicodedata.combining(value[end]):
                end += 1  # an NFD letter's marks go with it
            pos = m.group("pos") or ""
            suffix = "" if not pos else ("'s" if pos == "s" else value[where[m.start("pos")]:end])
            out += [value[last:start], placeholder + suffix]
            last = end
        if last == 0:
            return value, False
        out.append(value[last:])
        return "".join(out), True

    def field(self, value: str | None, placeholder: str) -> tuple[str | None, bool]:
        """A field that holds a name (author, speaker, owner): the placeholder if it is theirs."""
        if self.is_name(value):
            return placeholder, True
        return self.text(value, placeholder)

    def data(self, value: Any, placeholder: str) -> tuple[Any, bool]:
        if isinstance(value, str):
            return self.text(value, placeholder)
        if isinstance(value, list):
            changed = False
            out = []
            for item in value:
                new, c = self.data(item, placeholder)
                out.append(new)
                changed |= c
            return out, changed
        if isinstance(value, dict):
            changed = False
            out_d = {}
            for key, item in value.items():
                new_key, ck = self.text(key, placeholder) if isinstance(key, str) else (key, False)
                new, c = self.data(item, placeholder)
                out_d[new_key] = new
                changed |= c or ck
            return out_d, changed
        return value, False
