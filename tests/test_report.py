"""The report dictionary: the JSON contract of DESIGN.md, confidentiality, a live
meeting's report, anonymity, a report at scale, and `kring report` itself."""

from __future__ import annotations

import json
import os
import stat

import pytest

from kring.data.report import build_report
from tests.reportdata import NAMES, add_network, add_notes_bulk, add_response, held_meeting


def _iso_with_offset(value: str) -> bool:
    import pendulum

    parsed = pendulum.parse(value)
    return parsed.tzinfo is not None and ("+" in value[10:] or value.endswith("Z") or "-" in value[10:])


@pytest.fixture
def network_id(store, clock):
    return add_network(store, clock=clock)


@pytest.fixture
def held(store, clock, standaard, network_id):
    return held_meeting(store, clock, standaard, network_id=network_id, title="Wijkzorg november", roti=[3, 4, 2])


def test_json_contract_keys_and_types(store, clock, held):
    report = build_report(store, held, clock=clock)
    json.loads(json.dumps(report))  # plain JSON all the way down

    session = report["session"]
    for key, kind in {"id": int, "title": str, "werkvorm": str, "status": str, "started_at": str,
                      "ended_at": str}.items():
        assert isinstance(session[key], kind), key
    assert session["status"] == "closed"
    assert _iso_with_offset(session["started_at"]) and _iso_with_offset(session["ended_at"])
    assert session["network"]["name"] == "Leernetwerk Wijkzorg"
    assert session["network"]["theme"] == "Samenwerken in de wijk"
    assert session["place"] == "Buurthuis De Kring"

    assert [p["name"] for p in report["participants"]] == NAMES
    assert all(isinstance(p["roles"], list) for p in report["participants"])
    assert report["participants"][0]["roles"] == ["moderator"]

    assert len(report["agenda"]) == 5
    for step in report["agenda"]:
        assert set(step) >= {"title", "mode", "planned_seconds", "actual_seconds"}
        assert isinstance(step["planned_seconds"], int) and isinstance(step["actual_seconds"], int)
    assert [s["actual_seconds"] for s in report["agenda"][:3]] == [12 * 60, 8 * 60, 0]

    for note in report["notes"]:
        assert set(note) >= {"kind", "text", "item", "speaker", "author", "at", "confidential"}
        assert isinstance(note["confidential"], bool)
        assert _iso_with_offset(note["at"])

    assert report["actions"] == [{
        "text": "Rooster delen met de huisartsen", "owner": "Lotte", "due": "2026-12-18", "status": "open",
        "item": "Inchecken", "at": report["actions"][0]["at"], "confidential": False,
    }]
    assert [d["text"] for d in report["decisions"]] == ["We houden vast aan zes weken"]

    evaluation = report["evaluation"]
    assert isinstance(evaluation["responses"], list) and isinstance(evaluation["summary"], list)
    assert len(evaluation["responses"]) == 3
    roti = next(q for q in evaluation["summary"] if q["id"] == "roti")
    assert roti["count"] == 3 and roti["mean"] == 3.0
    assert {int(k): v for k, v in roti["distribution"].items()} == {0: 0, 1: 0, 2: 1, 3: 1, 4: 1}
    top = next(q for q in evaluation["summary"] if q["id"] == "top")
    assert top["mean"] is None and sorted(top["answers"]) == ["top 0", "top 1", "top 2"]

    assert report["speaking"] == [
        {"participant": "Fatima", "seconds": 8 * 60, "turns": 1},  # the floor ends with the step
        {"participant": "Bram", "seconds": 3 * 60, "turns": 1},
    ]


def test_confidential_notes_left_out_unless_asked(store, clock, held):
    plain = build_report(store, held, clock=clock)
    texts = [n["text"] for n in plain["notes"]]
    assert not any("Geheim" in t for t in texts)
    assert "Weggegooide notitie" not in texts  # deleted notes never show
    assert plain["include_confidential"] is False

    full = build_report(store, held, clock=clock, include_confidential=True)
    secret = [n for n in full["notes"] if "Geheim" in n["text"]]
    assert len(secret) == 1 and secret[0]["confidential"] is True
    assert full["include_confidential"] is True
    assert "Weggegooide notitie" not in [n["text"] for n in full["notes"]]


