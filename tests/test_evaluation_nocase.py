"""Where there was no case-bringer, the case-bringer's questions are not asked: not
on the moderator's keyboard round, not in `kring evaluate`, not on the phones of
`kring serve`; and the report does not count them as unanswered."""

from __future__ import annotations

import pytest

from kring.data.core.casebringer import HadCaseBringer, had_case_bringer
from kring.data.errors import InputError
from kring.data.evaluation import open_evaluation, submit
from kring.data.meetings import append_event, create_meeting
from kring.data.report import build_report, render_html, render_md
from kring.web.app import Limits, make_app
from kring.data.weblink import token_for
from kring.workformats.loader import find
from tests.reportdata import NAMES

CASE_QUESTIONS = {"advice_useful", "action_chosen"}


def fmt(name: str) -> dict:
    return find(name).model_dump(mode="json")


class Ev:
    def __init__(self, kind, data=None):
        self.kind, self.data = kind, data or {}


def test_who_had_a_case_bringer():
    # a format without a step for a case-bringer never has one
    assert had_case_bringer(fmt("what-so-what-now-what"), [], []) == HadCaseBringer.NONE
    assert had_case_bringer(fmt("kickoff"), [Ev("start")], []) == HadCaseBringer.NONE
    # one recorded: yes
    assert had_case_bringer(fmt("standaard"), [], ["Fatima"]) == HadCaseBringer.YES
    # a step for one still to come: not known yet
    standaard = fmt("standaard")  # step 3 (index 2) is the case-bringer's
    assert had_case_bringer(standaard, [], []) == HadCaseBringer.UNKNOWN
    assert had_case_bringer(standaard, [Ev("start"), Ev("goto", {"step": 2})], []) == HadCaseBringer.UNKNOWN
    # past it, or closed, without one: none
    assert had_case_bringer(standaard, [Ev("start"), Ev("goto", {"step": 4})], []) == HadCaseBringer.NONE
    assert had_case_bringer(standaard, [Ev("start"), Ev("close")], []) == HadCaseBringer.NONE
    # the incident method's advice and choosing steps count as the case-bringer's too
    assert had_case_bringer(fmt("incidentmethode"), [Ev("goto", {"step": 8})], []) == HadCaseBringer.NONE
    assert had_case_bringer(fmt("incidentmethode"), [Ev("goto", {"step": 7})], []) == HadCaseBringer.UNKNOWN


@pytest.fixture
def no_case(store, clock):
    """A what-so-what-now-what meeting: nobody brings a case."""
    mid = create_meeting(store, fmt("what-so-what-now-what"), NAMES, clock, title="Zonder inbrenger")
    append_event(store, mid, "start", clock.now())
    clock.advance(minutes=20)
    return mid


def test_the_form_skips_the_case_bringer_questions_and_refuses_answers_to_them(store, clock, no_case):
    ctx = open_evaluation(store, no_case)
    assert ctx.skips_case_bringer
    for name in NAMES:
        assert not CASE_QUESTIONS & {q.id for q in ctx.questions_for(name)}
    with pytest.raises(InputError, match="'advice_useful' is alleen voor de inbrenger"):
        submit(store, no_case, "Anouk", {"roti": 3, "advice_useful": 5}, clock)
    submit(store, no_case, "Anouk", {"roti": 3, "tomorrow": "Eerst vragen"}, clock)


def test_a_meeting_with_a_case_bringer_still_asks_them(store, clock, standaard):
    mid = create_meeting(store, standaard, NAMES, clock)
    append_event(store, mid, "start", clock.now())
    append_event(store, mid, "case_bringer", clock.now(), {"name": "Fatima"})
    append_event(store, mid, "goto", clock.now(), {"step": 4})
    ctx = open_evaluation(store, mid)
    assert not ctx.skips_case_bringer
    assert CASE_QUESTIONS <= {q.id for q in ctx.questions_for("Fatima")}
    assert not CASE_QUESTIONS & {q.id for q in ctx.questions_for("Bram")}


def test_the_report_does_not_count_them_as_missing(store, clock, no_case):
    submit(store, no_case, "Anouk", {"roti": 3, "top": "Kort"}, clock)
    submit(store, no_case, "Bram", {"roti": 4}, clock)
    append_event(store, no_case, "close", clock.now())
    report = build_report(store, no_case, clock=clock)
    ev = report["evaluation"]
    assert ev["not_asked"] == ["advice_useful", "action_chosen"]
    assert not CASE_QUESTIONS & {q["id"] for q in ev["summary"]}
    assert [q["id"] for q in ev["summary"]][:2] == ["roti", "relevance"]
    line = "Geen inbrenger in deze bijeenkomst: de vragen voor de inbrenger zijn niet gesteld."
    assert f"*{line}*" in render_md(report) and line in render_html(report)


def test_the_report_of_a_meeting_with_a_case_bringer_says_nothing_of_it(store, clock, standaard):
    mid = create_meeting(store, standaard, NAMES, clock)
    append_event(store, mid, "start", clock.now())
    append_event(store, mid, "case_bringer", clock.now(), {"name": "Fatima"})
    submit(store, mid, "Fatima", {"roti": 4, "advice_useful": 5}, clock)
    append_event(store, mid, "close", clock.now())
    report = build_report(store, mid, clock=clock)
    assert "not_asked" not in report["evaluation"]
    assert "advice_useful" in {q["id"] for q in report["evaluation"]["summary"]}
    assert "Geen inbrenger" not in render_md(report)


async def test_kring_evaluate_asks_no_case_bringer_question(store, clock, no_case):
    from kring.screens.evaluate import EvaluateScreen
    from kring.tui.evaluate_app import EvaluateApp

    app = EvaluateApp(store, open_evaluation(store, no_case), participant="Fatima", clock=clock, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EvaluateScreen)
        assert [q.id for q in app.screen.questions] == ["roti", "relevance", "safety", "goals", "method", "top",
                                                         "tip", "tomorrow"]
        text = " ".join(str(w.render()) for w in app.screen.query(".question-text"))
        assert "Inbrenger" not in text and "inbrenger" not in text


async def test_the_moderators_keyboard_round_asks_no_case_bringer_question(make_app, store, clock, no_case):
    from kring.screens.evaluate import EvaluateScreen
    from tests.test_evaluation_screens import pick, settle

    app = make_app(no_case)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(app, pilot)
        await pick(pilot, app, "Fatima")
        assert isinstance(app.screen, EvaluateScreen)
        assert not CASE_QUESTIONS & {q.id for q in app.screen.questions}


async def test_the_phone_form_skips_them(aiohttp_client, store, clock, no_case, standaard):
    token = token_for(store, no_case, clock)
    client = await aiohttp_client(make_app(store, no_case, token, clock, Limits(follow_interval=0.02)))
    html = await (await client.get(f"/m/{token}/form")).text()
    assert 'id="q-roti"' in html and 'id="q-tomorrow"' in html
    assert 'id="q-advice_useful"' not in html and 'id="q-action_chosen"' not in html and "Inbrenger" not in html
    # a meeting where a case-bringer may still be chosen keeps them, for whoever brings the case
    other = create_meeting(store, standaard, NAMES, clock)
    token2 = token_for(store, other, clock)
    client2 = await aiohttp_client(make_app(store, other, token2, clock, Limits(follow_interval=0.02)))
    html2 = await (await client2.get(f"/m/{token2}/form")).text()
    assert 'id="q-advice_useful"' in html2
