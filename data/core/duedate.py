"""Due dates typed the way people say them, in Dutch or English.

    vandaag · morgen · overmorgen          today · tomorrow · day after tomorrow
    vrijdag · vr · volgende vrijdag        friday · fri · next friday
    volgende week dinsdag                  tuesday next week · next week tuesday
    over twee weken · over 3 dagen         in two weeks · in 3 days
    volgende week · volgende maand         next week · next month
    eind van de week · eind van de maand   end of the week · end of the month
    4 december · 4 dec 2026 · 4-12 · 4/12/2026 · 2026-12-04 · december 4

Everything is read relative to a moment handed in (the injected clock's `now`),
never the system clock. A weekday means the next one after today ("vrijdag" on a
Friday is a week later). A day and month without a year is the next such day,
today included. Anything else raises `DueDateError` with one line saying why.
"""

from __future__ import annotations

import re

import pendulum
from pendulum import Date, DateTime

from kring.data import i18n
from kring.data.errors import InputError
from kring.data.i18n import _

WEEKDAYS: dict[str, int] = {}
for _names, _day in (
    (("maandag", "ma", "monday", "mon"), 0),
    (("dinsdag", "di", "tuesday", "tue", "tues"), 1),
    (("woensdag", "wo", "wednesday", "wed"), 2),
    (("donderdag", "do", "thursday", "thu", "thur", "thurs"), 3),
    (("vrijdag", "vr", "vrij", "friday", "fri"), 4),
    (("zaterdag", "za", "saturday", "sat"), 5),
    (("zondag", "zo", "sunday", "sun"), 6),
):
    for _name in _names:
        WEEKDAYS[_name] = _day

MONTHS: dict[str, int] = {}
for _names, _month in (
    (("januari", "january", "jan"), 1),
    (("februari", "february", "feb"), 2),
    (("maart", "march", "mar", "mrt"), 3),
    (("april", "apr"), 4),
    (("mei", "may"), 5),
    (("juni", "june", "jun"), 6),
    (("juli", "july", "jul"), 7),
    (("augustus", "august", "aug"), 8),
    (("september", "sept", "sep"), 9),
    (("oktober", "october", "okt", "oct"), 10),
    (("november", "nov"), 11),
    (("december", "dec"), 12),
):
    for _name in _names:
        MONTHS[_name] = _month

NUMBERS = {
    "een": 1, "één": 1, "eén": 1, "a": 1, "an": 1, "one": 1,
    "twee": 2, "two": 2, "drie": 3, "three": 3, "vier": 4, "four": 4,
    "vijf": 5, "five": 5, "zes": 6, "six": 6, "zeven": 7, "seven": 7,
    "acht": 8, "eight": 8, "negen": 9, "nine": 9, "tien": 10, "ten": 10,
    "elf": 11, "eleven": 11, "twaalf": 12, "twelve": 12,
    "dertien": 13, "thirteen": 13, "veertien": 14, "fourteen": 14,
}

UNITS = {
    "dag": "days", "dagen": "days", "day": "days", "days": "days",
    "week": "weeks", "weken": "weeks", "weeks": "weeks",
    "maand": "months", "maanden": "months", "month": "months", "months": "months",
    "jaar": "years", "jaren": "years", "year": "years", "years": "years",
}

# Words that may stand before a date without changing it: "uiterlijk vrijdag", "by friday".
LEAD_WORDS = ("uiterlijk", "vóór", "voor", "tegen", "op", "per", "by", "before", "on", "due", "deadline")

MAX_AHEAD_YEARS = 10


class DueDateError(InputError):
    """A due date that cannot be read; the message says what was typed and what works."""


def _fail(text: str) -> DueDateError:
    return DueDateError(
        _("'{text}' is not a date kring can read (try: friday, in two weeks, 4 december, 2026-12-04)").format(
            text=text
        )
    )


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def _clean(text: str) -> str:
    words = text.casefold().replace(",", " ").split()
    while words and words[0].rstrip(":") in LEAD_WORDS:
        words = words[1:]
    cleaned = " ".join(words).rstrip(".!")
    # "a.s." (aanstaande) and ordinal endings: "4e", "4de", "4th", "1st"
    cleaned = cleaned.replace("a.s.", "aanstaande")
    return re.sub(r"\b(\d{1,2})(?:e|de|ste|st|nd|rd|th)\b", r"\1", cleaned)


def _weekday(word: str) -> int | None:
    return WEEKDAYS.get(word.rstrip("."))


def _next_weekday(today: Date, weekday: int) -> Date:
    ahead = (weekday - today.day_of_week) % 7 or 7
    return today.add(days=ahead)


def _day_month(today: Date, day: int, month: int, year: int | None, typed: str) -> Date:
    if year is not None and year < 100:
        year += 2000
    try:
        if year is not None:
            return Date(year, month, day)
        found = Date(today.year, month, day) if _valid(today.year, month, day) else None
        if found is None or found < today:
            # the next such day: this year if still ahead, else next year (29 February: the next leap year)
            for y in range(today.year + 1, today.year + 9):
                if _valid(y, month, day):
                    return Date(y, month, day)
            raise ValueError
        return found
    except ValueError:
        raise DueDateError(_("'{text}' is not a day of the calendar").format(text=typed)) from None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        Date(year, month, day)
    except ValueError:
        return False
    return True


