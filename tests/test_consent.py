"""Confidentiality in intervision: ctrl+g acts on what has the focus, lifting asks first,
and a case-bringer's consent (`v`) covers every note of their case, before and after
the key, until it is withdrawn. Unit tests for the rule, Pilot tests driving the real
screens, and the exports (md, html, json, csv) and the store checked for the text.
"""

from __future__ import annotations

import json

import pytest

from kring.data.core.consent import ConsentRule
from kring.data.core.steps import FormatSteps
from kring.data.meetings import append_event, create_meeting
from kring.data.notes import add_note, list_notes
from kring.data.report import render_csv, render_html, render_md
from kring.data.report import build_report
from kring.tui.widgets import notelist
from kring.workformats.loader import find
from tests.note_helpers import make_note
from tests.test_notes_screen import make_notes, note_input, screen_text, settle, type_text  # noqa: F401

NAMES = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]
SECRET = "Fatima vertelt over haar burn-out"


@pytest.fixture
def roddel(store, clock):
    """A roddelmethode meeting (every step confidential), started, Fatima brings the case."""
    mid = create_meeting(store, find("roddelmethode").model_dump(mode="json"), NAMES, clock)
    append_event(store, mid, "start", clock.now())
    append_event(store, mid, "case_bringer", clock.now(), {"name": "Fatima"}, origin="moderator")
    return mid


def exports(store, mid, clock) -> dict[str, str]:
    report = build_report(store, mid, clock=clock)
    return {"md": render_md(report), "html": render_html(report), "csv": render_csv(report),
            "json": json.dumps(report, ensure_ascii=False)}


def ev(at, kind, **data):
    return {"at": at, "kind": kind, "data": data}


# --- the rule -------------------------------------------------------------------------------


def test_consent_covers_the_whole_case_and_can_be_withdrawn(clock):
    fmt = find("roddelmethode").model_dump(mode="json")
    t0 = clock.now()
    at = lambda m: t0.add(minutes=m)  # noqa: E731
    events = [ev(at(0), "start"), ev(at(1), "case_bringer", name="Fatima")]
    before = dict(stored=True, step_index=1, at=at(5), uid="a")  # taken before the consent
    before_case = dict(stored=True, step_index=0, at=at(0), uid="z")  # no case-bringer yet
    assert FormatSteps.of(fmt).is_confidential(1) and not FormatSteps.of({"steps": fmt["steps"][:1]}).is_confidential(0)
    assert ConsentRule.of(fmt, events).confidential(**before)

    events.append(ev(at(20), "consent", name="Fatima", share=True))
    rule = ConsentRule.of(fmt, events)
    assert not rule.confidential(**before)  # before the key: shared too
    assert not rule.confidential(stored=True, step_index=3, at=at(30), uid="b")  # and after it
    assert rule.confidential(**before_case)  # no case yet: nobody could agree for it
    assert rule.agreed("Fatima").at == at(20)
    assert rule.report() == [{"name": "Fatima", "share": True, "at": at(20).isoformat()}]

    # another case-bringer's case is their own
    events.append(ev(at(40), "case_bringer", name="Bram"))
    rule = ConsentRule.of(fmt, events)
    assert rule.confidential(stored=True, step_index=1, at=at(45), uid="c")
    assert not rule.confidential(**before)
    assert rule.case_notes([{**before, "confidential": True}], "Fatima")

    # only the case-bringer of the moment gives or withdraws consent
    events.append(ev(at(50), "consent", name="Fatima", share=False))
    assert not ConsentRule.of(fmt, events).confidential(**before)
    events.append(ev(at(55), "case_bringer", name="Fatima"))
    events.append(ev(at(56), "consent", name="Fatima", share=False))
    rule = ConsentRule.of(fmt, events)
    assert rule.confidential(**before)  # withdrawn: confidential again
    assert rule.report()[0]["share"] is False


def test_the_note_takers_own_choice_wins_where_it_is_more_private(clock):
    fmt = find("roddelmethode").model_dump(mode="json")
    t0 = clock.now()
    events = [ev(t0, "case_bringer", name="Fatima"), ev(t0.add(minutes=9), "consent", name="Fatima", share=True),
              ev(t0.add(minutes=2), "note_confidential", uid="kept", confidential=True),
              ev(t0.add(minutes=3), "note_confidential", uid="lifted", confidential=False)]
    rule = ConsentRule.of(fmt, sorted(events, key=lambda e: e["at"]))
    assert rule.confidential(stored=True, step_index=1, at=t0.add(minutes=1), uid="kept")
    assert not rule.confidential(stored=False, step_index=1, at=t0.add(minutes=1), uid="lifted")
    assert not rule.confidential(stored=True, step_index=1, at=t0.add(minutes=1), uid="plain")
    # a note made confidential in an open step is no note of any case
    standaard = find("standaard").model_dump(mode="json")
    assert ConsentRule.of(standaard, events).confidential(stored=True, step_index=0, at=t0, uid="plain")


# --- ctrl+g acts on what has the focus --------------------------------------------------------


