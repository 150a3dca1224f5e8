"""Every clock time a person reads is in the zone of the settings (--timezone, KRING_TIMEZONE,
config.toml, TZ, Europe/Amsterdam), not the machine's; the check before the first step of a
meeting started from the calendar offers the planned start and end; an action's history says
who marked it as the role is named."""

from __future__ import annotations

import argparse

import pendulum
import pytest

from kring.data import planning
from kring.data.labels import author_label, clock_time, use_zone
from kring.data.meetings import create_meeting
from kring.screens.dialogs.premeeting import PreMeetingScreen
from kring.tui.commands.network import prepare_network_meeting
from tests.cli_helpers import run
from tests.test_network import make_network
from tests.test_room import settle

NET = "Wijkzorg Utrecht"
# The fake clock's moment, 2026-11-20 18:00 UTC, is 19:00 in Amsterdam and 13:00 in New York.
ZONES = [("Europe/Amsterdam", "19:00", "2026-11-20 19:30", ("19:30", "21:00"), "nog 120 min tot 21:00"),
         ("America/New_York", "13:00", "2026-11-20 13:30", ("13:30", "15:00"), "nog 120 min tot 15:00")]


def test_one_helper_turns_an_instant_into_the_users_clock():
    moment = pendulum.parse("2026-11-20T18:00:00+00:00")
    assert clock_time(moment) == "18:00"  # no zone given: as the moment carries it
    use_zone("America/New_York")
    assert clock_time(moment) == "13:00"
    use_zone("Europe/Amsterdam")
    assert clock_time(moment) == "19:00"


@pytest.mark.parametrize(("zone", "now", "at", "defaults", "status"), ZONES)
async def test_the_check_offers_the_planned_meeting_in_the_users_zone(store, clock, monkeypatch,
                                                                      zone, now, at, defaults, status):
    from textual.widgets import Input

    from kring.tui.app import KringApp

    monkeypatch.setenv("KRING_TIMEZONE", zone)
    network_id = make_network(store, clock)
    planned = planning.plan_meeting(store, network_id, at, clock, minutes=90, zone=zone)
    args = argparse.Namespace(network=NET, werkvorm="standaard", role=[], title=None, place="", participant=[],
                              db=store.url)
    other, meeting_id = prepare_network_meeting(args, clock)
    other.close()
    app = KringApp(store, meeting_id, clock=clock, check_first=True, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        check = app.screen
        assert isinstance(check, PreMeetingScreen)
        shown = (check.query_one("#check-start", Input).value, check.query_one("#check-end", Input).value)
        assert shown == defaults
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, PreMeetingScreen)
        tl = app.timeline()
        assert (tl.fixed_start, tl.fixed_end) == (planned.starts_at, planned.ends_at)  # the same instants
        assert str(app.screen.query_one("#time-of-day").render()).strip() == now
        text = str(app.screen.query_one("#status").render())
        assert text.startswith(status), text


async def test_without_a_plan_the_check_offers_now_on_the_users_clock(store, clock, monkeypatch, standaard):
    from textual.widgets import Input

    from kring.tui.app import KringApp

    monkeypatch.setenv("KRING_TIMEZONE", "America/New_York")
    meeting_id = create_meeting(store, standaard, ["Anouk", "Bram"], clock)
    app = KringApp(store, meeting_id, clock=clock, check_first=True, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        check = app.screen
        assert isinstance(check, PreMeetingScreen)
        assert check.query_one("#check-start", Input).value == "13:00"
        check.query_one("#check-end", Input).value = "14:30"  # typed on the user's clock
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.timeline().fixed_end == pendulum.parse("2026-11-20T19:30:00+00:00")
        assert str(app.screen.query_one("#status").render()).startswith("nog 90 min tot 14:30")


def test_sessions_lists_the_times_in_the_users_zone(capsys, db, clock, standaard, monkeypatch):
    from kring.data.store import Store

    monkeypatch.delenv("TZ", raising=False)
    store = Store(f"sqlite:///{db}")
    create_meeting(store, standaard, ["Anouk", "Bram"], clock)
    store.close()
    code, out, _ = run(capsys, "sessions")
    assert code == 0 and "20 nov. 2026 19:00" in out  # Europe/Amsterdam when nothing is set
    _, out, _ = run(capsys, "--timezone", "America/New_York", "sessions")
    assert "20 nov. 2026 13:00" in out
    monkeypatch.setenv("KRING_TIMEZONE", "Asia/Tokyo")
    _, out, _ = run(capsys, "sessions")
    assert "21 nov. 2026 03:00" in out  # the next day there


def test_an_action_marked_without_a_login_name_says_the_roles_name(store, clock, english):
    from kring.data import i18n

    assert author_label("moderator") == "moderator" and author_label("Anouk de Vries") == "Anouk de Vries"
    i18n.setup("nl")
    assert author_label("moderator") == "procesbegeleider" and author_label("notulist") == "notulist"
    report = {"network": {"name": NET}, "actions": [
        {"text": "Bel de wijkagent", "status": "done", "owner": "Bram", "due": "2026-12-04", "meeting_title": "Eerste",
         "history": [{"status": "opened", "by": "moderator", "at": "2026-11-20T19:10:00+01:00"},
                     {"status": "done", "by": "Anouk", "at": "2027-01-01T19:10:00+01:00"}]}]}
    md = _actions_section(report)
    assert "door procesbegeleider" in md and "door moderator" not in md and "door Anouk" in md
    use_zone("America/New_York")
    assert "4 dec. 2026" in _actions_section(report)  # a due date stays its day in every zone
    i18n.setup("en")
    assert "by moderator" in _actions_section(report)


def _actions_section(report: dict) -> str:
    from kring.data.network_render import _history, _status_line

    a = report["actions"][0]
    return _status_line(a) + "\n" + _history(a["history"])


def test_the_report_says_its_times_in_the_users_zone(capsys, db, clock, standaard):
    from kring.data.meetings import append_event
    from kring.data.store import Store

    store = Store(f"sqlite:///{db}")
    meeting_id = create_meeting(store, standaard, ["Anouk", "Bram"], clock)
    append_event(store, meeting_id, "start", clock.now())
    clock.advance(minutes=90)
    append_event(store, meeting_id, "close", clock.now())
    store.close()
    _, md, _ = run(capsys, "--timezone", "America/New_York", "report", str(meeting_id), "--format", "md")
    assert "vrijdag 20 november 2026, 13:00–14:30" in md
    _, html, _ = run(capsys, "--timezone", "Europe/Amsterdam", "report", str(meeting_id), "--format", "html")
    assert "19:00–20:30" in html
