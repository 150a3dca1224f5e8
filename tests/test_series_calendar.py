"""The series on the calendar: `kring network plan`, `network show`, `run --network` starting the planned
meeting, the closing screen's proposal, and `kring network ics` read back with the iCalendar library."""

from __future__ import annotations

import argparse
from datetime import date, datetime

import icalendar
import pendulum
import pytest

from kring.data import planning
from kring.data.ics import network_calendar
from kring.data.network_meetings import start_meeting
from kring.data.networks import network_id_by_name
from tests.cli_helpers import one_line_error, run
from tests.test_network import add_note, close, fmt, make_network
from tests.test_network_cli import NET, make


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def events(cal: icalendar.Calendar) -> list:
    return [c for c in cal.walk("VEVENT")]


# --- planning (the domain) ------------------------------------------------------------------


def test_plan_in_the_users_zone_and_refuse_what_cannot_be(store, clock, english):
    network_id = make_network(store, clock)
    p = planning.plan_meeting(store, network_id, "2027-01-14 19:30", clock, place="Buurthuis De Ster")
    assert p.starts_at == pendulum.datetime(2027, 1, 14, 19, 30, tz="Europe/Amsterdam")
    assert (p.minutes, p.place, p.werkvorm, p.meeting_id) == (120, "Buurthuis De Ster", "", None)
    assert planning.plan_meeting(store, network_id, "2027-02-25 19:30", clock, werkvorm="standaard").minutes == 100
    for at, words in [("2027-02-25 19:30", "already has a meeting planned"), ("2026-11-01 19:30", "has passed"),
                      ("2027-02-30 19:30", "no such date"), ("volgende week", "YYYY-MM-DD HH:MM")]:
        with pytest.raises(Exception, match=words):
            planning.plan_meeting(store, network_id, at, clock)
    with pytest.raises(Exception, match="between 5 and 1440"):
        planning.plan_meeting(store, network_id, "2027-04-01 19:30", clock, minutes=0)
    assert len(planning.planned_meetings(store, network_id)) == 2  # nothing refused was stored


def test_the_users_own_zone_is_a_setting(monkeypatch, tmp_path):
    """command line > KRING_TIMEZONE > config.toml > TZ > Europe/Amsterdam, in the one settings object."""
    from kring.tui.config import Config

    def zone(cli=None) -> str:
        return Config.load(cli, tmp_path / "config.toml").settings.timezone

    monkeypatch.delenv("TZ", raising=False)
    assert zone() == "Europe/Amsterdam" == planning.DEFAULT_ZONE
    monkeypatch.setenv("TZ", ":Europe/Brussels")
    assert zone() == "Europe/Brussels"
    monkeypatch.setenv("TZ", "CET-1CEST")  # a POSIX rule, not a zone's name: the default
    assert zone() == "Europe/Amsterdam"
    (tmp_path / "config.toml").write_text('timezone = "America/Curacao"\n', encoding="utf-8")
    assert zone() == "America/Curacao"
    monkeypatch.setenv("KRING_TIMEZONE", "Asia/Tokyo")
    assert zone() == "Asia/Tokyo"
    assert zone({"timezone": "Europe/London"}) == "Europe/London"


@pytest.mark.parametrize("where, words", [
    ("env", "KRING_TIMEZONE: geen tijdzone"),
    ("file", "config.toml:2: timezone: geen tijdzone"),
    ("cli", "--timezone Nergens/Niets: geen tijdzone"),
])
def test_a_zone_that_is_none_is_one_line_naming_where(capsys, db, monkeypatch, where, words):
    from kring.data.folders import config_dir

    make(capsys)
    argv = ["network", "plan", NET, "--at", "2099-01-14 19:30"]
    if where == "env":
        monkeypatch.setenv("KRING_TIMEZONE", "Nergens/Niets")
    elif where == "file":
        config_dir().mkdir(parents=True, exist_ok=True)
        (config_dir() / "config.toml").write_text('theme = "kring-light"\ntimezone = "Nergens/Niets"\n',
                                                  encoding="utf-8")
    else:
        argv = ["--timezone", "Nergens/Niets", *argv]
    code, _, err = run(capsys, *argv)
    assert code == 2 and words in one_line_error(err)
    monkeypatch.delenv("KRING_TIMEZONE", raising=False)
    (config_dir() / "config.toml").unlink(missing_ok=True)
    _, shown, _ = run(capsys, "network", "show", NET)
    assert "Geplande bijeenkomsten (0)" in shown


