"""Hostile input, property-based: whatever goes in, only the documented error comes out.

Hypothesis feeds the work-format and form loaders arbitrary bytes, arbitrary YAML
documents and damaged copies of the built-in files; the note parser arbitrary
typing; the due-date parser arbitrary text. Each must return a result or raise
its documented error (FormatError, DueDateError) with one line; nothing else.
KRING_HYPOTHESIS_EXAMPLES sets the examples per property (default 1000).
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path

import pendulum
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kring.data.core.duedate import MAX_AHEAD_YEARS, DueDateError, parse_due
from kring.data.core.noteparse import KINDS, compose, parse_note
from kring.data.core.textgate import clean_block
from kring.workformats.forms import BUILTIN_FORMS_DIR, EvaluationForm, load_form
from kring.workformats.loader import BUILTIN_DIR, FormatError, load_file
from kring.workformats.schema import WorkFormat
from tests.crashdriver import say

EXAMPLES = int(os.environ.get("KRING_HYPOTHESIS_EXAMPLES", "1000"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.filter_too_much])
TRIED: Counter[str] = Counter()
WORK = Path(tempfile.mkdtemp(prefix="kring-hostile-"))  # mode 0700

BUILTIN_FORMATS = [p.read_bytes() for p in sorted(BUILTIN_DIR.glob("*.yaml"))]
BUILTIN_FORMS = [p.read_bytes() for p in sorted(BUILTIN_FORMS_DIR.glob("*.yaml"))]
NOW = pendulum.datetime(2026, 11, 20, 19, 30, tz="Europe/Amsterdam")


@pytest.fixture(scope="module", autouse=True)
def _figures(request):
    yield
    if TRIED:
        say(request, "hostile properties: " + ", ".join(f"{n} {what}" for what, n in sorted(TRIED.items())))


def load_bytes(kind: str, raw: bytes) -> object:
    path = WORK / f"input-{kind}.yaml"
    path.write_bytes(raw)
    TRIED[f"{kind} files"] += 1
    try:
        result = load_file(path) if kind == "format" else load_form(path)
    except FormatError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message, repr(message)
        assert message.startswith(str(path)), message
        assert len(message) < len(str(path)) + 300, message
        return exc
    assert isinstance(result, WorkFormat if kind == "format" else EvaluationForm)
    return result


# --- the loaders ------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(["round", "open", "case", "roti", "scale", "choice", "Inchecken", ""]),
    st.dates().map(str),
)
keys = st.one_of(st.sampled_from(["name", "title", "source", "steps", "minutes", "mode", "questions", "id", "text",
                                  "type", "min", "max", "choices", "labels", "loop_to", "prompts", "silent",
                                  "confidential", "case_bringer_only", "low", "high"]), st.text(max_size=10))
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
                         max_leaves=25)


def _dump(data: object) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8", errors="surrogatepass")


@pytest.mark.parametrize("kind", ["format", "form"])
@PROPERTY
@given(raw=st.binary(max_size=2000))
@example(raw=b"\xef\xbb\xbf")
@example(raw=b"!!python/object/apply:os.system [true]")
@example(raw=b"- " * 500)
def test_any_bytes(kind, raw):
    load_bytes(kind, raw)


@pytest.mark.parametrize("kind", ["format", "form"])
@PROPERTY
@given(text=st.text(max_size=500))
def test_any_text(kind, text):
    load_bytes(kind, text.encode("utf-8", errors="surrogatepass"))


@pytest.mark.parametrize("kind", ["format", "form"])
@PROPERTY
@given(data=documents)
@example(data={"\n": None})  # an unknown key with a line break, named in the one-line reason
@example(data={"title": "x", "\x1b[31m": 1})
def test_any_yaml_document(kind, data):
    load_bytes(kind, _dump(data))


def _damage(raw: bytes, data: st.DataObject) -> bytes:
    """A built-in file with a few bytes changed, removed or put in."""
    out = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 6))):
        where = data.draw(st.integers(0, max(0, len(out) - 1)))
        what = data.draw(st.sampled_from(["flip", "cut", "insert", "indent"]))
        if what == "flip" and out:
            out[where] = data.draw(st.integers(0, 255))
        elif what == "cut":
            del out[where:where + data.draw(st.integers(1, 40))]
        elif what == "insert":
            out[where:where] = data.draw(st.sampled_from([b"&a ", b"*a", b"!!python/name:os.system ", b"\t",
                                                          b"[", b"{", b"- ", b": ", b"'", b'"', b"\n  - ",
                                                          b"9" * 5000, b"2026-99-99", b"\xc3", b"~"]))
        else:
            out[where:where] = b"    "
    return bytes(out)


@pytest.mark.parametrize("kind", ["format", "form"])
@PROPERTY
@given(data=st.data())
def test_damaged_builtin_files(kind, data):
    originals = BUILTIN_FORMATS if kind == "format" else BUILTIN_FORMS
    raw = data.draw(st.sampled_from(originals))
    load_bytes(kind, _damage(raw, data))


def test_builtin_files_load_untouched():
    for raw in BUILTIN_FORMATS:
        assert isinstance(load_bytes("format", raw), WorkFormat)
    for raw in BUILTIN_FORMS:
        assert isinstance(load_bytes("form", raw), EvaluationForm)


# --- the note parser -----------------------------------------------------------------------------

names = st.lists(st.text(min_size=1, max_size=20).map(lambda s: " ".join(s.split())).filter(bool),
                 max_size=6, unique_by=str.casefold)
realistic_names = st.lists(
    st.from_regex(r"[A-Z][a-zé'-]{1,10}( (de|van|el|van der))?( [A-Z][a-z]{2,10})?", fullmatch=True),
    min_size=1, max_size=6, unique_by=str.casefold)
pieces = st.sampled_from(["a:", "b:", "actie:", "besluit:", "@", "@Anouk", " ", "vrijdag", "over twee weken", "n:",
                          "!", "?", '"', "x", "@anouk_de", "\n", "Anouk de Vries", ":", "99999999 dagen", "²",
                          "\u202e", "👩‍👩‍👧", "\x1b[2J"])
typed = st.lists(pieces | st.text(max_size=8), max_size=10).map("".join)


@PROPERTY
@given(text=typed, people=names | st.just(["Anouk de Vries", "Anouk", "Bram"]),
       now=st.datetimes(min_value=pendulum.datetime(2000, 1, 1).naive(),
                        max_value=pendulum.datetime(2090, 1, 1).naive()).map(pendulum.instance))
def test_note_parser_never_fails(text, people, now):
    TRIED["typed notes"] += 1
    parsed = parse_note(text, people, now)
    assert parsed.kind in KINDS
    assert all("\n" not in p for p in parsed.problems)
    if parsed.owner is not None:
        assert parsed.owner in people
    if parsed.due is not None:
        pendulum.parse(parsed.due)
    if parsed.problems and parsed.kind == "action":
        assert "@" in parsed.text or not parsed.text.strip() or "@" not in text  # what could not be read stays


@PROPERTY
@given(kind=st.sampled_from(KINDS),  # a stored note has passed the text gate
       text=st.text(max_size=40).map(clean_block).map(str.strip).filter(lambda t: t and "@" not in t),
       people=realistic_names, with_owner=st.booleans(),
       due=st.dates(min_value=pendulum.date(2026, 11, 21), max_value=pendulum.date(2030, 1, 1)))
def test_a_stored_note_reads_back_the_same_when_edited(kind, text, people, with_owner, due):
    """compose() puts a note back in the input to edit it; parse_note() must read the same note."""
    TRIED["notes composed and read back"] += 1
    owner = people[0] if with_owner and kind == "action" else None
    due_iso = due.isoformat() if owner else None
    parsed = parse_note(compose(kind, text, owner, due_iso), people, NOW)
    assert (parsed.kind, parsed.text) == (kind, text)
    if owner:
        assert (parsed.owner, parsed.due) == (owner, due_iso)


def test_editing_an_action_that_mentions_someone_keeps_its_owner():
    people = ["Anouk", "Bram"]
    parsed = parse_note("a: bel @Bram over de planning @Anouk vrijdag", people, NOW)
    assert (parsed.owner, parsed.text) == ("Anouk", "bel @Bram over de planning")
    again = parse_note(compose(parsed.kind, parsed.text, parsed.owner, parsed.due), people, NOW)
    assert (again.owner, again.due) == (parsed.owner, parsed.due)


# --- the due-date parser ---------------------------------------------------------------------------

date_words = st.sampled_from(["over", "in", "binnen", "dagen", "weken", "jaar", "maanden", "vrijdag", "vr", "4",
                              "december", "dec.", "12", "2026", "99999999", "²", "٣", "-", "/", ".", "volgende",
                              "week", "eind", "van", "de", "maand", "29", "februari", "0", "31", "uiterlijk",
                              "a.s.", "4e", "next", "tuesday", "2026-12-04", "4-12", "4/12/2026", "twee", "een"])


@PROPERTY
@given(text=st.lists(date_words, max_size=5).map(" ".join) | st.text(max_size=70),
       now=st.dates(min_value=pendulum.date(1990, 1, 1), max_value=pendulum.date(2200, 1, 1)))
@example(text="over 99999999 dagen", now=pendulum.date(2026, 11, 20))
@example(text="² december", now=pendulum.date(2026, 11, 20))
@example(text="29 februari", now=pendulum.date(2026, 11, 20))
def test_due_date_parser_reads_or_says_why_in_one_line(text, now):
    TRIED["due dates"] += 1
    today = pendulum.date(now.year, now.month, now.day)
    try:
        found = parse_due(text, today)
    except DueDateError as exc:
        assert "\n" not in str(exc) and str(exc).strip()
        return
    assert today <= found
    assert found.year <= today.year + MAX_AHEAD_YEARS
