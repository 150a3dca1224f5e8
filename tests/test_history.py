"""The history: meetings per network, search across notes (never confidential
ones), the trend in the terminal, and a meeting's report on screen."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select, Static

from kring.data.history import WITHOUT_NETWORK, list_history
from kring.data.search import search_notes, snippet
from tests.reportdata import add_network, add_note, held_meeting


@pytest.fixture
def series(store, clock, standaard):
    """Two networks: Wijkzorg with three closed meetings and a live one, Jeugd with
    one, and one meeting without a network. ROTI rises in Wijkzorg: 2, 3, 3.5."""
    wijk = add_network(store, "Wijkzorg", theme="Samenwerken in de wijk", clock=clock)
    jeugd = add_network(store, "Jeugd", theme="Lastige gesprekken", clock=clock)
    ids = {}
    for title, roti in [("Wijkzorg januari", [2, 2]), ("Wijkzorg maart", [3, 3]), ("Wijkzorg mei", [3, 4])]:
        ids[title] = held_meeting(store, clock, standaard, network_id=wijk, title=title, roti=roti)
        clock.advance(minutes=60 * 24 * 60)
    add_note(store, ids["Wijkzorg maart"], "De coördinatie met huisartsen loopt beter", at=clock.now(),
             kind="insight", step=2, step_title="Inhoud door een deelnemer")
    ids["Jeugd april"] = held_meeting(store, clock, standaard, network_id=jeugd, title="Jeugd april", roti=[1])
    ids["Los"] = held_meeting(store, clock, standaard, title="Losse bijeenkomst", notes=False)
    clock.advance(minutes=60 * 24 * 7)
    ids["Wijkzorg juli"] = held_meeting(store, clock, standaard, network_id=wijk, title="Wijkzorg juli",
                                        roti=[0, 0], close=False)
    return {"wijk": wijk, "jeugd": jeugd, **ids}


def test_history_lists_meetings_per_network_newest_first(store, series):
    groups = list_history(store)
    assert [g.name for g in groups] == ["Jeugd", "Wijkzorg", None]
    assert groups[2].id == WITHOUT_NETWORK
    wijk = groups[1]
    assert [m.title for m in wijk.meetings] == ["Wijkzorg juli", "Wijkzorg mei", "Wijkzorg maart", "Wijkzorg januari"]
    maart = wijk.meetings[2]
    assert (maart.participants, maart.notes, maart.actions, maart.responses) == (5, 5, 1, 2)  # not the secret one
    assert [m.roti for m in wijk.meetings] == [None, 3.5, 3.0, 2.0]  # a live meeting's answers stay in the room
    assert wijk.meetings[0].status == "live" and wijk.meetings[0].responses == 2
    only = list_history(store, series["jeugd"])
    assert [g.name for g in only] == ["Jeugd"] and len(only[0].meetings) == 1
    loose = list_history(store, WITHOUT_NETWORK)
    assert [m.title for g in loose for m in g.meetings] == ["Losse bijeenkomst"]


def test_roti_in_the_database_and_in_python_agree(store, clock, standaard):
    from types import SimpleNamespace

    from kring.data.history import _roti_per_meeting
    from tests.reportdata import add_response

    mid = held_meeting(store, clock, standaard, title="Gemengd", roti=[4, 1])
    add_response(store, mid, "Joris", {"roti": "veel"}, at=clock.now())  # a text never counts
    add_response(store, mid, "Lotte", {"roti": True}, at=clock.now())  # nor a yes
    add_response(store, mid, "Anouk", {"relevance": 3}, at=clock.now(), receipt="Anouk2")  # no ROTI given
    other = SimpleNamespace(engine=SimpleNamespace(dialect=SimpleNamespace(name="other")))
    with store.session() as s:
        in_db = _roti_per_meeting(s, store, None)
        in_python = _roti_per_meeting(s, other, None)
    assert in_db == in_python == {mid: 2.5}


def test_search_finds_notes_but_never_confidential_or_deleted_ones(store, series):
    hits = search_notes(store, "vrijwilligers ZOMER")
    assert {h.meeting_title for h in hits} == {"Wijkzorg januari", "Wijkzorg maart", "Wijkzorg mei",
                                               "Jeugd april", "Wijkzorg juli"}
    assert hits[0].meeting_title == "Wijkzorg juli"  # newest first
    assert search_notes(store, "geheim") == []
    assert search_notes(store, "teamleider") == []
    assert search_notes(store, "weggegooide") == []
    assert [h.text for h in search_notes(store, "coordinatie")] == ["De coördinatie met huisartsen loopt beter"]
    assert len(search_notes(store, "zomer", series["jeugd"])) == 1
    assert search_notes(store, "   ") == [] and search_notes(store, "%") == [] and search_notes(store, "'") == []
    assert len(search_notes(store, "zomer", limit=2)) == 2


def test_search_without_a_full_text_index_gives_the_same_notes(store, series, monkeypatch):
    from kring.data import search

    with_index = {h.note_id for h in search_notes(store, "zomer vrijwilligers")}
    monkeypatch.setattr(search, "method", lambda _store: "like")
    assert {h.note_id for h in search_notes(store, "zomer vrijwilligers")} == with_index
    assert search_notes(store, "geheim") == []
    assert search_notes(store, "100%") == []  # LIKE wildcards are plain characters
    assert [h.text for h in search_notes(store, "coördinatie")] == ["De coördinatie met huisartsen loopt beter"]


def test_snippet_shows_the_match():
    text = "Een lange aanloop " * 10 + "en dan de vrijwilligers " + "met nog meer tekst " * 5
    piece = snippet(text, ["vrijwilligers"], 40)
    assert "vrijwilligers" in piece and len(piece) <= 40 and piece.startswith("…")
    assert snippet("kort", ["x"], 40) == "kort"


# --- the screen ---------------------------------------------------------------------------------


def make_history(store, clock, **kw):
    from kring.tui.history_app import HistoryApp

    return HistoryApp(store, clock=clock, **kw)


async def settle(app, pilot):
    """Let the thread workers load and the screen redraw; never waits for a timer."""
    from textual.worker import WorkerCancelled

    done = 0
    for _ in range(20):
        try:
            await app.workers.wait_for_complete()
            done += 1
        except WorkerCancelled:  # a newer load replaced it (exclusive workers): wait for that one
            pass
        await pilot.pause()
        if done == 3:
            break


def _table_rows(screen) -> list[list[str]]:
    table = screen.query_one("#meetings", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_history_screen_lists_searches_and_opens_a_report(store, clock, series):
    from kring.screens.report import ReportScreen

    app = make_history(store, clock, network=series["wijk"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        # --network narrows to one network
        assert screen.query_one("#network", Select).value == series["wijk"]
        assert [r[1] for r in _table_rows(screen)] == ["Wijkzorg juli", "Wijkzorg mei", "Wijkzorg maart",
                                                       "Wijkzorg januari"]
        assert _table_rows(screen)[1][4] == "3,5"
        trend = str(screen.query_one("#trend", Static).render())
        assert "Was deze bijeenkomst mijn tijd waard?" in trend and "3,5" in trend

        await pilot.press("slash")
        assert screen.query_one("#search", Input).has_focus
        await pilot.press(*"coordinatie", "enter")
        await settle(app, pilot)
        rows = _table_rows(screen)
        assert len(rows) == 1 and rows[0][1] == "Wijkzorg maart"
        assert "coördinatie" in rows[0][2]
        assert screen.query_one("#meetings", DataTable).has_focus

        await pilot.press("escape")
        await pilot.press("slash", *"teamleider", "enter")  # only in a confidential note
        await settle(app, pilot)
        assert _table_rows(screen) == []
        assert "nooit doorzocht" in str(screen.query_one("#empty", Static).render())

        await pilot.press("escape")
        await settle(app, pilot)
        assert len(_table_rows(screen)) == 4
        await pilot.press("down", "enter")  # Wijkzorg mei
        await settle(app, pilot)
        report = app.screen
        assert isinstance(report, ReportScreen)
        assert report.markdown_text.startswith("# Verslag: Wijkzorg mei")
        assert "Vrijwilligers haken af na de zomer" in report.markdown_text
        assert "Geheim" not in report.markdown_text
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen


async def test_history_screen_other_network_all_networks_and_trend_questions(store, clock, series):
    from kring.screens.history import ALL

    app = make_history(store, clock, network=series["jeugd"], query="zomer")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert [r[1] for r in _table_rows(screen)] == ["Jeugd april"]  # the search, in this network
        screen.query_one("#search", Input).value = ""
        await settle(app, pilot)
        assert [r[1] for r in _table_rows(screen)] == ["Jeugd april"]

        screen.query_one("#network", Select).value = ALL
        await settle(app, pilot)
        rows = _table_rows(screen)
        assert len(rows) == 6 and rows[0][1] == "Wijkzorg" and rows[0][2] == "Wijkzorg juli"
        assert "Zonder netwerk" in [r[1] for r in rows]
        assert not screen.query_one("#trend").display  # a trend belongs to one network

        screen.query_one("#network", Select).value = series["wijk"]
        await settle(app, pilot)
        assert "tijd waard" in str(screen.query_one("#trend", Static).render())
        await pilot.press("t")
        assert "bruikbaar" in str(screen.query_one("#trend", Static).render())


async def test_history_searches_every_network_until_one_is_chosen(store, clock, series):
    from kring.screens.history import ALL

    add_note(store, series["Jeugd april"], "Ouders vooraf bellen werkt", at=clock.now(), kind="insight")
    app = make_history(store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.query_one("#network", Select).value == ALL  # not only the newest meeting's network
        assert len(_table_rows(screen)) == 6
        await pilot.press("slash", *"ouders", "enter")
        await settle(app, pilot)
        rows = _table_rows(screen)
        assert [(r[1], r[2]) for r in rows] == [("Jeugd", "Jeugd april")]  # whose note it is, in its own column
        assert "Ouders vooraf bellen" in rows[0][3]
        await pilot.resize_terminal(40, 12)  # too narrow for whose: the note keeps the room
        await pilot.pause()
        assert [r[1] for r in _table_rows(screen)] == ["Jeugd april"]
        await pilot.resize_terminal(100, 30)
        await pilot.pause()

        screen.query_one("#network", Select).value = series["wijk"]  # narrowed to one network
        await settle(app, pilot)
        assert _table_rows(screen) == []
        empty = str(screen.query_one("#empty", Static).render())
        assert "in Wijkzorg" in empty and "Alle netwerken" in empty

        screen.query_one("#network", Select).value = series["jeugd"]
        await settle(app, pilot)
        assert [r[1] for r in _table_rows(screen)] == ["Jeugd april"]


async def test_history_of_one_network_opens_on_it_with_its_trend(store, clock, standaard):
    wijk = add_network(store, "Wijkzorg", clock=clock)
    held_meeting(store, clock, standaard, network_id=wijk, title="Wijkzorg januari", roti=[2, 3])
    app = make_history(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one("#network", Select).value == wijk
        assert app.screen.query_one("#trend").display


async def test_history_of_an_empty_store(store, clock):
    app = make_history(store, clock)
    async with app.run_test(size=(40, 12)) as pilot:
        await settle(app, pilot)
        assert "kring demo" in str(app.screen.query_one("#empty", Static).render())
        await pilot.press("slash", *"iets", "enter")
        await settle(app, pilot)
        assert app.screen.query_one("#empty").display


def test_history_screen_80x24(snap_compare, store, clock, series):
    async def loaded(pilot):
        await settle(pilot.app, pilot)

    assert snap_compare(make_history(store, clock), terminal_size=(80, 24), run_before=loaded)


def test_kring_history_with_an_unknown_network_is_bad_input(tmp_path, capsys, english, monkeypatch):
    from kring.tui.cli import main

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)  # in a terminal: the network is what is wrong
    assert main(["history", "--db", str(tmp_path / "k.db"), "--network", "Nergens"]) == 2
    assert capsys.readouterr().err.startswith("kring: unknown network 'Nergens'")


async def test_choosing_a_network_loads_its_newest_meetings_and_says_how_many_in_all(store, clock, series,
                                                                                   monkeypatch):
    from kring.screens import history as screen_module
    from kring.screens.history import ALL

    monkeypatch.setattr(screen_module, "SHOWN_MAX", 3)  # the screen shows the newest three of a network
    asked: list[tuple[int | None, int]] = []
    recent = screen_module.recent_meetings

    def recording(store, network, limit):  # noqa: ANN001
        asked.append((network, limit))
        return recent(store, network, limit)

    monkeypatch.setattr(screen_module, "recent_meetings", recording)
    app = make_history(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        shown = screen.query_one("#shown", Static)
        assert [r[2] for r in _table_rows(screen)] == ["Wijkzorg juli", "Losse bijeenkomst", "Jeugd april"]
        assert shown.display and str(shown.render()) == "3 van 6 bijeenkomsten getoond (de nieuwste)"
        assert "netwerken: 2 · bijeenkomsten: 6" in str(screen.query_one("#history-counts", Static).render())

        screen.query_one("#network", Select).value = series["wijk"]
        await settle(app, pilot)
        assert asked == [(series["wijk"], 3)]  # loaded when chosen, in the worker
        assert [r[1] for r in _table_rows(screen)] == ["Wijkzorg juli", "Wijkzorg mei", "Wijkzorg maart"]
        assert shown.display and str(shown.render()) == "3 van 4 bijeenkomsten getoond (de nieuwste)"

        screen.query_one("#network", Select).value = series["jeugd"]
        await settle(app, pilot)
        assert asked == [(series["wijk"], 3), (series["jeugd"], 3)]  # each once, when chosen
        assert [r[1] for r in _table_rows(screen)] == ["Jeugd april"]
        assert not shown.display  # all of them are shown

        screen.query_one("#network", Select).value = ALL
        await settle(app, pilot)
        assert asked[-1] == (None, 3)
        assert [r[2] for r in _table_rows(screen)] == ["Wijkzorg juli", "Losse bijeenkomst", "Jeugd april"]
        assert str(shown.render()) == "3 van 6 bijeenkomsten getoond (de nieuwste)"

        await pilot.press("slash", *"zomer", "enter")  # a search lists notes, not the newest meetings
        await settle(app, pilot)
        assert not shown.display
        await pilot.press("escape")
        await settle(app, pilot)
        assert shown.display

        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert str(shown.render()) == "3 van 6 getoond"
