"""Built-in work formats and forms carry their English under `en:`: shown under
--lang en, stored with both languages, Dutch by default. The English report never
says "inbrenger"."""

from __future__ import annotations

import json

import pytest

from kring.data import i18n
from kring.data.core.language import in_language
from kring.data.meetings import append_event, create_meeting, get_meeting
from tests.cli_helpers import run
from tests.reportdata import NAMES, add_note, add_response

DUTCH_WORDS = ("inbrenger", "notulist", "werkvorm", "procesbegeleider")


@pytest.fixture
def incident(store, clock):
    """An incident-method meeting held in Dutch: notes filed under the Dutch step titles,
    a case-bringer, advice, and the case-bringer's evaluation."""
    from kring.workformats.loader import find

    fmt = find("incidentmethode")
    mid = create_meeting(store, fmt.model_dump(mode="json"), NAMES, clock, roles={"Bram": ["notulist"]})
    append_event(store, mid, "start", clock.now())
    for step in range(1, len(fmt.steps)):
        clock.advance(minutes=5)
        if step == 3:
            append_event(store, mid, "case_bringer", clock.now(), {"name": "Fatima"})
        append_event(store, mid, "goto", clock.now(), {"step": step})
        add_note(store, mid, f"notitie {step}", at=clock.now(), step=step, step_title=fmt.steps[step].title,
                 speaker="Joris", author="Bram")
    append_event(store, mid, "close", clock.now())
    add_response(store, mid, "Fatima", {"roti": 4, "advice_useful": 5, "action_chosen": "Bellen"}, at=clock.now())
    add_response(store, mid, "Bram", {"roti": 3, "top": "fijn"}, at=clock.now())
    return mid


def _reports(store, mid, clock) -> dict[str, str]:
    from kring.data.report import build_report
    from kring.data.report.csv import render_csv
    from kring.data.report.html import render_html
    from kring.data.report.markdown import render_md

    report = build_report(store, mid, clock=clock, include_confidential=True)
    return {"json": json.dumps(report, ensure_ascii=False), "md": render_md(report), "html": render_html(report),
            "csv": render_csv(report)}


def test_the_english_report_of_an_incident_method_meeting_never_says_inbrenger(store, clock, incident, english):
    for kind, text in _reports(store, incident, clock).items():
        if kind == "json":  # a participant's roles are identifiers there, as the network names them
            report = json.loads(text)
            assert {r for p in report["participants"] for r in p["roles"]} == {"inbrenger", "notulist"}
            text = json.dumps({k: v for k, v in report.items() if k != "participants"}, ensure_ascii=False)
        for word in DUTCH_WORDS if kind != "json" else ("inbrenger",):  # its keys are the contract's ("werkvorm")
            assert word not in text.lower(), f"{kind} report says {word!r}"
        assert "What did the case-bringer do?" in text, kind
        assert "Incident method" in text or kind == "csv", kind  # the csv has the notes and answers only
    notes = json.loads(_reports(store, incident, clock)["json"])["notes"]
    assert [n["item"] for n in notes][-1] == "Evaluation"  # filed in Dutch, named in English


def test_the_dutch_report_stays_dutch(store, clock, incident):
    text = _reports(store, incident, clock)["md"]
    assert "Wat deed de inbrenger?" in text and "What did the case-bringer do?" not in text


def test_a_meeting_stores_both_languages_and_shows_the_one_asked(store, clock, incident):
    info = get_meeting(store, incident)
    assert info.format_data["steps"][7]["en"]["title"] == "What did the case-bringer do?"
    assert info.format.steps[7].title == "Wat deed de inbrenger?"
    i18n.setup("en")
    assert get_meeting(store, incident).format.steps[7].title == "What did the case-bringer do?"


def test_formats_list_in_english_names_the_formats_in_english(capsys, db, english):
    code, out, _ = run(capsys, "formats", "list")
    assert code == 0
    assert "Incident method" in out and "Standard learning-network meeting" in out and "Balint method" in out
    assert "Incidentmethode" not in out and "Evaluation of the meeting" in out
    code, out, _ = run(capsys, "formats", "show", "incidentmethode")
    assert code == 0 and "What did the case-bringer do? (5 min)" in out and "inbrenger" not in out


def test_formats_list_is_dutch_by_default(capsys, db):
    code, out, _ = run(capsys, "formats", "list")
    assert code == 0 and "Incidentmethode" in out and "Incident method" not in out


def test_every_builtin_text_has_its_english():
    """Every built-in format and form says all it shows in English too."""
    from kring.workformats.forms import form_catalog
    from kring.workformats.loader import catalog

    for fmt in catalog().formats.values():
        assert fmt.en is not None and fmt.en.title and fmt.en.description, fmt.name
        for step in fmt.steps:
            assert step.en is not None and step.en.title, (fmt.name, step.title)
            assert bool(step.en.instructions) == bool(step.instructions), (fmt.name, step.title)
            assert len(step.en.prompts or []) == len(step.prompts), (fmt.name, step.title)
    for form in form_catalog().forms.values():
        assert form.en is not None and form.en.title, form.name
        for q in form.questions:
            assert q.en is not None and q.en.text, (form.name, q.id)
            assert bool(q.en.low) == bool(q.low) and bool(q.en.high) == bool(q.high), (form.name, q.id)
            assert len(q.en.labels or {}) == len(q.labels), (form.name, q.id)


