"""The exports are safe to open and say what the room said: the HTML parses and
loads nothing from outside, the CSV round-trips and never runs a formula, the
Markdown renders without letting typed text become markup."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from kring.data import i18n
from kring.data.core.textgate import shown
from kring.data.report import build_report, render_csv, render_html, render_md
from kring.data.report.csv import csv_cell
from kring.data.report.markdown import md_escape
from tests.reportdata import HOSTILE, add_network, add_note, add_response, held_meeting


@pytest.fixture
def hostile_report(store, clock, standaard):
    """A closed meeting whose notes, names and answers are all hostile text."""
    net = add_network(store, "Netwerk <b>vet</b> & \"quotes\"", theme="=thema()", clock=clock)
    mid = held_meeting(store, clock, standaard, network_id=net, title="<i>Titel</i> =1+1", roti=[3, 4])
    for i, text in enumerate(HOSTILE):
        add_note(store, mid, text, at=clock.now(), kind=["note", "decision", "action", "insight"][i % 4],
                 speaker="<Bram>", owner="=Lotte" if i % 4 == 2 else None, step=i % 3)
    add_response(store, mid, "Joris", {"roti": 2, "top": HOSTILE[0], "tip": HOSTILE[3]}, at=clock.now())
    # one more meeting, so the HTML has a trend chart to check
    clock.advance(minutes=60 * 24 * 30)
    mid2 = held_meeting(store, clock, standaard, network_id=net, title="Daarna", roti=[4, 4])
    return build_report(store, mid2, clock=clock), build_report(store, mid, clock=clock)


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.stack: list[str] = []

    VOID = {"meta", "br", "img", "line", "circle", "polyline", "hr", "link", "input"}

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]
        self._in_style = tag == "style"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # noqa: ANN001
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_endtag(self, tag):  # noqa: ANN001
        self._in_style = False
        if tag in self.VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data):  # noqa: ANN001
        (self.styles if self._in_style else self.text).append(data)


def parse(html: str) -> Collector:
    c = Collector()
    c.feed(html)
    c.close()
    assert c.stack == [], f"unclosed: {c.stack}"
    return c


def test_html_parses_is_self_contained_and_escapes_hostile_text(hostile_report):
    later, report = hostile_report
    for rep in (report, later):
        html = render_html(rep)
        page = parse(html)
        assert html.startswith("<!DOCTYPE html>")
        assert "script" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
        assert not [a for a in page.attrs if a[1].startswith("on")]  # no event handlers
        assert not [a for a in page.attrs if a[1] in ("src", "href", "action", "srcset", "xlink:href")]
        for tag, name, value in page.attrs:
            if name == "xmlns":  # the SVG namespace is a name, not something loaded
                assert value == "http://www.w3.org/2000/svg"
            else:
                assert "http" not in (value or ""), (tag, name, value)
        css = "".join(page.styles)
        assert "url(" not in css and "@import" not in css
        csp = [v for t, k, v in page.attrs if t == "meta" and k == "content" and "default-src" in (v or "")]
        assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:"]

    page = parse(render_html(report))
    text = "".join(page.text)
    for hostile in HOSTILE:  # shown as typed, as text
        assert hostile.strip() in text
    assert "<i>Titel</i> =1+1" in text and "Netwerk <b>vet</b> & \"quotes\"" in text
    assert "Geheim" not in text


def test_html_trend_is_an_inline_svg(hostile_report):
    later, report = hostile_report
    page = parse(render_html(later))
    assert "svg" in page.tags and "polyline" in page.tags
    assert page.tags.count("circle") == 2  # two meetings with an evaluation
    points = [v for t, k, v in page.attrs if t == "polyline" and k == "points"][0].split()
    ys = [float(p.split(",")[1]) for p in points]
    assert ys[1] < ys[0]  # ROTI 4.0 after 3.0: the line goes up
    assert "svg" not in parse(render_html(report)).tags  # one meeting is not a trend yet


def test_html_prints_well(hostile_report):
    _later, report = hostile_report
    html = render_html(report)
    assert "@media print" in html and "@page" in html
    assert "break-inside: avoid" in html and "thead { display: table-header-group; }" in html


def test_csv_round_trips_and_neutralises_formulas(hostile_report):
    _later, report = hostile_report
    text = render_csv(report)
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows and list(rows[0]) == ["section", "item", "kind", "text", "speaker", "author", "owner", "due",
                                      "status", "confidential", "at", "response", "participant", "question",
                                      "answer"]
    notes = [r for r in rows if r["section"] in ("note", "action")]
    assert len(notes) == len(report["notes"])
    by_text = {r["text"].removeprefix("'"): r for r in notes}
    for hostile in HOSTILE:
        out = shown(hostile)  # as the text gate lets it out: a CR (stored before the gate) a line break
        row = by_text[out]  # nothing lost: the text is all there, multi-line too
        if out[0] in "=+-@\t\r" or out.lstrip()[0] in "=+-@":
            assert row["text"] == "'" + out
        else:
            assert row["text"] == out
    for r in rows:
        for value in r.values():
            assert not value or value[0] not in "=+-@\t\r", r
    actions = [r for r in rows if r["section"] == "action"]
    assert {r["owner"] for r in actions} >= {"'=Lotte", "Lotte"}
    assert all(r["speaker"] == "<Bram>" for r in notes if r["text"] in {"'" + HOSTILE[3], HOSTILE[0]})
    answers = [r for r in rows if r["section"] == "evaluation"]
    assert {r["question"] for r in answers} == {"roti", "relevance", "top", "tip"}
    assert {r["answer"] for r in answers if r["question"] == "tip"} == {"'" + HOSTILE[3]}
    assert {r["participant"] for r in answers} == {"Anouk", "Bram", "Joris"}
    assert "Geheim" not in text


def test_csv_cell_rules():
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("-5") == "'-5"
    assert csv_cell("\t=x") == "'\t=x"
    assert csv_cell("a=b") == "a=b"
    assert csv_cell(-5) == -5  # a number we wrote ourselves stays a number
    assert csv_cell(None) == "" and csv_cell(True) == "yes"


def test_markdown_renders_and_typed_text_stays_text(hostile_report):
    _later, report = hostile_report
    md = render_md(report)
    html = MarkdownIt("commonmark").enable("table").render(md)
    page = parse(html)
    assert "script" not in page.tags and "img" not in page.tags and "a" not in page.tags
    assert not [a for a in page.attrs if a[1] in ("src", "href")]
    assert "table" in page.tags and page.tags.count("h2") >= 7
    # every hostile note arrives as the text that was typed (line breaks aside)
    text = " ".join("".join(page.text).split())
    for hostile in HOSTILE:
        assert " ".join(hostile.split()) in text, hostile
    # typed text never opens a heading, list, quote or emphasis of its own
    assert page.tags.count("h1") == 1
    assert "code" not in page.tags and "blockquote" not in page.tags  # (this report has no trend or notice)
    own = md.count(" *(") + sum(1 for line in md.splitlines() if line.startswith("*") and line[1:2] != "*")
    assert page.tags.count("em") == own  # only the report's own emphasis


def test_md_escape_keeps_words_readable():
    assert md_escape("Gewoon een zin, met komma's.") == "Gewoon een zin, met komma's."
    assert md_escape("- lijst") == "\\- lijst"
    assert md_escape("a | b") == "a \\| b"


@pytest.fixture
def plain_report(store, clock, standaard):
    net = add_network(store, clock=clock)
    mid = held_meeting(store, clock, standaard, network_id=net, title="Wijkzorg", roti=[3, 4])
    return store, clock, mid


def test_report_headings_and_dates_in_the_chosen_language(plain_report):
    store, clock, mid = plain_report
    try:
        i18n.setup("nl")
        md = render_md(build_report(store, mid, clock=clock))
        assert md.startswith("# Verslag: Wijkzorg")
        assert "**Datum:** vrijdag 20 november 2026, 19:00–19:20" in md
        assert "## Besluiten" in md and "## Actiepunten" in md and "## Spreektijd" in md
        assert "| Rooster delen met de huisartsen | Lotte | 18 dec. 2026 | open |" in md
        i18n.setup("en")
        md = render_md(build_report(store, mid, clock=clock))
        assert md.startswith("# Report: Wijkzorg")
        assert "**Date:** Friday 20 November 2026, 19:00–19:20" in md
        assert "## Decisions" in md and "## Actions" in md and "## Speaking time" in md
        html = render_html(build_report(store, mid, clock=clock))
        assert '<html lang="en">' in html
    finally:
        i18n.setup("nl")


def test_report_holds_what_the_room_said(plain_report):
    store, clock, mid = plain_report
    report = build_report(store, mid, clock=clock)
    md = render_md(report)
    for expected in ["Leernetwerk Wijkzorg", "Samenwerken in de wijk", "Buurthuis De Kring",
                     "Anouk (procesbegeleider)", "Bram (notulist)",
                     "| 1 | Inchecken | rondje | 10 min | 12 min | +2 |",
                     "| 2 | Terugblik op de acties van vorige keer | rondje | 10 min | 8 min | −2 |",
                     "- We houden vast aan zes weken (Inchecken)",
                     "### 1. Inchecken", "- **Notitie:** Iedereen is er, Joris iets later *(Fatima)*",
                     "### 2. Terugblik op de acties van vorige keer",
                     "- **Inzicht:** Vrijwilligers haken af na de zomer *(Bram)*",
                     "### 4. Intervisie met een werkvorm",
                     "*Vertrouwelijke stap: wat hier gedeeld is, blijft in de kring.*",
                     "### Was deze bijeenkomst mijn tijd waard?",
                     "Gemiddeld 3,5 (2 antwoorden) — 0: 0 · 1: 0 · 2: 0 · 3: 1 · 4: 1",
                     "- top 0", "| Fatima | 8 min | 1 |", "| Bram | 3 min | 1 |"]:
        assert expected in md, expected
    assert "Geheim" not in md and "Weggegooide" not in md
    html = render_html(report)
    assert "Vrijwilligers haken af na de zomer" in html and "Geheim" not in html


def test_confidential_notes_marked_when_included(plain_report):
    store, clock, mid = plain_report
    report = build_report(store, mid, clock=clock, include_confidential=True)
    md = render_md(report)
    assert "> **Dit verslag bevat vertrouwelijke notities. Stuur het niet rond.**" in md
    assert "Geheim: het verhaal van de inbrenger over haar teamleider* *(vertrouwelijk)*" not in md
    assert "- **Notitie:** Geheim: het verhaal van de inbrenger over haar teamleider *(vertrouwelijk)*" in md
    html = render_html(report)
    assert 'class="note confidential"' in html and "Dit verslag bevat vertrouwelijke notities" in html
    rows = list(csv.DictReader(io.StringIO(render_csv(report)), delimiter=";"))
    assert [r["confidential"] for r in rows if r["text"].startswith("Geheim")] == ["yes"]


def test_a_live_report_says_it_is_a_draft(store, clock, standaard):
    mid = held_meeting(store, clock, standaard, close=False, roti=[4])
    md = render_md(build_report(store, mid, clock=clock))
    assert "> **Concept: de bijeenkomst is nog bezig. Stand van 19:20.**" in md
    assert "19:00 – nog bezig" in md
    assert "Tot nu toe ingevulde evaluaties: 1." in md
    assert "Gemiddeld" not in md  # the answers stay in the room until the close


def test_absent_people_are_not_listed_as_present_and_the_english_report_says_case_bringer(
        store, clock, standaard):
    from kring.data.meetings import append_event

    mid = held_meeting(store, clock, standaard, title="Wijkzorg", close=False)
    append_event(store, mid, "absent", clock.now(), {"name": "Joris", "absent": True})
    append_event(store, mid, "case_bringer", clock.now(), {"name": "Lotte", "case": ""})
    append_event(store, mid, "close", clock.now())
    try:
        i18n.setup("nl")
        report = build_report(store, mid, clock=clock)
        md = render_md(report)
        people = md.split("## Deelnemers")[1].split("##")[0]
        assert "- Joris" not in people and "Afwezig: Joris" in people
        assert "Lotte (inbrenger)" in people
        assert "Joris" not in [s["participant"] for s in report["speaking"]]
        i18n.setup("en")
        report = build_report(store, mid, clock=clock)
        md, html = render_md(report), render_html(report)
        assert "Absent: Joris" in md and "<li>Joris" not in html and "Absent: Joris" in html
        assert "Lotte (case-bringer)" in md
        assert "inbrenger" not in md.lower() and "inbrenger" not in html.lower()
    finally:
        i18n.setup("nl")


def test_one_answer_is_said_in_the_singular(store, clock, standaard):
    """'Gemiddeld 4,0 (1 antwoord)', not '(1 antwoorden)', in the markdown and the html."""
    mid = held_meeting(store, clock, standaard, title="Eén stem", roti=[4])
    report = build_report(store, mid, clock=clock)
    assert "Gemiddeld 4,0 (1 antwoord) — " in render_md(report)
    assert "Gemiddeld 4,0 (1 antwoord)" in render_html(report)
