"""What a person gives on the command line for a meeting: the participants' names, its
title and place, the note-taker's name. Checked through the text gate without the
store, so a start can refuse bad input (one line, exit 2) before it paints anything.
"""

from __future__ import annotations

from typing import Sequence

from kring.data.core.language import in_language
from kring.data.core.textgate import NAME_CHARS, PLACE_CHARS, TITLE_CHARS, check_line, clean_line
from kring.data.errors import InputError
from kring.data.i18n import _

MAX_AUTHOR_CHARS = 80


def clean_names(names: list[str]) -> list[str]:
    """Participant names as typed, through the text gate, refusing blanks and duplicates
    (case-insensitive, after NFC: "José" typed or pasted either way is one person)."""
    out: list[str] = []
    seen: dict[str, str] = {}
    for raw in names:
        name = clean_line(raw)
        if not name:
            raise InputError(_("a participant's name is empty"))
        name = check_line(name, _("participant name"), NAME_CHARS)
        if name.casefold() in seen:
            raise InputError(_("participant '{name}' is named twice").format(name=name))
        seen[name.casefold()] = name
        out.append(name)
    return out


def check_title(title: str | None) -> str | None:
    """A meeting's title as given (--title); None when none was given."""
    return check_line(title, "--title", TITLE_CHARS, required=False) or None if title is not None else None


def check_place(place: str | None) -> str:
    return check_line(place, "--place", PLACE_CHARS, required=False)


def meeting_title(title: str | None, format_data: dict) -> str:
    """The title a new meeting gets: the one given, else its work format's."""
    shown = in_language(format_data)
    return check_title(title) or clean_line(shown.get("title") or format_data["name"])[:TITLE_CHARS]


def clean_author(name: str | None) -> str:
    author = clean_line(name)
    if not author:
        raise InputError(_("--as: the note-taker's name is empty"))
    return check_line(author, _("--as: the name"), MAX_AUTHOR_CHARS)


def draft_key(author: str, role: str) -> str:
    """What the note being typed is kept under: one draft per author and client ("Sanne#notulist")."""
    return f"{author}#{role}"


def resolve_participant(names: Sequence[str], given: str) -> str:
    """A participant's name as stored, from what someone typed (`--as anouk`)."""
    typed = " ".join(given.split())
    if not typed:
        raise InputError(_("--as: the name is empty"))
    exact = [n for n in names if n.casefold() == typed.casefold()]
    if exact:
        return exact[0]
    starts = [n for n in names if n.casefold().split()[0] == typed.casefold()] or [
        n for n in names if n.casefold().startswith(typed.casefold())
    ]
    if len(starts) == 1:
        return starts[0]
    known = ", ".join(names) or "none"
    if len(starts) > 1:
        raise InputError(_("'{typed}' fits more than one participant: {choices}").format(typed=typed, choices=', '.join(starts)))
    raise InputError(_("'{typed}' is not a participant of this meeting (participants: {known})").format(typed=typed, known=known))