def test_the_next_meeting_starts_from_the_calendar(capsys, db, clock):
    from kring.data.meetings import get_meeting
    from kring.data.store import Store
    from kring.tui.commands.network import prepare_network_meeting

    make(capsys)
    store = Store(f"sqlite:///{db}")
    network_id = network_id_by_name(store, NET)
    planning.plan_meeting(store, network_id, "2026-11-20 19:00", clock, place="Buurthuis De Ster")
    second = planning.plan_meeting(store, network_id, "2027-01-08 19:30", clock, place="Wijkcentrum",
                                   werkvorm="standaard")
    store.close()
    args = argparse.Namespace(network=NET, werkvorm=None, role=[], title=None, place="", participant=[], db=None)
    store, meeting_id = prepare_network_meeting(args, clock)
    info = get_meeting(store, meeting_id)
    assert (info.werkvorm, info.place) == ("kickoff", "Buurthuis De Ster")
    assert [p.id for p in planning.planned_meetings(store, network_id, held=False)] == [second.id]
    assert planning.planned_meetings(store, network_id)[0].meeting_id == meeting_id
    close(store, meeting_id, clock)  # six weeks later
    store.close()
    store, meeting_id = prepare_network_meeting(args, clock)
    assert (get_meeting(store, meeting_id).werkvorm, get_meeting(store, meeting_id).place) == (
        "standaard", "Wijkcentrum")
    assert planning.planned_meetings(store, network_id, held=False) == []
    store.close()
    # nothing planned any more: the network's own next format, the place given
    store, meeting_id = prepare_network_meeting(argparse.Namespace(**{**vars(args), "place": "Thuis"}), clock)
    assert get_meeting(store, meeting_id).place == "Thuis"
    store.close()


def test_the_closing_screen_proposes_the_planned_date_else_the_usual_interval(store, clock):
    network_id = make_network(store, clock)
    first = start_meeting(store, network_id, fmt("kickoff"), clock, place="Buurthuis")
    close(store, first, clock)  # 19:00, then six weeks and a bit pass
    proposal = planning.propose_next(store, network_id, clock.now())
    assert not proposal.planned and proposal.interval_days == 42 and proposal.place == "Buurthuis"
    assert proposal.at > clock.now() and proposal.at.format("HH:mm dddd", locale="en") == "19:00 Friday"
    planned = planning.plan_meeting(store, network_id, "2027-03-04 19:30", clock, place="Wijkcentrum")
    proposal = planning.propose_next(store, network_id, clock.now())
    assert proposal.planned and proposal.at == planned.starts_at and proposal.place == "Wijkcentrum"
    # a series that meets every four weeks is proposed its own rhythm
    from kring.data.models import Meeting, PlannedMeeting

    second = start_meeting(store, network_id, fmt("standaard"), clock)
    close(store, second, clock)
    with store.writing() as s:  # not planned after all; the second meeting was four weeks after the first
        s.delete(s.get(PlannedMeeting, planned.id))
        m = s.get(Meeting, second)
        m.started_at = pendulum.instance(s.get(Meeting, first).started_at).add(weeks=4)
        s.add(m)
    assert planning.usual_interval(store, network_id) == 28


# --- the iCalendar file -----------------------------------------------------------------------


