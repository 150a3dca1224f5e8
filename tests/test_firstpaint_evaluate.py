"""`kring evaluate` paints first: the form's top and first question show before the
store is open, every key waits meanwhile, and the full form takes them in order.
Nothing is shown as answered or sent before it is."""

from __future__ import annotations

import time

import pytest


@pytest.fixture(autouse=True)
def _sqlite(db_url):
    if not db_url.startswith("sqlite:///"):
        pytest.skip("the quick read is for SQLite files")


async def _until(pilot, test, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not test():
        assert time.monotonic() < deadline, "gave up waiting"
        await pilot.pause(0.05)


def _first(store, meeting_id, given):
    from kring.tui.firstform import read_form
    from kring.tui.firstpaint import read

    first = read(store.url.removeprefix("sqlite:///"), meeting_id=meeting_id, closed_too=True)
    return first, (read_form(first, given) if first is not None else None)


def test_the_form_for_the_first_paint_needs_the_cache_and_a_plain_name(store, clock, meeting_id):
    from kring.data.core.events import EventKind
    from kring.data.evaluation import submit
    from kring.data.meetings import append_event
    from kring.workformats.forms import DEFAULT_FORM, find_form_kept
    from kring.tui import firstform

    assert firstform.DEFAULT_FORM == DEFAULT_FORM
    assert _first(store, meeting_id, "lotte")[1] is None  # the form never read: the usual path
    find_form_kept(None)
    form = _first(store, meeting_id, "lotte")[1]
    assert (form.title, form.participant, form.anonymous, form.first) == (
        "Evaluatie van de bijeenkomst", "Lotte", False, True)
    assert form.question == "Was deze bijeenkomst mijn tijd waard?"
    for unclear in ("Nobody", ""):
        assert _first(store, meeting_id, unclear)[1] is None
    submit(store, meeting_id, "Bram", {"roti": 3}, clock)
    assert _first(store, meeting_id, "bram")[1] is None  # answered: refused before any screen
    # answers a killed form kept: the full form resumes at their question, so no first paint of question 1
    from kring.data.draftjournal import DraftJournal, journal_path

    kept = journal_path(store.url, store.path, meeting_id, "Lotte#evaluate")
    journal = DraftJournal(kept)
    journal.write("", {"answers": {"roti": 4}})
    journal.close()
    assert _first(store, meeting_id, "lotte")[1] is None
    kept.unlink()
    assert _first(store, meeting_id, "lotte")[1] is not None
    append_event(store, meeting_id, EventKind.ABSENT, clock.now(), {"name": "Joris"})
    assert _first(store, meeting_id, "lotte")[1] is None  # who may evaluate: the store says


async def test_keys_typed_before_the_store_is_open_reach_the_form_in_order(store, clock, meeting_id):
    from kring.data.evaluation import open_evaluation
    from kring.screens.evaluate import EvaluateScreen
    from kring.screens.evaluate_core import EvaluateScreen as EvaluateCore
    from kring.tui.evaluate_app import EvaluateApp
    from kring.tui.widgets.answers import Answer
    from kring.workformats.forms import find_form_kept

    find_form_kept(None)
    first, form = _first(store, meeting_id, "lotte")
    app = EvaluateApp(None, None, participant="lotte", first_paint=first, first_form=form, clock=clock,
                      watch=False)
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None  # hold the store back: the participant answers first
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen) is EvaluateCore and not app.connected
        assert "1. Was deze bijeenkomst mijn tijd waard?" in str(app.screen.query_one(".question-text").render())
        keys = ["3", "enter", "4", "enter", "7", "enter", "8", "enter", "9", "enter", *"goed"]
        await pilot.press(*keys)
        await pilot.pause()
        assert len(app.waiting_keys) == len(keys)
        assert not app.screen.query(Answer)  # nothing shown as answered before the form is up
        opening()
        await _until(pilot, lambda: isinstance(app.screen, EvaluateScreen) and not app.waiting_keys
                     and app.screen.collect().get("top") == "goed")
        await pilot.press("!")  # typed after: follows the keys that waited
        await pilot.pause()
        assert app.screen.participant == "Lotte"
        assert app.screen.collect() == {"roti": 3, "relevance": 4, "safety": 7, "goals": 8, "method": 9,
                                        "top": "goed!"}
        assert open_evaluation(store, meeting_id).answered == []  # nothing sent: ctrl+s was not pressed


async def test_a_name_that_answered_meanwhile_ends_the_app_as_the_usual_path_refuses(store, clock, meeting_id):
    from kring.data.errors import InputError
    from kring.data.evaluation import submit
    from kring.tui.evaluate_app import EvaluateApp
    from kring.workformats.forms import find_form_kept

    find_form_kept(None)
    first, form = _first(store, meeting_id, "Lotte")
    submit(store, meeting_id, "Lotte", {"roti": 2}, clock)  # from another terminal, after the quick read
    app = EvaluateApp(None, None, participant="Lotte", first_paint=first, first_form=form, clock=clock,
                      watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: app.open_error is not None)
    assert isinstance(app.open_error, InputError) and "Lotte" in str(app.open_error)
    assert app.return_value is None


ANSWERS = {"roti": 3, "relevance": 4, "safety": 7, "goals": 8, "method": 9, "top": "goed"}
TYPED = ["3", "enter", "4", "enter", "7", "enter", "8", "enter", "9", "enter", *"goed"]


@pytest.mark.parametrize("waited", [1, 2, 3, 9, 11])
async def test_keys_typed_as_the_form_comes_up_follow_those_that_waited(store, clock, meeting_id, monkeypatch,
                                                                        waited):
    """The hand-over step by step: the first `waited` keys are typed on the first paint
    and wait; the rest come while the full form's word that it is ready waits its turn
    in the App's queue (a quick typist on a busy machine). Each answer lands on its own
    question, and is in the journal as it shows."""
    from textual import events

    from kring.data.draftjournal import DraftJournal
    from kring.screens.evaluate import EvaluateScreen
    from kring.tui.evaluate_app import EvaluateApp
    from kring.workformats.forms import find_form_kept

    ready = EvaluateApp.on_evaluate_screen_ready

    async def typed_meanwhile(app, message):
        for key in TYPED[waited:]:  # queued behind the message: typed after the form sent it
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await ready(app, message)

    monkeypatch.setattr(EvaluateApp, "on_evaluate_screen_ready", typed_meanwhile)
    find_form_kept(None)
    first, form = _first(store, meeting_id, "lotte")
    app = EvaluateApp(None, None, participant="lotte", first_paint=first, first_form=form, clock=clock,
                      watch=False)
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None  # the store waits until the keys are typed
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*TYPED[:waited])
        assert len(app.waiting_keys) == waited
        opening()
        await _until(pilot, lambda: isinstance(app.screen, EvaluateScreen) and not app._holding)
        await pilot.pause()
        assert app.screen.collect() == ANSWERS
        assert DraftJournal.read(app.screen._journal.path)[1]["answers"] == ANSWERS
