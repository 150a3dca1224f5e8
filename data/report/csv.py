"""A report as CSV: one file, one row per note, action and evaluation answer;
the `section` column says which (`note`, `action`, `consent`, `evaluation`).
A cell that starts with = + - @ tab or CR, also after leading blanks or line
breaks and in their full-width forms (＝ ＋ － ＠), gets a leading apostrophe so
a spreadsheet never runs it as a formula.

The separator is the one the report's language's spreadsheets expect: in Dutch
`;` with a decimal comma (a Dutch spreadsheet reads `,` as the decimal sign and
would put a whole row in one column), in English `,` with a decimal point."""

from __future__ import annotations

import csv
import io
from typing import Any, Callable

from kring.data.core.textgate import has_control, shown
from kring.data.trends import numeric

CSV_COLUMNS = (
    "section", "item", "kind", "text", "speaker", "author", "owner", "due", "status", "confidential", "at",
    "response", "participant", "question", "answer",
)
# what makes a spreadsheet read a cell as a formula (OWASP's list), the full-width
# signs too, which some spreadsheets fold to the ASCII ones; also after leading blanks
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


# the report's language -> (separator, decimal sign)
SEPARATORS = {"nl": (";", ","), "en": (",", ".")}


def separators(language: str | None) -> tuple[str, str]:
    """The field separator and decimal sign for a report in this language (English for an unknown one)."""
    return SEPARATORS.get(language or "", SEPARATORS["en"])


def csv_cell(value: Any, decimal: str = ".") -> Any:
    """A cell a spreadsheet shows as text: formulas are neutralised with a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        # a number we wrote ourselves: never a formula, even below zero ('-0,5')
        return str(value) if decimal == "." else str(value).replace(".", decimal)
    text = shown(value) if type(value) is not str or has_control(value) else value  # most cells are plain
    risky = text.startswith(_FORMULA_START) or text.lstrip().startswith(_FORMULA_START)
    return "'" + text if risky else text


def render_csv(report: dict[str, Any]) -> str:
    separator, decimal = separators(report.get("language"))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=separator, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    row: Callable[..., list[Any]] = lambda **kw: [csv_cell(kw.get(c), decimal) for c in CSV_COLUMNS]  # noqa: E731
    blank = ("", "", "", "")  # response, participant, question, answer: not a note's
    for n in report.get("notes", []):  # in CSV_COLUMNS' order, without a call per empty cell (all texts)
        action = n.get("kind") == "action"
        writer.writerow((
            "action" if action else "note", csv_cell(n.get("item")), csv_cell(n.get("kind")), csv_cell(n.get("text")),
            csv_cell(n.get("speaker")), csv_cell(n.get("author")), csv_cell(n.get("owner")) if action else "",
            csv_cell(n.get("due")) if action else "", csv_cell(n.get("status")) if action else "",
            "yes" if n.get("confidential") else "no", csv_cell(n.get("at")), *blank,
        ))
    for c in report["session"].get("consent") or []:
        writer.writerow(row(section="consent", kind="case-bringer", participant=c.get("name"),
                            answer="yes" if c.get("share") else "no", at=c.get("at")))
    ev = report.get("evaluation", {})
    for number, r in enumerate(ev.get("responses", []), start=1):
        for qid, answer in (r.get("answers") or {}).items():
            writer.writerow(row(
                section="evaluation", response=number, participant=r.get("participant"), at=r.get("at"),
                question=qid, answer=answer if numeric(answer) is not None else str(answer),
                kind="case-bringer" if r.get("case_bringer") else None,
            ))
    return buf.getvalue()