def test_ics_has_the_planned_meetings_and_open_actions(store, clock, monkeypatch):
    monkeypatch.delenv("KRING_TIMEZONE", raising=False)
    monkeypatch.delenv("TZ", raising=False)
    network_id = make_network(store, clock)
    held = start_meeting(store, network_id, fmt("kickoff"), clock)
    add_note(store, held, "action", "Bel de wijkagent over de hangplek", clock, owner="Bram Jansen",
             due="2026-12-04")
    add_note(store, held, "action", "Stuur de sociale kaart rond", clock, owner="Anouk de Vries")
    add_note(store, held, "action", "Organiseer de buurtlunch", clock)
    add_note(store, held, "action", "Vraag toestemming aan de familie van meneer K.", clock, owner="Joris Peeters",
             confidential=True)
    close(store, held, clock)
    a = planning.plan_meeting(store, network_id, "2027-01-14 19:30", clock, place="Buurthuis De Ster")
    b = planning.plan_meeting(store, network_id, "2027-07-01 09:00", clock, minutes=90)

    data = network_calendar(store, network_id, clock)
    cal = parse(data)
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    [winter, summer] = events(cal)
    assert str(winter["uid"]) == f"{a.uid}@kring" and str(summer["uid"]) == f"{b.uid}@kring"
    start = winter.decoded("dtstart")
    assert (start.replace(tzinfo=None), str(start.tzinfo)) == (datetime(2027, 1, 14, 19, 30), "Europe/Amsterdam")
    assert start.utcoffset().total_seconds() == 3600 and summer.decoded("dtstart").utcoffset().total_seconds() == 7200
    assert winter.decoded("dtend") - start == pendulum.duration(minutes=120)
    assert summer.decoded("dtend") - summer.decoded("dtstart") == pendulum.duration(minutes=90)
    assert str(winter["location"]) == "Buurthuis De Ster"
    text = str(winter["description"])
    assert "Plaats: Buurthuis De Ster" in text and "Agenda:" in text and "2. Terugblik op de acties" in text
    assert "Wijkzorg Utrecht" in str(winter["summary"])

    todos = cal.walk("VTODO")
    assert [str(t["summary"]) for t in todos] == ["Bel de wijkagent over de hangplek (Bram Jansen)",
                                                  "Stuur de sociale kaart rond (Anouk de Vries)",
                                                  "Organiseer de buurtlunch"]
    assert todos[0].decoded("due") == date(2026, 12, 4) and "due" not in todos[1]
    assert "Eigenaar: Bram Jansen" in str(todos[0]["description"]) and "attendee" not in todos[0]  # no address
    assert str(todos[1]["attendee"]) == "mailto:anouk@example.org" and todos[1]["attendee"].params["CN"] == "Anouk de Vries"
    assert all(str(t["status"]) == "NEEDS-ACTION" for t in todos)
    assert "meneer K." not in data.decode()  # a confidential action never leaves the store

    # exported again: the same uids, so a calendar program updates rather than doubles
    clock.advance(minutes=5)
    again = parse(network_calendar(store, network_id, clock))
    assert [str(e["uid"]) for e in events(again)] == [str(e["uid"]) for e in events(cal)]
    assert [str(t["uid"]) for t in again.walk("VTODO")] == [str(t["uid"]) for t in todos]


def test_ics_in_the_users_own_zone(store, clock):
    network_id = make_network(store, clock)
    planning.plan_meeting(store, network_id, "2027-01-14 19:30", clock, zone="Europe/London")
    cal = parse(network_calendar(store, network_id, clock, zone="Europe/London"))
    [ev] = events(cal)
    assert str(ev.decoded("dtstart").tzinfo) == "Europe/London" and ev.decoded("dtstart").hour == 19
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]


def test_plan_and_ics_on_the_command_line_in_the_zone_of_the_settings(capsys, db, monkeypatch):
    from kring.data.folders import config_dir

    make(capsys)
    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "config.toml").write_text('# my zone\ntimezone = "Europe/London"\n', encoding="utf-8")
    assert run(capsys, "network", "plan", NET, "--at", "2099-01-14 19:30")[0] == 0
    _, out, _ = run(capsys, "network", "ics", NET, "-o", "-")
    [ev] = events(parse(out.encode()))
    start = ev.decoded("dtstart")
    assert (str(start.tzinfo), start.hour) == ("Europe/London", 19)  # planned and written in the file's zone
    _, shown, _ = run(capsys, "network", "show", NET)
    assert "14 jan. 2099 19:30" in shown
    monkeypatch.setenv("KRING_TIMEZONE", "Europe/Amsterdam")  # the environment over the file
    _, out, _ = run(capsys, "network", "ics", NET, "-o", "-")
    start = events(parse(out.encode()))[0].decoded("dtstart")
    assert (str(start.tzinfo), start.hour) == ("Europe/Amsterdam", 20)
    _, out, _ = run(capsys, "--timezone", "America/Curacao", "network", "ics", NET, "-o", "-")  # the command line
    assert str(events(parse(out.encode()))[0].decoded("dtstart").tzinfo) == "America/Curacao"


# --- the command line ----------------------------------------------------------------------------


