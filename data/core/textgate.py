"""The one gate for text: what a person or a file gives kring, and what kring prints.

Text from outside (names, titles, places, notes, answers, YAML after decoding)
passes `clean_line` or `clean_block` where it enters kring; `check_line` adds the
length limit of its field; a paste from the terminal passes `clean_pasted`, which
takes an escape sequence in it whole (copied output: a colour, a window title).
Text that leaves kring for a terminal or a file passes `shown` (or `shown_tree`
for a whole report) where it is printed, so even text stored by an older kring,
or written into the store by hand, cannot drive anyone's terminal.

Removed: C0 and C1 control characters (escape sequences: colours, OSC 52 writing
a clipboard, `ESC c` resetting the terminal), DEL, lone surrogates, and the
Unicode direction overrides, embeddings and isolates (U+202A–U+202E,
U+2066–U+2069) that make text read differently from what it is. Kept: every
letter, emoji (with its joiners) and the right-to-left marks a Hebrew or Arabic
name needs. Text is normalised to NFC, so "José" typed or pasted either way is
one name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from kring.data.errors import InputError
from kring.data.i18n import _

# the field limits people meet on the command line and in the screens
TITLE_CHARS = 120
PLACE_CHARS = 120
NAME_CHARS = 80

_BIDI = "\u202a-\u202e\u2066-\u2069"  # overrides, embeddings, isolates
# what a terminal would obey, plus what no encoder can write (lone surrogates)
_SHOWN_DROP = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")  # newline and tab kept
# The gate's other patterns are compiled where first used (Python compiles a pattern
# in Python, a millisecond for these four): every start shows text, few take any in.
_PATTERNS = {
    "drop_line": f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]",
    "drop_block": f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]",  # newline kept
    "line_breaks": "\r\n|[\r\u2028\u2029\x85\x0b\x0c]",
    "terminal": "[\x00-\x08\x0b-\x1f\x7f-\x9f]",
    # an escape sequence whole: CSI (7- or 8-bit), OSC and the other strings up to their
    # end (BEL, ST) or the next ESC, or ESC and one character
    "sequence": "(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\\]P^_X]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\\\|\x9c)?|\x1b[ -~]",
}


@cache
def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(_PATTERNS[name])


def clean_line(text: str | None) -> str:
    """One line of text (a name, a title): controls gone, whitespace runs one space, NFC."""
    text = unicodedata.normalize("NFC", text or "")
    text = _pattern("line_breaks").sub(" ", text).replace("\n", " ").replace("\t", " ")
    return " ".join(_pattern("drop_line").sub("", text).split())


def clean_block(text: str | None) -> str:
    """Text that may have several lines (a note, an answer): line breaks become \\n, a tab a
    space, other controls go; spaces are kept as typed. NFC."""
    text = unicodedata.normalize("NFC", text or "")
    text = _pattern("line_breaks").sub("\n", text).replace("\t", " ")
    return _pattern("drop_block").sub("", text)


def clean_pasted(text: str | None) -> str:
    """A paste from the terminal (copied terminal output may hold colours, a window title):
    each escape sequence goes whole, not only its ESC, then `clean_block`."""
    return clean_block(_pattern("sequence").sub("", text or ""))


def check_line(text: str | None, field: str, limit: int, *, required: bool = True) -> str:
    """`clean_line`, refusing an empty value (when required) and one longer than `limit`,
    in one line that names the field."""
    value = clean_line(text)
    if required and not value:
        raise InputError(_("{field} is empty").format(field=field))
    if len(value) > limit:
        raise InputError(_("{field} '{value}…' is longer than {limit} characters ({length})").format(
            field=field, value=value[:20], limit=limit, length=len(value)))
    return value


def shown(text: Any) -> str:
    """Text on its way out (a terminal, a report file): nothing a terminal would obey.
    A carriage return (which could overwrite a line on screen) becomes a line break."""
    text = str(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _SHOWN_DROP.sub("", text)


_PLAIN = frozenset((int, float, bool, type(None)))  # leaves with no text in them


def shown_tree(value: Any) -> Any:
    """`shown` for every text in a report's dicts and lists (keys too)."""
    if isinstance(value, str):
        return shown(value) if _SHOWN_DROP.search(value) else value
    if isinstance(value, dict):
        # the leaves are looked at here, not in a call each: a report has some
        # hundred thousand of them (every field of every note)
        search, out = _SHOWN_DROP.search, {}
        for k, v in value.items():
            if type(k) is str:
                if search(k):
                    k = shown(k)
            else:
                k = shown_tree(k)
            kind = type(v)
            if kind is str:
                if search(v):
                    v = shown(v)
            elif kind not in _PLAIN:
                v = shown_tree(v)
            out[k] = v
        return out
    if isinstance(value, list):
        return [shown_tree(v) if type(v) is not str or _SHOWN_DROP.search(v) else v for v in value]
    if isinstance(value, tuple):
        return tuple(shown_tree(v) for v in value)
    return value


def shown_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`shown_tree` for many flat records with kring's own keys (a report's notes):
    one search over all their texts at once, and the records as they are when
    none holds anything the gate removes, which is nearly always."""
    texts = "\n".join([v for r in records for v in r.values() if type(v) is str])
    return shown_tree(records) if _SHOWN_DROP.search(texts) else records


def has_control(text: str) -> bool:
    """Whether `text` holds anything the gate removes (newline and tab aside)."""
    return _SHOWN_DROP.search(text) is not None


def has_terminal_control(text: str) -> bool:
    """Whether `text` holds a control character a terminal would obey (newline and tab aside):
    a file with one is refused rather than quietly changed."""
    return _pattern("terminal").search(text) is not None
