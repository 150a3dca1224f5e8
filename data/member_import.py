"""Members of a network from a CSV file: name, e-mail, learning question(s).

A spreadsheet's export may use commas or semicolons (Dutch spreadsheets do) and
may start with a header row. Every line is checked before anything is stored:
each bad line is one message naming the file and line, and then nothing is
imported, so a fixed file can simply be imported again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from kring.data.core.clock import Clock
from kring.data.errors import InputError
from kring.data.networks import add_member, check_email, clean_list, clean_name, get_network, network_id_by_name
from kring.data.store import Store
from kring.data.i18n import _

HEADER_WORDS = {"name", "naam", "lid", "member"}


@dataclass
class MemberRow:
    line: int
    name: str
    email: str
    questions: list[str] = field(default_factory=list)


def read_members(text: str, file: str) -> tuple[list[MemberRow], list[str]]:
    """The rows, and one message per bad line."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # what the first line is split by; a comma if nothing
    rows: list[MemberRow] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() in HEADER_WORDS:
            continue
        try:
            name = clean_name(cells[0], _("member's name"))
            email = check_email(cells[1] if len(cells) > 1 else "")
            questions = clean_list(cells[2:], _("learning question"))
        except InputError as exc:
            problems.append(f"{file}:{number}: {exc}")
            continue
        if name.casefold() in seen:
            problems.append(_("{file}:{number}: '{name}' is already on line {seen}").format(file=file, number=number, name=name, seen=seen[name.casefold()]))
            continue
        seen[name.casefold()] = number
        rows.append(MemberRow(number, name, email, questions))
    return rows, problems


def import_members(store: Store, network: str | int, text: str, file: str, clock: Clock) -> tuple[int, list[str]]:
    """Add every member of the file, or none: (how many were added, warnings). An InputError lists the bad lines."""
    network_id = network if isinstance(network, int) else network_id_by_name(store, network)
    info = get_network(store, network_id)
    rows, problems = read_members(text, file)
    known = {m.name.casefold() for m in info.members}
    problems += [_("{file}:{line}: '{name}' is already a member of '{network}'").format(
        file=file, line=r.line, name=r.name, network=info.name)
                 for r in rows if r.name.casefold() in known]
    if problems:
        raise ImportProblems(problems)
    if not rows:
        raise InputError(_("{file}: no members in it (one a line: name, e-mail, learning question)").format(file=file))
    warnings: list[str] = []
    for r in rows:
        warnings = add_member(store, network_id, r.name, clock, email=r.email, questions=r.questions) or warnings
    return len(rows), warnings


class ImportProblems(InputError):
    """Bad lines: one message each; nothing was imported."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems[0])