def test_plan_show_and_ics_on_the_command_line(capsys, db, tmp_path):
    make(capsys)
    for at, extra in [("2099-01-14 19:30", ["--place", "Buurthuis De Ster"]),
                      ("2099-02-25 19:30", ["--format", "standaard"]),
                      ("2099-04-08 19:30", ["--minutes", "90"])]:
        code, out, err = run(capsys, "network", "plan", NET, "--at", at, *extra)
        assert code == 0 and not err and "gepland" in out
    code, out, _ = run(capsys, "network", "show", NET)
    assert code == 0 and "Geplande bijeenkomsten (3)" in out
    assert "14 jan. 2099 19:30" in out and "Buurthuis De Ster" in out

    code, out, err = run(capsys, "network", "ics", NET, "-o", str(tmp_path / "reeks.ics"))
    assert code == 0 and not out and "reeks.ics" in err
    cal = parse((tmp_path / "reeks.ics").read_bytes())
    assert len(events(cal)) == 3 and (tmp_path / "reeks.ics").stat().st_mode & 0o077 == 0

    code, out, _ = run(capsys, "network", "ics", NET, "-o", "-")
    assert code == 0 and len(events(parse(out.encode()))) == 3


@pytest.mark.parametrize("argv, words", [
    (["network", "plan", NET, "--at", "14-01-2099 19:30"], "JJJJ-MM-DD UU:MM"),
    (["network", "plan", NET, "--at", "2001-01-14 19:30"], "is voorbij"),
    (["network", "plan", NET, "--at", "2099-01-14 19:30", "--format", "bestaatniet"], "bestaatniet"),
    (["network", "plan", NET, "--at", "2099-01-14 19:30", "--minutes", "-3"], "tussen 5 en 1440"),
    (["network", "plan", "Onbekend", "--at", "2099-01-14 19:30"], "onbekend netwerk"),
    (["network", "ics", NET], "-o"),
    (["network", "ics", "Onbekend", "-o", "-"], "onbekend netwerk"),
])
def test_bad_plans_say_what_and_store_nothing(capsys, db, argv, words):
    make(capsys)
    code, out, err = run(capsys, *argv)
    assert code == 2 and words in one_line_error(err)
    _, shown, _ = run(capsys, "network", "show", NET)
    assert "Geplande bijeenkomsten (0)" in shown


# --- the moderator's closing screen ------------------------------------------------------------


async def _close_on_screen(app, pilot, clock):
    from tests.test_network_life import settle

    await settle(app, pilot)
    await pilot.press("space")
    clock.advance(minutes=95)
    await pilot.press("x", "j")
    for _ in range(20):  # the proposal is read in a thread worker
        await app.workers.wait_for_complete()
        await pilot.pause()
        if type(app.screen).__name__ == "NextDateScreen":
            break
    return app.screen


async def test_closing_proposes_the_usual_interval_and_p_plans_it(store, clock, make_app):
    from tests.test_network_life import next_meeting, settle

    network_id = make_network(store, clock)
    kickoff = next_meeting(store, clock)
    app = make_app(kickoff)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _close_on_screen(app, pilot, clock)
        assert type(screen).__name__ == "NextDateScreen"
        text = " ".join(str(s.render()) for s in screen.query("Static"))
        assert "Volgende bijeenkomst" in text and "vrijdag 1 januari 2027, 19:00" in text and "6 weken" in text
        await pilot.press("p")
        await settle(app, pilot)
        assert type(app.screen).__name__ != "NextDateScreen"
    [planned] = planning.planned_meetings(store, network_id)
    assert planned.starts_at == pendulum.datetime(2027, 1, 1, 19, 0, tz="Europe/Amsterdam")


async def test_closing_shows_the_planned_date(store, clock, make_app):
    from tests.test_network_life import next_meeting

    network_id = make_network(store, clock)
    kickoff = next_meeting(store, clock)
    planning.plan_meeting(store, network_id, "2027-01-14 19:30", clock, place="Buurthuis De Ster")
    app = make_app(kickoff)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _close_on_screen(app, pilot, clock)
        text = " ".join(str(s.render()) for s in screen.query("Static"))
        assert "donderdag 14 januari 2027, 19:30 — Buurthuis De Ster" in text and "staat in de agenda" in text
        await pilot.press("p", "enter")  # nothing to plan: p does nothing, enter closes
        await pilot.pause()
        assert type(app.screen).__name__ != "NextDateScreen"
    assert len(planning.planned_meetings(store, network_id)) == 1