async def test_ctrl_g_in_an_empty_list_changes_nothing_and_says_so(make_notes, roddel, store, clock):
    """The finding: type, Enter; Tab, d, j; ctrl+g flipped the draft and the next note leaked."""
    app = make_notes(roddel)
    async with app.run_test(size=(80, 24)) as pilot:
        said: list[str] = []
        app.notify = lambda message, **kw: said.append(str(message))
        await type_text(pilot, "eerste notitie")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("tab", "d", "j")
        await settle(app, pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert said[-1] == "Geen notitie gekozen: niets veranderd. Kies er een met ↑ ↓, of Esc om te typen."
        await pilot.press("escape")
        await type_text(pilot, SECRET)
        assert note_input(app).has_class("-confidential")
        await pilot.press("enter")
        await settle(app, pilot)
    assert [n.confidential for n in list_notes(store, roddel) if n.text == SECRET] == [True]
    for name, text in exports(store, roddel, clock).items():
        assert "burn-out" not in text, name


async def test_ctrl_g_in_the_list_acts_on_the_selected_note_and_lifting_asks(make_notes, roddel, store):
    app = make_notes(roddel)
    async with app.run_test(size=(40, 16)) as pilot:
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        await type_text(pilot, "wordt getypt")
        await settle(app, pilot)
        assert notelist.LOCK in screen_text(app)  # at 40 columns too: a mark, not a colour
        await pilot.press("tab", "ctrl+g")
        await pilot.pause()
        assert "vertrouwelijke stap" in str(app.screen.query_one("#confirm").query("Static").first().render())
        await pilot.press("n")  # no: it stays confidential
        await settle(app, pilot)
        assert list_notes(store, roddel)[0].confidential
        await pilot.press("ctrl+g", "j")
        await settle(app, pilot)
        assert not list_notes(store, roddel)[0].confidential
        assert app.screen.focused.id == "note-list"
        assert app.screen.composer.is_confidential()  # the draft did not flip
        await pilot.press("ctrl+g")  # back to confidential: no question
        await settle(app, pilot)
        assert list_notes(store, roddel)[0].confidential


async def test_ctrl_g_in_the_input_asks_before_lifting(make_notes, roddel, store):
    app = make_notes(roddel)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "niet delen")
        await pilot.press("ctrl+g", "n", "enter")
        await type_text(pilot, "wel delen")
        await pilot.press("ctrl+g", "j", "enter")
        await settle(app, pilot)
    assert {n.text: n.confidential for n in list_notes(store, roddel)} == {"niet delen": True, "wel delen": False}


async def test_the_agendas_quick_note_asks_before_lifting(make_app, roddel, store):
    app = make_app(roddel)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await type_text(pilot, "snelle notitie")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.screen.query("#confirm")
        await pilot.press("n")
        await pilot.press("enter")
        app.outbox.flush()
        await pilot.pause()
    assert [n.confidential for n in list_notes(store, roddel)] == [True]


# --- consent covers the case ------------------------------------------------------------------


async def wait_for_confirm(app, pilot):
    for _ in range(50):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.screen.query("#confirm"):
            return str(app.screen.query_one("#confirm").query("Static").first().render())
    raise AssertionError("no confirmation")


async def test_v_shares_every_note_of_the_case_and_withdrawing_hides_them_again(
        make_app, make_notes, roddel, store, clock):
    # taken before the consent, by a note-taker
    add_note(store, roddel, make_note(clock, text=SECRET, step_index=1, confidential=True))
    clock.advance(minutes=5)
    add_note(store, roddel, make_note(clock, text="Bram houdt het voor zich", step_index=1, confidential=True,
                                      uid="kept"))
    append_event(store, roddel, "note_confidential", clock.now(), {"uid": "kept", "confidential": True})
    assert all("burn-out" not in text for text in exports(store, roddel, clock).values())

    app = make_app(roddel)
    async with app.run_test(size=(100, 30)) as pilot:
        clock.advance(minutes=10)
        await pilot.press("v")
        question = await wait_for_confirm(app, pilot)
        assert "Fatima" in question and "1 vertrouwelijke notitie van" in question
        await pilot.press("j")
        app.outbox.flush()
        await pilot.pause()

    # a note typed after the key, by another note-taker, is covered too
    notes_app = make_notes(roddel, author="Sanne")
    async with notes_app.run_test(size=(80, 24)) as pilot:
        await type_text(pilot, "Fatima zoekt hulp")
        assert "gedeeld: Fatima stemde in" in str(note_input(notes_app).border_subtitle)
        await pilot.press("enter")
        await settle(notes_app, pilot)
        assert getattr(notelist, "UNLOCK", "?") in screen_text(notes_app)

    shared = exports(store, roddel, clock)
    for name, text in shared.items():
        assert "burn-out" in text and "hulp" in text, name
        assert "houdt het voor zich" not in text, name  # the note-taker's own choice wins
    assert "Fatima, de inbrenger, stemde op" in shared["md"] and "Fatima, de inbrenger, stemde op" in shared["html"]
    assert "consent;;case-bringer" in shared["csv"]
    report = json.loads(shared["json"])
    assert report["session"]["consent"][0]["name"] == "Fatima" and report["session"]["consent"][0]["share"]
    # the store keeps the notes as taken: consent lives in the event log
    assert {n.text: n.confidential for n in list_notes(store, roddel)}[SECRET] is True

    app = make_app(roddel)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("v")
        question = await wait_for_confirm(app, pilot)
        assert "2 notities" in question
        await pilot.press("j")
        app.outbox.flush()
        await pilot.pause()
    withdrawn = exports(store, roddel, clock)
    for name, text in withdrawn.items():
        assert "burn-out" not in text and "hulp" not in text, name
    assert "trok op" in withdrawn["md"]
