"""'Wat ga ik anders doen?' comes back: the answers of the network's earlier
meetings are shown at the step that brings them back (the standard meeting's
look-back: the previous meeting; the borging's 'Wat ga ik anders doen?': every
earlier meeting), on the agenda and in that meeting's report."""

from __future__ import annotations

import pytest

from kring.data import network_meetings
from kring.data.evaluation import choose_for_network, submit
from kring.data.live import load_snapshot
from kring.data.meetings import append_event
from kring.data.recall import brought_back, recall_step
from kring.data.report import build_report, render_html, render_md
from tests.test_network import close, fmt, make_network
from tests.test_room import settle


@pytest.fixture
def network_id(store, clock) -> int:
    return make_network(store, clock)


def held(store, clock, network_id, answers: dict[str, str], *, title: str, closed: bool = True) -> int:
    mid = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock, title=title)
    for name, text in answers.items():
        submit(store, mid, name, {"roti": 3, "tomorrow": text}, clock)
    if closed:
        close(store, mid, clock)
    return mid


@pytest.fixture
def series(store, clock, network_id):
    held(store, clock, network_id, {"Anouk de Vries": "Vrijwilligers bellen"}, title="Eerste")
    held(store, clock, network_id, {"Bram Jansen": "Stagiair laten meelopen",
                                    "Anouk de Vries": "Eerst vragen wat iemand nodig heeft"}, title="Tweede")
    held(store, clock, network_id, {}, title="Derde")  # nobody answered that question


def test_the_formats_mark_where_the_answers_come_back():
    assert recall_step(fmt("standaard")).title == "Terugblik op de acties van vorige keer"
    assert recall_step(fmt("standaard")).brings_back_all is False
    assert recall_step(fmt("borging")).title == "Wat ga ik anders doen?" and recall_step(fmt("borging")).brings_back_all
    assert recall_step(fmt("incidentmethode")) is None


def test_the_standard_meeting_brings_back_the_previous_answers(store, clock, network_id, series):
    mid = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock, title="Vierde")
    held(store, clock, network_id, {"Joris Peeters": "Nog niet gesloten"}, title="Nog bezig", closed=False)
    back = brought_back(store, mid, fmt("standaard"))
    assert back["question"] == "tomorrow" and back["text"] == "Wat ga ik morgen anders doen?"
    assert [m["title"] for m in back["meetings"]] == ["Tweede"]  # the last one with answers; open ones not
    assert back["meetings"][0]["answers"] == [
        {"participant": "Anouk de Vries", "text": "Eerst vragen wat iemand nodig heeft"},
        {"participant": "Bram Jansen", "text": "Stagiair laten meelopen"}]


def test_the_borging_brings_back_every_earlier_meeting(store, clock, network_id, series):
    other = make_network(store, clock, name="Ander netwerk")
    held(store, clock, other, {"Joris Peeters": "Van een ander netwerk"}, title="Elders")
    mid = network_meetings.start_meeting(store, network_id, fmt("borging"), clock, title="Borging")
    back = brought_back(store, mid, fmt("borging"))
    assert [(m["title"], [a["text"] for a in m["answers"]]) for m in back["meetings"]] == [
        ("Tweede", ["Eerst vragen wat iemand nodig heeft", "Stagiair laten meelopen"]),
        ("Eerste", ["Vrijwilligers bellen"])]
    # the first meeting of a network has nothing to bring back
    fresh = make_network(store, clock, name="Nieuw netwerk")
    first = network_meetings.start_meeting(store, fresh, fmt("borging"), clock)
    assert brought_back(store, first, fmt("borging"))["meetings"] == []


def test_anonymous_answers_come_back_without_names_and_only_when_enough(store, clock, network_id):
    choose_for_network(store, network_id, anonymous=True)
    held(store, clock, network_id, {"Anouk de Vries": "Te weinig", "Bram Jansen": "om te tonen"}, title="Twee")
    mid = network_meetings.start_meeting(store, network_id, fmt("borging"), clock)
    assert brought_back(store, mid, fmt("borging"))["meetings"] == []
    held(store, clock, network_id, {"Anouk de Vries": "Zus", "Bram Jansen": "Zo", "Lotte Bakker": "Anders"},
         title="Drie")
    later = network_meetings.start_meeting(store, network_id, fmt("borging"), clock)
    [m] = brought_back(store, later, fmt("borging"))["meetings"]
    assert m["answers"] == [{"participant": None, "text": t} for t in ("Anders", "Zo", "Zus")]


def test_the_report_has_them_under_their_own_heading(store, clock, network_id, series):
    mid = network_meetings.start_meeting(store, network_id, fmt("borging"), clock, title="Borging")
    close(store, mid, clock)
    report = build_report(store, mid, clock=clock)
    assert [m["title"] for m in report["brought_back"]["meetings"]] == ["Tweede", "Eerste"]
    md = render_md(report)
    section = md.split("## Eerder geantwoord: Wat ga ik morgen anders doen?\n\n", 1)[1].split("\n## ", 1)[0]
    assert "### Tweede, " in section and "- Stagiair laten meelopen *(Bram Jansen)*" in section
    assert section.index("Tweede") < section.index("Eerste")
    html = render_html(report)
    assert "<h2>Eerder geantwoord: Wat ga ik morgen anders doen?</h2>" in html
    assert '<span class="text">Vrijwilligers bellen</span><span class="meta">Anouk de Vries</span>' in html
    # a format that brings nothing back has no such section
    plain = network_meetings.start_meeting(store, network_id, fmt("incidentmethode"), clock)
    assert build_report(store, plain, clock=clock)["brought_back"] is None


def test_the_live_agenda_gets_them_with_the_network(store, clock, network_id, series):
    mid = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    net = load_snapshot(store, mid).extra["network"]
    assert [m["title"] for m in net["brought_back"]["meetings"]] == ["Tweede"]


async def test_the_look_back_shows_what_was_said_last_time(store, clock, network_id, series, make_app):
    mid = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    app = make_app(mid)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one("#network-panel")
        assert "Eerder geantwoord" not in str(panel.render())  # before the first step: not yet
        await pilot.press("space", "n")
        await settle(app, pilot)
        text = str(panel.render())
        assert "Geen open acties" in text  # the look-back's own list stays
        assert "Eerder geantwoord: Wat ga ik morgen anders doen?" in text
        assert "Anouk de Vries: Eerst vragen wat iemand nodig heeft" in text
        await pilot.press("n")  # the next step brings nothing back
        await settle(app, pilot)
        assert "Eerder geantwoord" not in str(panel.render())


async def test_the_borging_step_shows_every_earlier_answer(store, clock, network_id, series, make_app):
    mid = network_meetings.start_meeting(store, network_id, fmt("borging"), clock)
    step = [s["title"] for s in fmt("borging")["steps"]].index("Wat ga ik anders doen?")
    app = make_app(mid)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("space", *["n"] * step)
        await settle(app, pilot)
        assert app.timeline().current == step
        text = str(app.screen.query_one("#network-panel").render())
        assert "Eerder geantwoord: Wat ga ik morgen anders doen?" in text
        for said in ("Vrijwilligers bellen", "Stagiair laten meelopen", "Eerst vragen wat iemand nodig heeft"):
            assert said in text
