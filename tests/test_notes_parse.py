"""Kinds from a short prefix, and an action's owner and due date, as typed."""

from __future__ import annotations

import pytest

from kring.data.core.clock import FakeClock
from kring.data.core.noteparse import MAX_NOTE_CHARS, compose, parse_note, split_kind

NAMES = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]
NOW = FakeClock().now()  # Friday 20 November 2026


@pytest.mark.parametrize(
    ("typed", "kind", "text"),
    [
        ("b: we starten in januari", "decision", "we starten in januari"),
        ("d: we start in January", "decision", "we start in January"),
        ("B:hoofdletter mag", "decision", "hoofdletter mag"),
        ("! we starten", "decision", "we starten"),
        ("i: samen sterker", "insight", "samen sterker"),
        ("v: wie betaalt?", "question", "wie betaalt?"),
        ("q: who pays?", "question", "who pays?"),
        ("? wie betaalt", "question", "wie betaalt"),
        ("p: later over de begroting", "parking", "later over de begroting"),
        ("c: samen ben je minder alleen", "quote", "samen ben je minder alleen"),
        ('"samen ben je minder alleen"', "quote", "samen ben je minder alleen"),
        ("besluit: voluit mag ook", "decision", "voluit mag ook"),
        ("Vraag: hoe verder?", "question", "hoe verder?"),
        ("gewone notitie", "note", "gewone notitie"),
        ("Let op: geen prefix", "note", "Let op: geen prefix"),
        ("x: onbekende letter", "note", "x: onbekende letter"),
        ("n: b: blijft gewoon", "note", "b: blijft gewoon"),
        ("mail jan@example.nl", "note", "mail jan@example.nl"),
    ],
)
def test_prefixes(typed, kind, text):
    note = parse_note(typed, NAMES, NOW)
    assert (note.kind, note.text, note.problems) == (kind, text, [])


def test_every_kind_takes_at_most_two_keystrokes():
    two_keys = {"b:": "decision", "a:": "action", "i:": "insight", "v:": "question", "p:": "parking",
                "c:": "quote", "n:": "note", "!": "decision", "?": "question", '"': "quote"}
    assert set(two_keys.values()) == {"note", "decision", "action", "insight", "question", "parking", "quote"}
    for prefix, kind in two_keys.items():
        assert len(prefix) <= 2
        assert parse_note(prefix + "tekst", NAMES, NOW).kind == kind


def test_action_owner_and_due_date():
    note = parse_note("a: Anouk belt de gemeente @Anouk vrijdag", NAMES, NOW)
    assert (note.kind, note.text, note.owner, note.due, note.problems) == (
        "action", "Anouk belt de gemeente", "Anouk", "2026-11-27", [])


@pytest.mark.parametrize(
    ("typed", "owner", "due"),
    [
        ("a: offerte @bram over twee weken", "Bram", "2026-12-04"),
        ("a: offerte @Bram", "Bram", None),
        ("a: offerte @fat 4 december", "Fatima", "2026-12-04"),
        ("a: offerte @Joris volgende week dinsdag", "Joris", "2026-11-24"),
        ("a: call the council @Lotte in 3 days", "Lotte", "2026-11-23"),
        ("actie: voluit @Anouk 2026-12-04", "Anouk", "2026-12-04"),
    ],
)
def test_action_owner_forms(typed, owner, due):
    note = parse_note(typed, NAMES, NOW)
    assert (note.owner, note.due, note.problems) == (owner, due, [])
    assert "@" not in note.text


def test_full_names_with_spaces_and_ambiguous_first_names():
    names = ["Anouk de Vries", "Anouk Smit", "Bram Jansen"]
    note = parse_note("a: belt @Anouk de Vries morgen", names, NOW)
    assert (note.owner, note.due) == ("Anouk de Vries", "2026-11-21")
    note = parse_note("a: belt @anouk_s morgen", names, NOW)
    assert note.owner == "Anouk Smit"
    note = parse_note("a: belt @bram morgen", names, NOW)
    assert note.owner == "Bram Jansen"
    note = parse_note("a: belt @Anouk morgen", names, NOW)
    assert note.owner is None
    assert "Anouk de Vries of Anouk Smit" in note.problems[0]


def test_unknown_owner_is_a_kind_message_and_the_text_is_kept():
    note = parse_note("a: belt de wethouder @Karel vrijdag", NAMES, NOW)
    assert note.owner is None
    assert note.problems == ["'Karel' is geen deelnemer van deze bijeenkomst (Anouk, Bram, Fatima, Joris, Lotte)"]
    assert note.text == "belt de wethouder @Karel vrijdag"  # nothing typed is lost


def test_unreadable_due_date_keeps_the_owner_and_the_text():
    note = parse_note("a: belt de wethouder @Anouk vrijdg", NAMES, NOW)
    assert note.owner == "Anouk" and note.due is None
    assert "'vrijdg' kan kring niet als datum lezen" in note.problems[0]
    assert note.text == "belt de wethouder @Anouk vrijdg"


def test_action_without_owner_is_saved_with_a_hint():
    note = parse_note("a: iemand moet bellen", NAMES, NOW)
    assert note.kind == "action" and note.owner is None
    assert "eigenaar" in note.problems[0]


def test_empty_notes():
    for typed in ("", "   ", "b:", "a: ", "!"):
        assert parse_note(typed, NAMES, NOW).empty


def test_emoji_and_right_to_left_text_are_kept_as_typed():
    typed = "i: 👍🏽 שלום عليكم — goed gesprek ✨"
    note = parse_note(typed, NAMES, NOW)
    assert (note.kind, note.text) == ("insight", "👍🏽 שלום عليكم — goed gesprek ✨")


def test_a_huge_paste_is_parsed_whole():
    text = "woord " * 20_000
    note = parse_note(text, NAMES, NOW)
    assert len(note.text) > MAX_NOTE_CHARS and note.kind == "note"


@pytest.mark.parametrize(
    "typed",
    [
        "b: we starten",
        "a: Anouk belt @Anouk 2026-11-27",
        "a: belt @Karel vrijdag",
        "gewoon",
        "n: b: blijft gewoon",
        "c: citaat",
        "p: later",
    ],
)
def test_compose_reads_back_the_same(typed):
    note = parse_note(typed, NAMES, NOW)
    again = parse_note(compose(note.kind, note.text, note.owner, note.due), NAMES, NOW)
    assert (again.kind, again.text, again.owner, again.due) == (note.kind, note.text, note.owner, note.due)


def test_split_kind_symbols():
    assert split_kind("!besloten") == ("decision", "besloten")
    assert split_kind("“mooi”") == ("quote", "mooi")