def test_a_live_meetings_report_is_as_of_now_and_withholds_the_evaluation(store, clock, standaard, network_id):
    mid = held_meeting(store, clock, standaard, network_id=network_id, close=False, roti=[4, 4])
    clock.advance(minutes=2)
    report = build_report(store, mid, clock=clock)
    assert report["session"]["status"] == "live"
    assert report["session"]["ended_at"] is None
    assert report["agenda"][1]["actual_seconds"] == 10 * 60  # still running: as of now
    assert report["generated_at"] == clock.now().isoformat()
    ev = report["evaluation"]
    assert ev["withheld"] is True and ev["count"] == 2
    assert ev["responses"] == [] and ev["summary"] == []
    clock.advance(minutes=1)
    assert build_report(store, mid, clock=clock)["agenda"][1]["actual_seconds"] == 11 * 60


def test_anonymous_answers_carry_no_name_no_time_and_no_order(store, clock, standaard):
    net = add_network(store, "Anoniem netwerk", anonymous=True, clock=clock)
    mid = held_meeting(store, clock, standaard, network_id=net, notes=False)
    # stored in the order the keyboard went round
    for name, value in [("Anouk", 4), ("Bram", 0), ("Fatima", 2)]:
        add_response(store, mid, None, {"roti": value}, at=None, receipt=name)
    ev = build_report(store, mid, clock=clock)["evaluation"]
    assert ev["anonymous"] is True
    assert all(r["participant"] is None and r["at"] is None for r in ev["responses"])
    assert [r["answers"]["roti"] for r in ev["responses"]] == [0, 2, 4]  # by content, not by turn


def test_too_few_anonymous_answers_stay_out_of_the_report(store, clock, standaard):
    from kring.data.report import render_md

    net = add_network(store, "Klein anoniem", anonymous=True, clock=clock)
    mid = held_meeting(store, clock, standaard, network_id=net, notes=False)
    for name, value in [("Anouk", 4), ("Bram", 0)]:
        add_response(store, mid, None, {"roti": value}, receipt=name)
    ev = build_report(store, mid, clock=clock)["evaluation"]
    assert ev["withheld"] is True and ev["withheld_because"] == "anonymity" and ev["count"] == 2
    assert ev["responses"] == [] and ev["summary"] == []
    assert "Te weinig anonieme antwoorden" in render_md(build_report(store, mid, clock=clock))
    add_response(store, mid, None, {"roti": 2}, receipt="Fatima")
    ev = build_report(store, mid, clock=clock)["evaluation"]
    assert ev["withheld"] is False and len(ev["responses"]) == 3


def test_report_at_scale_2000_notes_and_12_evaluations(store, clock, standaard, network_id):
    mid = held_meeting(store, clock, standaard, network_id=network_id, notes=False)
    start = clock.now()
    kinds = ["note", "insight", "decision", "action", "question", "parking", "quote"]
    rows = []
    for i in range(2000):
        step = i % 5
        rows.append(dict(kind=kinds[i % 7], text=f"notitie {i} " + "woord " * (i % 30), step_index=step,
                         step_title=standaard["steps"][step]["title"], speaker=NAMES[i % 5], author="notulist",
                         at=start.add(seconds=i), confidential=(i % 10 == 0),
                         owner=NAMES[(i + 1) % 5] if i % 7 == 3 else None))
    add_notes_bulk(store, mid, rows)
    for i in range(12):
        add_response(store, mid, f"Deelnemer {i}", {"roti": i % 5, "relevance": 1 + i % 5, "tip": f"tip {i}"},
                     at=clock.now())

    report = build_report(store, mid, clock=clock)
    assert len(report["notes"]) == 1800  # one in ten is confidential
    assert len(report["actions"]) == sum(1 for i in range(2000) if i % 7 == 3 and i % 10)
    assert len(report["evaluation"]["responses"]) == 12
    roti = next(q for q in report["evaluation"]["summary"] if q["id"] == "roti")
    assert roti["count"] == 12 and roti["mean"] == pytest.approx(sum(i % 5 for i in range(12)) / 12, abs=0.01)
    assert [n["text"].split()[1] for n in report["notes"][:3]] == ["1", "2", "3"]

    from kring.data.report import render_csv, render_html, render_md

    md = render_md(report)
    assert md.count("notitie ") == 1800 + len(report["actions"]) + len(report["decisions"])
    html = render_html(report)
    assert html.count('<li class="') >= 1800
    import csv
    import io

    rows_out = list(csv.DictReader(io.StringIO(render_csv(report)), delimiter=";"))
    assert sum(r["section"] in ("note", "action") for r in rows_out) == 1800
    assert sum(r["section"] == "evaluation" for r in rows_out) == 36


