"""Submitting evaluations: checks, anonymity, double and concurrent submissions, summary maths."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from kring.data.errors import InputError
from kring.data.evaluation import (
    FORM_EVENT,
    case_bringers,
    open_evaluation,
    progress,
    resolve_participant,
    submit,
)
from kring.data.evaluation_summary import meeting_summary, summarize
from kring.data.live import load_snapshot
from kring.data.meetings import append_event, create_meeting, load_events
from kring.data.models import EvaluationReceipt, EvaluationResponse, Network
from kring.data.store import Store
from kring.workformats.forms import find_form

GOOD = {"roti": 3, "relevance": 4, "safety": 8, "goals": 7, "method": 9, "top": "Fijne sfeer", "tip": "",
        "tomorrow": "Eerst vragen, dan adviseren"}


def network_meeting(store, clock, standaard, *, anonymous: bool, form: str = "standaard") -> int:
    with store.writing() as s:
        net = Network(name="Wijkzorg", evaluation_form=form, anonymous_evaluation=anonymous, created_at=clock.now())
        s.add(net)
        s.flush()
        network_id = net.id
    return create_meeting(store, standaard, ["Anouk", "Bram", "Fatima", "Joris", "Lotte"], clock,
                          network_id=network_id)


def rows(store, model):
    with store.session() as s:
        return s.exec(select(model).order_by(model.id)).all()


def test_submit_stores_a_named_response_and_a_receipt(store, clock, meeting_id):
    result = submit(store, meeting_id, "Anouk", GOOD, clock)
    assert result.participant == "Anouk" and not result.anonymous and result.answers == 7  # blank tip left out
    [resp] = rows(store, EvaluationResponse)
    assert resp.participant == "Anouk" and resp.form == "standaard" and resp.at == clock.now()
    assert resp.answers == {k: v for k, v in GOOD.items() if v != ""}
    [receipt] = rows(store, EvaluationReceipt)
    assert receipt.participant == "Anouk"
    assert progress(store, meeting_id) == {"answered": 1, "expected": 5, "names": ["Anouk"]}
    assert load_snapshot(store, meeting_id).extra["evaluation"]["answered"] == 1
    # the meeting keeps the form it was evaluated with
    [ev] = [e for e in load_events(store, meeting_id) if e.kind == FORM_EVENT]
    assert ev.data["form"]["name"] == "standaard" and ev.data["anonymous"] is False


def test_double_submission_is_refused_and_the_first_stands(store, clock, meeting_id, english):
    submit(store, meeting_id, "Bram", {"roti": 4}, clock)
    with pytest.raises(InputError, match="Bram has already filled in the evaluation"):
        submit(store, meeting_id, "Bram", {"roti": 0}, clock)
    [resp] = rows(store, EvaluationResponse)
    assert resp.answers == {"roti": 4}
    assert len(rows(store, EvaluationReceipt)) == 1


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"relevance": 6}, r"question 'relevance' \(.*\): must be from 1 to 5, got 6"),
        ({"roti": -1}, "must be from 0 to 4, got -1"),
        ({"safety": 11}, "must be from 0 to 10, got 11"),
        ({"roti": "veel"}, "must be a whole number from 0 to 4"),
        ({"roti": 2, "kleur": "rood"}, "question 'kleur' is not on the form 'standaard'"),
        ({"top": "  ", "roti": None}, "no answers given"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(store, clock, meeting_id, answers, message, english):
    with pytest.raises(InputError, match=message):
        submit(store, meeting_id, "Fatima", answers, clock)
    assert rows(store, EvaluationResponse) == [] and rows(store, EvaluationReceipt) == []
    submit(store, meeting_id, "Fatima", {"roti": 2}, clock)  # she can still answer after the refusal


def test_a_stranger_cannot_submit_but_a_latecomer_can(store, clock, meeting_id, english):
    with pytest.raises(InputError, match="'Zoë' is not a participant"):
        submit(store, meeting_id, "Zoë", {"roti": 2}, clock)
    append_event(store, meeting_id, "join", clock.now(), {"name": "Zoë"})
    assert open_evaluation(store, meeting_id).participants[-1] == "Zoë"
    submit(store, meeting_id, "Zoë", {"roti": 2}, clock)
    assert progress(store, meeting_id) == {"answered": 1, "expected": 6, "names": ["Zoë"]}


def test_resolve_participant_from_what_was_typed(english):
    names = ["Anouk de Vries", "Bram Jansen", "Bram Peeters"]
    assert resolve_participant(names, "anouk de  vries") == "Anouk de Vries"
    assert resolve_participant(names, "anouk") == "Anouk de Vries"
    with pytest.raises(InputError, match="fits more than one participant: Bram Jansen, Bram Peeters"):
        resolve_participant(names, "bram")
    with pytest.raises(InputError, match="'Zoë' is not a participant of this meeting"):
        resolve_participant(names, "Zoë")


def test_case_bringer_questions(store, clock, meeting_id, english):
    ctx = open_evaluation(store, meeting_id)
    # nobody recorded: everyone sees them, and may skip them
    assert ctx.case_bringers == [] and len(ctx.questions_for("Anouk")) == 10
    append_event(store, meeting_id, "case_bringer", clock.now(), {"name": "Bram"})
    append_event(store, meeting_id, "case_bringer", clock.now(), {"name": "Joris"})  # the moderator changed it
    ctx = open_evaluation(store, meeting_id)
    assert ctx.case_bringers == ["Joris"]
    assert "advice_useful" not in [q.id for q in ctx.questions_for("Anouk")]
    assert "advice_useful" in [q.id for q in ctx.questions_for("Joris")]
    with pytest.raises(InputError, match="'advice_useful' is for the case-bringer only"):
        submit(store, meeting_id, "Anouk", {"roti": 3, "advice_useful": 5}, clock)
    submit(store, meeting_id, "Joris", {"roti": 4, "advice_useful": 5, "action_chosen": "Gesprek plannen"}, clock)
    [resp] = rows(store, EvaluationResponse)
    assert resp.case_bringer and resp.participant == "Joris"


def test_case_bringers_per_step():
    class E:
        def __init__(self, data):
            self.kind, self.data = "case_bringer", data

    assert case_bringers([E({"name": "A", "step": 1}), E({"name": "B", "step": 2}), E({"name": "C", "step": 1})]) \
        == ["C", "B"]
    assert case_bringers([E({"name": "A"}), E({"name": None})]) == []


def test_anonymous_answers_carry_no_link_to_the_person(store, clock, standaard):
    meeting_id = network_meeting(store, clock, standaard, anonymous=True)
    append_event(store, meeting_id, "case_bringer", clock.now(), {"name": "Fatima"})
    people = {
        "Anouk": {"roti": 1, "top": "Anouk-top"},
        "Bram": {"roti": 2, "top": "Bram-top"},
        "Fatima": {"roti": 3, "top": "Fatima-top", "advice_useful": 5, "action_chosen": "Bellen"},
        "Joris": {"roti": 4, "top": "Joris-top"},
    }
    for name, answers in people.items():
        clock.advance(seconds=40)
        assert submit(store, meeting_id, name, answers, clock).anonymous
    responses = rows(store, EvaluationResponse)
    receipts = rows(store, EvaluationReceipt)
    assert [r.participant for r in receipts] == list(people)  # who answered is known...
    for r in responses:  # ...what they answered is not linked to them
        assert r.participant is None and r.at is None
    stored = {str(r.answers) for r in responses}
    # the case-bringer's own questions sit in a row of their own
    assert "{'advice_useful': 5, 'action_chosen': 'Bellen'}" in stored
    assert "{'roti': 3, 'top': 'Fatima-top'}" in stored
    [bringer_row] = [r for r in responses if r.case_bringer]
    assert "roti" not in bringer_row.answers
    # no shared timestamp: receipts keep their moments, responses have none
    assert all(rc.at is not None for rc in receipts)
    # and no column of the answers' table names anyone
    from sqlalchemy import text

    with store.engine.connect() as con:
        raw = con.execute(text("SELECT * FROM evaluation_response")).fetchall()
    assert len(raw) == 5
    for row in raw:
        text = " ".join(str(v) for v in row)
        assert not any(name in text.replace(name + "-top", "") for name in people)


def test_a_browsers_unnamed_answers_count_once_and_hold_no_name(store, clock, standaard):
    from kring.data.evaluation import AlreadyAnswered, EveryoneAnswered, submit_unnamed, unnamed_receipt

    meeting_id = network_meeting(store, clock, standaard, anonymous=True)
    submit(store, meeting_id, "Anouk", {"roti": 1}, clock)  # the terminal, by name, as before
    phones = [unnamed_receipt("link-token", f"cookie-{i}") for i in range(5)]
    for i, key in enumerate(phones[:4]):
        assert submit_unnamed(store, meeting_id, key, {"roti": i, "top": f"top {i}"}, clock).anonymous
    with pytest.raises(AlreadyAnswered):
        submit_unnamed(store, meeting_id, phones[0], {"roti": 4}, clock)  # the same browser again
    with pytest.raises(EveryoneAnswered):  # five of five: one more would count someone twice
        submit_unnamed(store, meeting_id, phones[4], {"roti": 4}, clock)
    assert progress(store, meeting_id) == {"answered": 5, "expected": 5, "names": ["Anouk"]}
    ctx = open_evaluation(store, meeting_id)
    assert ctx.answered == ["Anouk"] and ctx.answered_count == 5 and ctx.everyone_answered
    assert load_snapshot(store, meeting_id).extra["evaluation"]["answered"] == 5
    receipts = rows(store, EvaluationReceipt)
    for rc in receipts[1:]:  # no name, no moment, not the cookie
        assert rc.at is None and "cookie" not in rc.participant
        assert not any(n in rc.participant for n in ["Anouk", "Bram", "Fatima", "Joris", "Lotte"])
    assert all(r.participant is None and r.at is None for r in rows(store, EvaluationResponse))
    assert sorted(r.answers["roti"] for r in rows(store, EvaluationResponse)) == [0, 1, 1, 2, 3]
    assert not meeting_summary(store, meeting_id).withheld


def test_unnamed_answers_only_where_the_evaluation_is_anonymous(store, clock, standaard, english):
    from kring.data.evaluation import submit_unnamed, unnamed_receipt

    meeting_id = network_meeting(store, clock, standaard, anonymous=False)
    with pytest.raises(InputError, match="not anonymous"):
        submit_unnamed(store, meeting_id, unnamed_receipt("t", "c"), {"roti": 2}, clock)
    assert rows(store, EvaluationReceipt) == [] and rows(store, EvaluationResponse) == []


def test_anonymous_row_order_is_dealt_again(store, clock, standaard):
    """Row ids must not follow the order of the receipts: each submission reshuffles."""
    meeting_id = network_meeting(store, clock, standaard, anonymous=True)
    names = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]
    orders = set()
    for attempt in range(12):
        with store.writing() as s:
            for model in (EvaluationResponse, EvaluationReceipt):
                for row in s.exec(select(model)).all():
                    s.delete(row)
        for i, name in enumerate(names):
            submit(store, meeting_id, name, {"roti": i}, clock)
        orders.add(tuple(r.answers["roti"] for r in rows(store, EvaluationResponse)))
    assert len(orders) > 1  # the same order 12 times running: about 1 chance in 120^11


def test_the_meeting_keeps_its_form_and_anonymity(store, clock, standaard):
    meeting_id = network_meeting(store, clock, standaard, anonymous=False)
    submit(store, meeting_id, "Anouk", {"roti": 2}, clock)
    with store.writing() as s:
        net = s.exec(select(Network)).one()
        net.anonymous_evaluation = True  # changed halfway: this meeting stays as it began
        s.add(net)
    assert not submit(store, meeting_id, "Bram", {"roti": 3}, clock).anonymous
    assert not open_evaluation(store, meeting_id).anonymous


def test_unknown_network_form_is_a_clear_message(store, clock, standaard, english):
    meeting_id = network_meeting(store, clock, standaard, anonymous=False, form="bestaatniet")
    with pytest.raises(InputError, match="unknown evaluation form 'bestaatniet'"):
        open_evaluation(store, meeting_id)


def test_two_participants_submit_at_once_on_one_sqlite_file(db_url, clock, meeting_id, store, english):
    """Two processes' worth of engines on one file, racing: both land, nothing lost or doubled."""
    stores = [Store(db_url), Store(db_url)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)
    jobs = [("Anouk", {"roti": 4}), ("Bram", {"roti": 1}), ("Fatima", {"roti": 2}), ("Bram", {"roti": 3})]

    def work(i: int, name: str, answers: dict) -> None:
        barrier.wait()
        try:
            submit(stores[i % 2], meeting_id, name, answers, clock)
        except InputError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    for s in stores:
        s.close()
    assert [str(e) for e in errors] == ["Bram has already filled in the evaluation; the first answers stand"]
    responses = rows(store, EvaluationResponse)
    assert sorted(r.participant for r in responses) == ["Anouk", "Bram", "Fatima"]
    assert progress(store, meeting_id)["answered"] == 3
    assert len([e for e in load_events(store, meeting_id) if e.kind == FORM_EVENT]) == 1


