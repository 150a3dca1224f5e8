"""The case-bringer's advice has a heading of its own in the report ("Advies voor
Fatima"): the notes of the work format's advice steps, in md, html and json."""

from __future__ import annotations

import pytest

from kring.data import i18n
from kring.data.core.steps import FormatSteps
from kring.data.meetings import append_event, create_meeting
from kring.data.report import build_report, render_html, render_md
from kring.data.report.advice import advice_steps
from kring.workformats.loader import find
from tests.reportdata import NAMES, add_note

ADVICE_STEP = 6  # incidentmethode: "Wat zou ik doen?"


@pytest.fixture
def incident():
    return find("incidentmethode").model_dump(mode="json")


def test_the_intervision_formats_mark_their_advice_steps():
    marked = {name: [FormatSteps.of(find(name).model_dump(mode="json")).steps[i].title
                     for i in advice_steps(FormatSteps.of(find(name).model_dump(mode="json")))]
              for name in ("incidentmethode", "balintmethode", "socratisch", "vijfstappenmethode", "troika",
                           "standaard", "borging")}
    assert marked == {
        "incidentmethode": ["Wat zou ik doen?"], "balintmethode": ["Individueel advies", "Groepsoordeel"],
        "socratisch": ["Sterke kanten en advies"], "vijfstappenmethode": ["Adviesronde"],
        "troika": ["Adviseurs overleggen"], "standaard": [], "borging": [],
    }


def _held(store, clock, fmt, *, consent: bool) -> int:
    mid = create_meeting(store, fmt, NAMES, clock, title="Intervisie")
    append_event(store, mid, "start", clock.now())
    append_event(store, mid, "case_bringer", clock.now(), {"name": "Fatima", "case": "Lastig gesprek"})
    if consent:
        append_event(store, mid, "consent", clock.now(), {"name": "Fatima", "share": True})
    clock.advance(minutes=40)
    append_event(store, mid, "goto", clock.now(), {"step": ADVICE_STEP})
    for who, text in (("Anouk", "Vraag eerst wat zij nodig heeft"), ("Bram", "Plan een tweede gesprek")):
        add_note(store, mid, text, at=clock.now(), speaker=who, step=ADVICE_STEP, step_title="Wat zou ik doen?",
                 confidential=True)
    add_note(store, mid, "Ze twijfelde lang", at=clock.now(), step=5, step_title="Analyse", confidential=True)
    clock.advance(minutes=8)
    append_event(store, mid, "goto", clock.now(), {"step": ADVICE_STEP + 1})
    clock.advance(minutes=5)
    append_event(store, mid, "close", clock.now())
    return mid


def test_the_advice_is_collected_for_the_case_bringer_when_she_agreed(store, clock, incident):
    report = build_report(store, _held(store, clock, incident, consent=True), clock=clock)
    [group] = report["advice"]
    assert group["case_bringer"] == "Fatima" and group["steps"] == ["Wat zou ik doen?"] and not group["withheld"]
    assert [(n["speaker"], n["text"]) for n in group["notes"]] == [
        ("Anouk", "Vraag eerst wat zij nodig heeft"), ("Bram", "Plan een tweede gesprek")]
    md = render_md(report)
    block = md.split("## Advies voor Fatima\n\n", 1)[1].split("\n## ", 1)[0]
    assert block.splitlines() == ["- Vraag eerst wat zij nodig heeft *(Anouk)*", "- Plan een tweede gesprek *(Bram)*"]
    assert "Ze twijfelde lang" not in block  # the analysis is not advice
    assert md.index("## Advies voor Fatima") < md.index("## Besluiten")
    html = render_html(report)
    assert "<h2>Advies voor Fatima</h2>" in html
    assert '<li class="advice"><span class="text">Plan een tweede gesprek</span><span class="meta">Bram</span>' in html
    try:
        i18n.setup("en")
        assert "## Advice for Fatima" in render_md(report)
    finally:
        i18n.setup("nl")


def test_advice_kept_in_the_room_is_said_not_shown(store, clock, incident):
    mid = _held(store, clock, incident, consent=False)
    report = build_report(store, mid, clock=clock)
    assert report["advice"] == [{"case_bringer": "Fatima", "steps": ["Wat zou ik doen?"], "notes": [],
                                 "withheld": True}]
    md = render_md(report)
    assert "## Advies voor Fatima\n\n*Vertrouwelijke stap: wat hier gedeeld is, blijft in de kring.*" in md
    assert "tweede gesprek" not in md and "tweede gesprek" not in render_html(report)
    everything = build_report(store, mid, clock=clock, include_confidential=True)
    assert [len(g["notes"]) for g in everything["advice"]] == [2] and not everything["advice"][0]["withheld"]


def test_no_advice_heading_without_advice_steps(store, clock, standaard):
    mid = create_meeting(store, standaard, NAMES, clock)
    append_event(store, mid, "start", clock.now())
    append_event(store, mid, "close", clock.now())
    report = build_report(store, mid, clock=clock)
    assert report["advice"] == [] and "Advies voor" not in render_md(report)