def test_trend_in_the_report_counts_closed_meetings_of_the_network_up_to_this_one(
    store, clock, standaard, network_id
):
    first = held_meeting(store, clock, standaard, network_id=network_id, title="Een", roti=[2, 2])
    clock.advance(minutes=60 * 24 * 42)
    second = held_meeting(store, clock, standaard, network_id=network_id, title="Twee", roti=[3, 4])
    clock.advance(minutes=60 * 24 * 42)
    third = held_meeting(store, clock, standaard, network_id=network_id, title="Drie", roti=[4, 4, 4])
    clock.advance(minutes=60 * 24 * 42)
    live = held_meeting(store, clock, standaard, network_id=network_id, title="Vier", roti=[0], close=False)
    other = add_network(store, "Ander netwerk", clock=clock)
    held_meeting(store, clock, standaard, network_id=other, title="Elders", roti=[0])

    trend = build_report(store, second, clock=clock)["trend"]
    assert [p["title"] for p in trend["points"]] == ["Een", "Twee"]
    assert [p["means"]["roti"] for p in trend["points"]] == [2.0, 3.5]
    assert [p["current"] for p in trend["points"]] == [False, True]
    assert trend["questions"][0]["id"] == "roti"
    assert (trend["questions"][0]["min"], trend["questions"][0]["max"]) == (0, 4)

    # the live meeting's own answers are not in its trend: they stay in the room
    trend = build_report(store, live, clock=clock)["trend"]
    assert [p["title"] for p in trend["points"]] == ["Een", "Twee", "Drie"]
    assert [p["means"]["roti"] for p in trend["points"]] == [2.0, 3.5, 4.0]
    assert first and third


def test_network_trend_figures(store, clock, standaard, network_id):
    from kring.data.trends import bar, network_trend

    held_meeting(store, clock, standaard, network_id=network_id, title="Een", roti=[1, 3])
    clock.advance(minutes=60 * 24 * 7)
    mid = held_meeting(store, clock, standaard, network_id=network_id, title="Twee", roti=[4])
    add_response(store, mid, "Joris", {"roti": "veel", "safety": 7, "flag": True}, at=clock.now())
    clock.advance(minutes=60 * 24 * 7)
    held_meeting(store, clock, standaard, network_id=network_id, title="Zonder evaluatie")

    trend = network_trend(store, network_id)
    assert [p.title for p in trend.points] == ["Een", "Twee"]
    assert [round(m, 2) for _p, m in trend.series("roti")] == [2.0, 4.0]  # a text answer never counts
    assert trend.points[1].responses == 2
    assert trend.questions()[:2] == ["roti", "relevance"] and "safety" in trend.questions()
    assert "flag" not in trend.questions()  # a yes/no is not a number
    assert trend.scale("safety") == (0, 10)
    assert trend.label("roti") == "Was deze bijeenkomst mijn tijd waard?"  # from the network's form
    assert bar(2, 0, 4, 8) == "████    "
    assert bar(4, 0, 4, 8) == "████████"
    assert bar(0.5, 0, 4, 2) == "▎ "  # a quarter cell: two eighths