def test_summary_maths():
    form = find_form("standaard")
    responses = [
        {"answers": {"roti": 4, "relevance": 5, "safety": 10, "top": "Sfeer"}},
        {"answers": {"roti": 2, "relevance": 3, "tip": "Korter"}},
        {"answers": {"roti": 3, "relevance": 3, "safety": 7, "top": "Casus"}},
        {"answers": {"roti": 9, "relevance": "x"}},  # values that do not fit are left out
    ]
    summary = {q["id"]: q for q in summarize(form, responses)}
    roti = summary["roti"]
    assert roti["count"] == 3 and roti["mean"] == 3.0
    assert roti["distribution"] == {0: 0, 1: 0, 2: 1, 3: 1, 4: 1}
    assert roti["labels"][4] and roti["type"] == "roti" and roti["min"] == 0 and roti["max"] == 4
    assert summary["relevance"]["mean"] == 3.67 and summary["relevance"]["distribution"][3] == 2
    assert summary["safety"]["mean"] == 8.5 and len(summary["safety"]["distribution"]) == 11
    assert summary["goals"] == {**summary["goals"], "count": 0, "mean": None}
    assert summary["top"]["answers"] == ["Sfeer", "Casus"] and summary["top"]["mean"] is None
    assert summary["top"]["count"] == 2 and summary["top"]["distribution"] == {}
    assert summary["tip"]["answers"] == ["Korter"]
    assert [q["id"] for q in summarize(form, [])] == [q.id for q in form.questions]


