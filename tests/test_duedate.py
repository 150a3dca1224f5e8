"""Due dates typed naturally, in Dutch and English, read relative to the injected clock."""

from __future__ import annotations

import pytest

from kring.data.core.clock import FakeClock
from kring.data.core.duedate import DueDateError, parse_due
from kring.data.errors import InputError

# FakeClock's default moment: Friday 20 November 2026, 19:00 (+01:00)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Dutch
        ("vandaag", "2026-11-20"),
        ("morgen", "2026-11-21"),
        ("overmorgen", "2026-11-22"),
        ("vrijdag", "2026-11-27"),  # on a Friday, "vrijdag" is next week's
        ("maandag", "2026-11-23"),
        ("di", "2026-11-24"),
        ("volgende week dinsdag", "2026-11-24"),
        ("dinsdag volgende week", "2026-11-24"),
        ("volgende woensdag", "2026-11-25"),
        ("a.s. maandag", "2026-11-23"),
        ("uiterlijk donderdag", "2026-11-26"),
        ("over twee weken", "2026-12-04"),
        ("over 3 dagen", "2026-11-23"),
        ("over een maand", "2026-12-20"),
        ("volgende week", "2026-11-27"),
        ("volgende maand", "2026-12-20"),
        ("eind van de maand", "2026-11-30"),
        ("4 december", "2026-12-04"),
        ("4 dec", "2026-12-04"),
        ("4e december", "2026-12-04"),
        ("zaterdag 5 december", "2026-12-05"),
        ("3 januari", "2027-01-03"),  # past this year: next year's
        ("20 november", "2026-11-20"),  # today counts
        ("4-12", "2026-12-04"),
        ("4/12/2026", "2026-12-04"),
        ("4.12.26", "2026-12-04"),
        ("29 februari", "2028-02-29"),  # the next leap day
        # English
        ("today", "2026-11-20"),
        ("tomorrow", "2026-11-21"),
        ("friday", "2026-11-27"),
        ("Fri", "2026-11-27"),
        ("next tuesday", "2026-11-24"),
        ("tuesday next week", "2026-11-24"),
        ("next week tuesday", "2026-11-24"),
        ("in 3 days", "2026-11-23"),
        ("in two weeks", "2026-12-04"),
        ("in a week", "2026-11-27"),
        ("by friday", "2026-11-27"),
        ("end of the week", "2026-11-20"),
        ("december 4th", "2026-12-04"),
        ("Dec 4, 2026", "2026-12-04"),
        # ISO
        ("2026-12-04", "2026-12-04"),
        ("  2026-12-04  ", "2026-12-04"),
    ],
)
def test_reads_dutch_and_english(typed, expected):
    clock = FakeClock()
    assert parse_due(typed, clock.now()).isoformat() == expected


def test_relative_to_the_injected_clock_not_the_system_clock():
    clock = FakeClock("2030-03-06T10:00:00+01:00")  # a Wednesday
    assert parse_due("vrijdag", clock.now()).isoformat() == "2030-03-08"
    assert parse_due("over twee weken", clock.now()).isoformat() == "2030-03-20"
    clock.advance(minutes=24 * 60)
    assert parse_due("morgen", clock.now()).isoformat() == "2030-03-08"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("vrijdg", "'vrijdg' kan kring niet als datum lezen"),
        ("blabla", "'blabla' kan kring niet als datum lezen"),
        ("over veel weken", "kan kring niet als datum lezen"),
        ("31-11", "'31-11' staat niet op de kalender"),
        ("30 februari 2027", "staat niet op de kalender"),
        ("2025-01-01", "2025-01-01 ligt in het verleden"),
        ("2099-01-01", "meer dan tien jaar vooruit"),
        ("vrijdag 5 december", "2026-12-05 is een zaterdag"),
        ("", "de datum is leeg"),
        ("x" * 500, "kan kring niet als datum lezen"),
    ],
)
def test_an_unreadable_date_says_why_in_one_line(typed, reason):
    with pytest.raises(DueDateError) as caught:
        parse_due(typed, FakeClock().now())
    assert isinstance(caught.value, InputError)
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message and len(message) < 200