def test_actions_looked_back_on_are_in_the_report_as_marked(store, clock, standaard, network_id):
    from sqlmodel import select

    from kring.data.meetings import append_event
    from kring.data.models import Note
    from kring.data.report import render_md
    from tests.reportdata import add_note

    first = held_meeting(store, clock, standaard, network_id=network_id, title="Eerste")
    add_note(store, first, "Geheime actie", at=clock.now(), kind="action", owner="Bram", confidential=True)
    with store.session() as s:
        uids = {n.text: n.uid for n in s.exec(select(Note).where(Note.kind == "action")).all()}
    clock.advance(minutes=60 * 24 * 42)
    second = held_meeting(store, clock, standaard, network_id=network_id, title="Tweede", notes=False)
    append_event(store, second, "action_status", clock.now(),
                 {"note": uids["Rooster delen met de huisartsen"], "status": "kept"})
    append_event(store, second, "action_status", clock.now(),
                 {"note": uids["Rooster delen met de huisartsen"], "status": "done"})  # the last mark counts
    append_event(store, second, "action_status", clock.now(), {"note": uids["Geheime actie"], "status": "dropped"})

    report = build_report(store, second, clock=clock)
    assert report["looked_back"] == [{"text": "Rooster delen met de huisartsen", "owner": "Lotte", "due": "2026-12-18",
                                      "status": "done", "meeting": "Eerste", "confidential": False}]
    assert "| Rooster delen met de huisartsen | Lotte | Eerste | gedaan |" in render_md(report)
    full = build_report(store, second, clock=clock, include_confidential=True)
    assert [a["status"] for a in full["looked_back"]] == ["done", "dropped"]
    assert "## Terugblik" not in render_md(build_report(store, first, clock=clock))


def test_meetings_without_a_network_have_no_trend(store, clock, standaard):
    mid = held_meeting(store, clock, standaard, roti=[3])
    report = build_report(store, mid, clock=clock)
    assert report["trend"] is None and report["session"]["network"] is None


# --- the command line --------------------------------------------------------------------------


def _kring(*argv: str) -> int:
    from kring.tui.cli import main

    return main(list(argv))


@pytest.fixture
def cli_db(tmp_path, clock, standaard):
    from kring.data.store import Store

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store(url)
    net = add_network(store, clock=clock)
    mid = held_meeting(store, clock, standaard, network_id=net, roti=[3, 4])
    store.close()
    return url, mid


def test_report_command_writes_owner_only_files_in_each_format(cli_db, tmp_path, capsys):
    url, mid = cli_db
    for name, marker in [("verslag.md", "# Verslag"), ("verslag.html", "<!DOCTYPE html>"),
                         ("verslag.json", '"session"'), ("verslag.csv", "section;item;kind")]:
        target = tmp_path / name
        assert _kring("report", str(mid), "--db", url, "-o", str(target)) == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert marker in target.read_text(encoding="utf-8-sig")
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert _kring("report", "--db", url, "--format", "json") == 0  # latest meeting, to stdout
    out = capsys.readouterr().out
    assert json.loads(out)["session"]["id"] == mid


def test_report_command_confidential_flag(cli_db, capsys):
    url, mid = cli_db
    assert _kring("report", str(mid), "--db", url, "-f", "md") == 0
    assert "Geheim" not in capsys.readouterr().out
    assert _kring("report", str(mid), "--db", url, "-f", "md", "--include-confidential") == 0
    out = capsys.readouterr().out
    assert "Geheim" in out and "vertrouwelijke notities" in out


@pytest.mark.parametrize("where", ["missing-folder/verslag.md", "a-folder", "a-file/verslag.md", "locked/verslag.md"])
def test_an_unwritable_path_is_one_line_exit_2_and_nothing_lost(cli_db, tmp_path, capsys, where):
    url, mid = cli_db
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "a-file").write_text("not a folder\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "verslag.md").write_text("the earlier report\n")
    locked.chmod(0o500)
    try:
        if where.startswith("locked") and os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        assert _kring("report", str(mid), "--db", url, "-o", str(tmp_path / where)) == 2
    finally:
        locked.chmod(0o700)
    err = capsys.readouterr().err
    assert err.startswith("kring: ") and err.count("\n") == 1 and "Traceback" not in err
    assert (locked / "verslag.md").read_text() == "the earlier report\n"
    from kring.data.store import Store

    assert len(build_report(Store(url), mid)["notes"]) == 4  # the store is untouched


def test_report_of_an_unknown_meeting_is_bad_input(cli_db, capsys):
    url, _mid = cli_db
    assert _kring("report", "999", "--db", url) == 2
    assert "999" in capsys.readouterr().err
