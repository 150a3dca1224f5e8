"""Reading what the note-taker types: the kind prefix, and an action's owner and due date.

The syntax, kept short so a kind costs at most two keystrokes:

    b: or d:   decision (besluit)         !  decision
    a:         action (actiepunt)
    i:         insight (inzicht)
    v: or q:   open question (vraag)      ?  open question
    p:         parking lot (parkeerplaats)
    c:         quote (citaat)             "  quote
    n:         plain note (the default; use it to start a note with "x:" literally)

The full words work too ("besluit:", "actie:", "decision:", …). An action names
its owner and due date at the end, after an @:

    a: Anouk belt de gemeente @Anouk vrijdag
    a: offerte opvragen @bram over twee weken
    a: verslag rondsturen @Anouk de Vries 4 december

The owner is a participant: a full name, a first name, or the start of a name
(underscores stand for spaces: @anouk_s). What follows the name is the due date
(see duedate.py). Whatever cannot be read stays in the note's text, so nothing
typed is lost, and `problems` says kindly what was not understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from pendulum import Date, DateTime

from kring.data.core.textgate import clean_block
from kring.data import i18n
from kring.data.core.duedate import DueDateError, parse_due
from kring.data.i18n import _

KINDS = ("note", "decision", "action", "insight", "question", "parking", "quote")

LETTERS = {
    "b": "decision", "d": "decision",
    "a": "action",
    "i": "insight",
    "v": "question", "q": "question",
    "p": "parking",
    "c": "quote",
    "n": "note",
}
WORDS = {
    "besluit": "decision", "decision": "decision", "besloten": "decision",
    "actie": "action", "actiepunt": "action", "action": "action", "todo": "action",
    "inzicht": "insight", "insight": "insight",
    "vraag": "question", "question": "question",
    "parkeer": "parking", "parkeerplaats": "parking", "parking": "parking", "parkeren": "parking",
    "citaat": "quote", "quote": "quote",
    "notitie": "note", "note": "note",
}
SYMBOLS = {"!": "decision", "?": "question", '"': "quote", "“": "quote", "„": "quote"}

# the letter a kind is typed with, per language (what the hint line and an edit show)
PREFIX = {"decision": "b", "action": "a", "insight": "i", "question": "v", "parking": "p", "quote": "c", "note": ""}
PREFIX_EN = {"decision": "d", "action": "a", "insight": "i", "question": "q", "parking": "p", "quote": "c", "note": ""}

# A note is short; a longer text is almost always a paste by mistake.
MAX_NOTE_CHARS = 20_000

_PREFIX_RE = re.compile(r"^\s*([^\W\d_]+)\s*:\s?", re.UNICODE)
_MENTION_RE = re.compile(r"(?:^|(?<=\s))@")


@dataclass
class ParsedNote:
    kind: str
    text: str  # what is stored as the note's text (prefix and a readable @owner due left out)
    owner: str | None = None
    due: str | None = None  # ISO date
    problems: list[str] = field(default_factory=list)  # kind, one-line explanations
    owner_typed: str | None = None
    due_typed: str | None = None

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def split_kind(typed: str) -> tuple[str, str]:
    """(kind, rest): the kind a prefix names, and the text after it."""
    stripped = typed.lstrip()
    if not stripped:
        return "note", ""
    m = _PREFIX_RE.match(stripped)
    if m:
        word = m.group(1).casefold()
        kind = LETTERS.get(word) if len(word) == 1 else WORDS.get(word)
        if kind is not None:
            return kind, stripped[m.end():].lstrip()
    first = stripped[0]
    if first in SYMBOLS:
        kind = SYMBOLS[first]
        rest = stripped[1:].lstrip()
        if kind == "quote" and rest[-1:] in ('"', "”", "“"):
            rest = rest[:-1].rstrip()
        return kind, rest
    return "note", stripped


def match_participant(typed: str, names: Sequence[str]) -> tuple[str | None, str | None]:
    """(name, problem): the participant `typed` means, or why it is not clear."""
    want = " ".join(typed.replace("_", " ").split()).casefold()
    if not want:
        return None, _("say whose action it is after the @ (for example @{name})").format(
            name=names[0].split()[0] if names else "Anouk"
        )
    exact = [n for n in names if n.casefold() == want]
    if exact:
        return exact[0], None
    first = [n for n in names if n.split()[0].casefold() == want]
    if len(first) == 1:
        return first[0], None
    starts = [n for n in names if n.casefold().startswith(want)] if len(first) == 0 else first
    if len(starts) == 1:
        return starts[0], None
    if len(starts) > 1:
        return None, _("'{typed}' could be {names}: type more of the name").format(
            typed=typed, names=_(" or ").join(starts)
        )
    return None, _("'{typed}' is not a participant of this meeting ({names})").format(
        typed=typed, names=", ".join(names[:8]) + (", …" if len(names) > 8 else "") or "-"
    )


def _owner_and_rest(tail: str, names: Sequence[str]) -> tuple[str, str]:
    """Split what follows the @ into the owner as typed and the rest (the due date)."""
    folded = tail.casefold()
    # a full name with spaces wins when it is typed out: "@Anouk de Vries vrijdag"
    for name in sorted(names, key=len, reverse=True):
        n = name.casefold()
        if folded.startswith(n) and (len(folded) == len(n) or folded[len(n)].isspace()):
            return tail[: len(n)], tail[len(n):].strip()
    parts = tail.split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def parse_note(typed: str, names: Sequence[str], now: DateTime | Date) -> ParsedNote:
    """Read a typed note. Never raises: problems are listed and the text kept."""
    typed = clean_block(typed).strip()  # the text gate: what is shown is what is stored
    kind, rest = split_kind(typed)
    note = ParsedNote(kind=kind, text=rest.strip())
    if kind != "action":
        return note
    mentions = list(_MENTION_RE.finditer(rest))
    if not mentions:
        if rest.strip():
            note.problems.append(_("an action needs an owner: end it with @name and a date (@Anouk friday)"))
        return note
    at = mentions[-1].start()
    base, tail = rest[:at].rstrip(), rest[at + 1:].strip()
    owner_typed, due_typed = _owner_and_rest(tail, names)
    note.owner_typed, note.due_typed = owner_typed, due_typed or None
    owner, owner_problem = match_participant(owner_typed, names)
    due, due_problem = None, None
    if due_typed:
        try:
            due = parse_due(due_typed, now).isoformat()
        except DueDateError as exc:
            due_problem = str(exc)
    if owner_problem:
        note.problems.append(owner_problem)
    if due_problem:
        note.problems.append(due_problem)
    note.owner, note.due = owner, due
    if owner_problem or due_problem or not base:
        # keep the @… part in the text: what could not be read is not lost
        note.text = rest.strip()
    else:
        note.text = base
    return note


def compose(kind: str, text: str, owner: str | None = None, due: str | None = None) -> str:
    """What to put back in the input to edit a stored note (parse_note reads it back the same)."""
    letter = (PREFIX_EN if i18n.current() == "en" else PREFIX).get(kind, "")
    if letter:
        out = f"{letter}: {text}"
    elif split_kind(text) != ("note", text.strip()):
        out = f"n: {text}"  # a plain note that happens to start like a prefix stays plain
    else:
        out = text
    if kind == "action" and owner:
        out += f" @{owner}" + (f" {due}" if due else "")
    return out