def _read(text: str, today: Date, typed: str) -> Date:  # noqa: C901 - one grammar, read top to bottom
    words = text.split()
    n = len(words)

    if text in ("vandaag", "today", "vanavond", "tonight"):
        return today
    if text in ("morgen", "tomorrow"):
        return today.add(days=1)
    if text in ("overmorgen", "day after tomorrow", "the day after tomorrow"):
        return today.add(days=2)

    # a weekday, alone or with volgende/komende/aanstaande/deze/next/this before it
    if n == 1 and _weekday(words[0]) is not None:
        return _next_weekday(today, _weekday(words[0]))  # type: ignore[arg-type]
    if n == 2 and words[0] in ("volgende", "komende", "aanstaande", "deze", "next", "this", "coming") \
            and _weekday(words[1]) is not None:
        return _next_weekday(today, _weekday(words[1]))  # type: ignore[arg-type]
    if n == 2 and words[1] == "aanstaande" and _weekday(words[0]) is not None:
        return _next_weekday(today, _weekday(words[0]))  # type: ignore[arg-type]

    # a weekday of next week: "volgende week dinsdag", "dinsdag volgende week", "next week tuesday"
    if n == 3:
        for week_words, day_word in ((words[:2], words[2]), (words[1:], words[0])):
            if week_words in (["volgende", "week"], ["next", "week"], ["komende", "week"]) \
                    and _weekday(day_word) is not None:
                monday = today.subtract(days=today.day_of_week).add(weeks=1)
                return monday.add(days=_weekday(day_word))  # type: ignore[arg-type]

    if text in ("volgende week", "next week", "komende week"):
        return today.add(weeks=1)
    if text in ("volgende maand", "next month", "komende maand"):
        return today.add(months=1)
    if text in ("eind van de week", "einde van de week", "eind deze week", "einde week", "eind van deze week",
                "end of the week", "end of week", "end of this week"):
        return today.add(days=(4 - today.day_of_week) % 7)
    if text in ("eind van de maand", "einde van de maand", "eind deze maand", "einde maand", "eind van deze maand",
                "end of the month", "end of month", "end of this month"):
        return today.end_of("month")

    # "over twee weken", "in 3 days", "binnen een maand", "2 weeks", "3 dagen"
    m = re.fullmatch(r"(?:(?:over|in|binnen|within)\s+)?(\S+)\s+(\S+?)(?:\s+(?:from now|vanaf nu|van nu))?", text)
    if m and m.group(2) in UNITS:
        count = _number(m.group(1))
        if count is None:
            raise _fail(typed)
        return today.add(**{UNITS[m.group(2)]: count})

    # ISO: 2026-12-04
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        return _day_month(today, int(m.group(3)), int(m.group(2)), int(m.group(1)), typed)

    # day-month(-year) with - / or . : 4-12, 4/12/2026, 4.12.26
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2}|\d{4}))?", text)
    if m:
        year = int(m.group(3)) if m.group(3) else None
        return _day_month(today, int(m.group(1)), int(m.group(2)), year, typed)

    # "4 december [2026]", "december 4 [2026]", with an optional weekday in front: "vrijdag 4 december"
    said_weekday = None
    if words and _weekday(words[0]) is not None and n >= 3:
        said_weekday, words = _weekday(words[0]), words[1:]
    if len(words) in (2, 3):
        day_word, month_word = (words[0], words[1]) if words[0].isdigit() else (words[1], words[0])
        month = MONTHS.get(month_word.rstrip("."))
        if month is not None and day_word.isdigit():
            year = None
            if len(words) == 3:
                if not words[2].isdigit():
                    raise _fail(typed)
                year = int(words[2])
            found = _day_month(today, int(day_word), month, year, typed)
            if said_weekday is not None and found.day_of_week != said_weekday:
                raise DueDateError(
                    _("'{text}': {date} is a {weekday}").format(
                        text=typed, date=found.isoformat(), weekday=found.format("dddd", locale=i18n.current())
                    )
                )
            return found

    raise _fail(typed)


def parse_due(text: str, now: DateTime | Date) -> Date:
    """The day `text` names, read relative to `now` (the injected clock's moment).

    Raises DueDateError (an InputError) with one kind line when it cannot.
    """
    typed = " ".join(text.split())
    if not typed:
        raise DueDateError(_("the due date is empty"))
    if len(typed) > 60:
        raise _fail(typed[:40] + "…")
    today = now.date() if isinstance(now, DateTime) else now
    if not isinstance(today, Date):
        today = pendulum.date(today.year, today.month, today.day)
    try:
        found = _read(_clean(typed), today, typed)
    except (ValueError, OverflowError):  # "over 99999999 dagen", a digit int() cannot read ("²")
        raise _fail(typed) from None
    if found < today:
        raise DueDateError(_("{date} is in the past").format(date=found.isoformat()))
    if found.year > today.year + MAX_AHEAD_YEARS:
        raise DueDateError(_("{date} is more than ten years ahead").format(date=found.isoformat()))
    return found
