"""A report made later says what the meeting said: its actions as they stood at
its close, and a CSV whose separator fits the spreadsheets of its language."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from kring.data import i18n
from kring.data.actions import mark_action
from kring.data.meetings import append_event, create_meeting
from kring.data.notes import NoteInfo, add_note, edit_note
from kring.data.report import build_report, render_csv, render_html, render_md
from kring.data.report.csv import csv_cell, separators
from tests.reportdata import NAMES, add_network, add_response


def _action(store, mid, text, clock, owner="Lotte"):
    uid = uuid.uuid4().hex
    add_note(store, mid, NoteInfo(uid=uid, kind="action", text=text, step_index=0, step_title="Inchecken",
                                  speaker=None, author="notulist", at=clock.now(), owner=owner, due="2026-12-18"))
    return uid


def test_a_later_report_shows_the_actions_as_they_stood_at_the_close(store, clock, standaard):
    net = add_network(store, clock=clock)
    first = create_meeting(store, standaard, NAMES, clock, title="Eerste", network_id=net)
    append_event(store, first, "start", clock.now())
    clock.advance(minutes=5)
    rooster = _action(store, first, "Rooster delen met de huisartsen", clock)
    folder = _action(store, first, "Folder maken", clock, owner="Bram")
    kept = _action(store, first, "Wijkteam uitnodigen", clock)
    mark_action(store, kept, "kept", "Anouk", clock.now())  # marked in the meeting itself: that stands
    clock.advance(minutes=5)
    append_event(store, first, "close", clock.now())

    # six weeks later the next meeting marks them, and someone else takes on the folder
    clock.advance(minutes=60 * 24 * 42)
    mark_action(store, rooster, "done", "Anouk", clock.now())
    mark_action(store, kept, "dropped", "Anouk", clock.now())
    edit_note(store, folder, author="Anouk", at=clock.now(), owner="Karim")

    report = build_report(store, first, clock=clock)
    state = {a["text"]: (a["status"], a["owner"]) for a in report["actions"]}
    assert state == {"Rooster delen met de huisartsen": ("open", "Lotte"), "Folder maken": ("open", "Bram"),
                     "Wijkteam uitnodigen": ("kept", "Lotte")}
    assert {n["text"]: n["status"] for n in report["notes"] if n["kind"] == "action"}["Wijkteam uitnodigen"] == "kept"
    md = render_md(report)
    assert "| Rooster delen met de huisartsen | Lotte | 18 dec. 2026 | open |" in md
    assert "| Wijkteam uitnodigen | Lotte | 18 dec. 2026 | blijft staan |" in md
    assert "Karim" not in md and "gedaan" not in md and "laten vallen" not in md
    assert "Karim" not in render_html(report)

    # a live meeting's report shows them as they are now
    second = create_meeting(store, standaard, NAMES, clock, title="Tweede", network_id=net)
    append_event(store, second, "start", clock.now())
    live = _action(store, second, "Nieuw", clock)
    mark_action(store, live, "done", "Anouk", clock.now())
    assert [a["status"] for a in build_report(store, second, clock=clock)["actions"]] == ["done"]


@pytest.fixture
def answered(store, clock, standaard):
    mid = create_meeting(store, standaard, NAMES, clock, title="Bijeenkomst")
    append_event(store, mid, "start", clock.now())
    clock.advance(minutes=30)
    append_event(store, mid, "close", clock.now())
    add_response(store, mid, "Anouk", {"roti": 3, "top": "Goed; en kort", "tip": "=1+1"}, at=clock.now())
    return mid


def test_the_dutch_csv_uses_semicolons_and_a_decimal_comma(store, clock, answered):
    text = render_csv(build_report(store, answered, clock=clock))
    header = text.splitlines()[0]
    assert header.startswith("section;item;kind;text;") and "," not in header
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    answers = {r["question"]: r["answer"] for r in rows if r["section"] == "evaluation"}
    assert answers == {"roti": "3", "top": "Goed; en kort", "tip": "'=1+1"}  # the ; inside a cell is quoted
    assert separators("nl") == (";", ",") and csv_cell(2.5, ",") == "2,5" and csv_cell(-0.5, ",") == "-0,5"


def test_the_english_csv_uses_commas(store, clock, answered):
    try:
        i18n.setup("en")
        text = render_csv(build_report(store, answered, clock=clock))
    finally:
        i18n.setup("nl")
    assert text.splitlines()[0].startswith("section,item,kind,text,")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {r["question"]: r["answer"] for r in rows if r["section"] == "evaluation"}["tip"] == "'=1+1"
    assert separators("en") == (",", ".") and csv_cell(2.5) == "2.5"


def test_a_break_is_in_the_reports_timeline_and_counted_in_the_total(store, clock, standaard):
    """A break is listed under the step it was taken in (from–to, length), and the total
    counts it as the meeting's budget does: time the meeting took, though no step ran."""
    mid = create_meeting(store, standaard, ["Anouk", "Bram"], clock)
    append_event(store, mid, "start", clock.now())
    clock.advance(minutes=10)
    append_event(store, mid, "break", clock.now(), {"until": clock.now().add(minutes=15).isoformat()})
    clock.advance(minutes=17)  # the group came back two minutes late
    append_event(store, mid, "resume", clock.now())
    clock.advance(minutes=5)
    append_event(store, mid, "close", clock.now())
    report = build_report(store, mid, clock=clock)
    assert [(b["step"], b["seconds"]) for b in report["breaks"]] == [(0, 17 * 60)]
    assert report["session"]["break_seconds"] == 17 * 60
    assert report["session"]["actual_seconds"] == (10 + 17 + 5) * 60
    md = render_md(report)
    lines = md.splitlines()
    step = next(i for i, line in enumerate(lines) if line.startswith("| 1 "))
    assert "Pauze 19:10–19:27" in lines[step + 1] and "17 min" in lines[step + 1]
    assert "32 min" in next(line for line in lines if "**Totaal**" in line)
    html = render_html(report)
    assert "Pauze 19:10–19:27" in html