def test_summary_of_choices():
    from kring.workformats.forms import EvaluationForm

    form = EvaluationForm.model_validate({"name": "c", "title": "C", "source": "s", "questions": [
        {"id": "next", "text": "Volgende keer", "type": "choice", "choices": ["Balint", "Roddel", "Incident"]}]})
    [q] = summarize(form, [{"next": "Roddel"}, {"next": "roddel"}, {"next": "Balint"}])
    assert q["distribution"] == {"Balint": 1, "Roddel": 2, "Incident": 0} and q["count"] == 3 and q["mean"] is None


def test_meeting_summary_is_withheld_while_anonymous_answers_are_few(store, clock, standaard):
    meeting_id = network_meeting(store, clock, standaard, anonymous=True)
    submit(store, meeting_id, "Anouk", {"roti": 1}, clock)
    submit(store, meeting_id, "Bram", {"roti": 3}, clock)
    summary = meeting_summary(store, meeting_id)
    assert summary.withheld and summary.responses == 2
    submit(store, meeting_id, "Fatima", {"roti": 2}, clock)
    summary = meeting_summary(store, meeting_id)
    assert not summary.withheld and summary.questions[0]["mean"] == 2.0


def test_a_network_chooses_its_form_and_anonymity(store, clock, standaard, english):
    from kring.data.evaluation import choose_for_network
    from kring.workformats.forms import forms_dir

    meeting_id = network_meeting(store, clock, standaard, anonymous=False)
    with store.session() as s:
        network_id = s.exec(select(Network.id)).one()
    with pytest.raises(InputError, match="unknown evaluation form 'kort'"):
        choose_for_network(store, network_id, form="kort")
    forms_dir().mkdir(parents=True)
    (forms_dir() / "kort.yaml").write_text(
        "name: kort\ntitle: Kort\nsource: eigen\nquestions:\n  - {id: roti, text: Waard, type: roti}\n"
        "  - {id: vorm, text: Volgende keer, type: choice, choices: [Balint, Roddel]}\n", encoding="utf-8")
    assert choose_for_network(store, network_id, form="kort", anonymous=True) == ("kort", True)
    ctx = open_evaluation(store, meeting_id)
    assert ctx.form.name == "kort" and ctx.anonymous
    with pytest.raises(InputError, match="must be one of Balint, Roddel"):
        submit(store, meeting_id, "Anouk", {"vorm": "Incident"}, clock)
    submit(store, meeting_id, "Anouk", {"roti": 2, "vorm": "roddel"}, clock)
    assert [r.answers for r in rows(store, EvaluationResponse)] == [{"roti": 2, "vorm": "Roddel"}]


def test_someone_absent_is_not_expected_to_answer_unless_they_do(store, clock, meeting_id):
    append_event(store, meeting_id, "absent", clock.now(), {"name": "Bram", "absent": True})
    append_event(store, meeting_id, "absent", clock.now(), {"name": "Lotte", "absent": True})
    append_event(store, meeting_id, "absent", clock.now(), {"name": "Lotte", "absent": False})  # back again
    assert open_evaluation(store, meeting_id).participants == ["Anouk", "Fatima", "Joris", "Lotte"]
    assert progress(store, meeting_id)["expected"] == 4
    # marked absent by mistake: their answer is taken, and then they count
    submit(store, meeting_id, "Bram", {"roti": 3}, clock)
    assert progress(store, meeting_id) == {"answered": 1, "expected": 5, "names": ["Bram"]}