def test_the_evaluation_form_in_english(store, clock, incident, english):
    from kring.data.evaluation import open_evaluation, submit
    from kring.data.evaluation_summary import report_summary
    from kring.data.meetings import load_events

    ctx = open_evaluation(store, incident)
    texts = [q.text for q in ctx.form.questions]
    assert ctx.form.title == "Evaluation of the meeting"
    assert texts[0] == "Was this meeting worth my time?" and "Case-bringer: which action do you choose?" in texts
    assert ctx.form.questions[0].value_labels()[2] == "Break-even: I got back what I put in"
    assert ctx.form.questions[1].value_labels() == {1: "hardly", 5: "very useful"}
    submit(store, incident, "Joris", {"roti": 2}, clock, form=ctx.form)
    # the meeting keeps the form as written, with every language
    from kring.data.evaluation import _stored_form, form_event

    stored = form_event(load_events(store, incident))
    assert stored["form"]["title"] == "Evaluatie van de bijeenkomst" and stored["form"]["en"]["title"]
    labels = {q["id"]: q["text"] for q in report_summary(store, incident, load_events(store, incident), [])}
    assert labels["advice_useful"] == "Case-bringer: how useful was the advice to you?"
    assert _stored_form(stored)[0].questions[0].text == "Was deze bijeenkomst mijn tijd waard?"


def test_an_own_format_may_carry_english(tmp_path, capsys, db, english):
    own = tmp_path / "overleg.yaml"
    own.write_text(
        "name: overleg\ntitle: Ons overleg\nsource: eigen team\nen:\n  title: Our meeting\nsteps:\n"
        "  - title: Rondje\n    id: rondje\n    minutes: 10\n    mode: round\n    instructions: Ieder kort.\n"
        "    en: {title: Round, instructions: Everyone briefly.}\n"
        "  - title: Nog eens\n    minutes: 5\n    mode: open\n    loop_to: Rondje\n", encoding="utf-8")
    code, out, _ = run(capsys, "formats", "show", str(own))
    assert code == 0 and "Our meeting" in out and "1. Round (10 min)" in out and "Everyone briefly." in out
    assert "2. Nog eens (5 min)" in out  # no English given: as written
    data = __import__("kring.workformats.loader", fromlist=["load_file"]).load_file(own).model_dump(mode="json")
    assert in_language(data, "en")["steps"][1]["loop_to"] == "Round"  # a loop back by title follows the title
    own.write_text(own.read_text().replace("en: {title: Round", "en: {titel: Round"))
    code, _, err = run(capsys, "formats", "check", str(own))
    assert code == 2 and err.strip() == f"kring: {own}:12: steps[1].en.titel: unknown field; did you mean title?"


def test_a_standard_meeting_with_the_incident_method_inside_reports_in_english(store, clock, standaard):
    """The intervision step runs the incident method as a sub-agenda (chosen in Dutch, its
    notes filed under Dutch titles): the English report names all of it in English."""
    from tests.test_subagenda_report import into_incidentmethode

    mid = create_meeting(store, standaard, NAMES, clock)
    into_incidentmethode(store, clock, mid)
    append_event(store, mid, "case_bringer", clock.now(), {"name": "Fatima"})
    sub = len(standaard["steps"]) + 7  # the incident method's "Wat deed de inbrenger?"
    append_event(store, mid, "goto", clock.now(), {"step": sub})
    add_note(store, mid, "Ze belt de teamleider", at=clock.now(), step=sub, step_title="Wat deed de inbrenger?",
             author="Bram")
    append_event(store, mid, "close", clock.now())
    i18n.setup("en")
    texts = _reports(store, mid, clock)
    for kind in ("md", "html", "csv"):
        assert "inbrenger" not in texts[kind].lower(), kind
        assert "What did the case-bringer do?" in texts[kind], kind
    agenda = json.loads(texts["json"])["agenda"]
    assert agenda[3]["subagenda"]["title"] == "Incident method"


def test_the_phone_page_names_the_live_step_in_english(store, clock, incident, english):
    from kring.web.view import live_view

    mid = create_meeting(store, get_meeting(store, incident).format_data, NAMES, clock)
    append_event(store, mid, "start", clock.now())
    append_event(store, mid, "goto", clock.now(), {"step": 7})
    assert live_view(store, mid, clock)["step"]["title"] == "What did the case-bringer do?"
    i18n.setup("nl")
    assert live_view(store, mid, clock)["step"]["title"] == "Wat deed de inbrenger?"


def test_a_step_is_named_in_the_readers_language_whatever_it_was_filed_under():
    from kring.data.core.language import titles_shown

    steps = [{"title": "Kennismaken", "en": {"title": "Getting to know each other"}}, {"title": "Alleen Nederlands"}]
    assert titles_shown(steps, "nl") == {"Kennismaken": "Kennismaken", "Getting to know each other": "Kennismaken",
                                         "Alleen Nederlands": "Alleen Nederlands"}
    assert titles_shown(steps, "en")["Kennismaken"] == "Getting to know each other"
