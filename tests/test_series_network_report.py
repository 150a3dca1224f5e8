"""`kring report --network NET`: the network's own report over its series, each section checked in
json, md and html; confidential notes never in it."""

from __future__ import annotations

import argparse
import json

import pytest

from kring.data import actions
from kring.data.evaluation import submit
from kring.data.meetings import append_event
from kring.data.network_render import render_network_html, render_network_md
from kring.data.network_report import build_network_report, timing_line
from kring.tui.commands.network import prepare_network_meeting
from tests.cli_helpers import one_line_error, run
from tests.test_network import MEMBERS, add_note, make_network

NET = "Wijkzorg Utrecht"
SECRET = "Meneer K. vertelde over zijn zoon in de gevangenis"


def _meeting(store, clock, *, overrun_minutes: int, absent: str | None = None) -> int:
    """A meeting of the network: held step by step, step 4 running over by `overrun_minutes`."""
    args = argparse.Namespace(network=NET, werkvorm="standaard", role=[], title=None, place="Buurthuis",
                              participant=[], db=store.url)
    other, meeting_id = prepare_network_meeting(args, clock)
    other.close()
    from kring.data.meetings import get_meeting

    steps = get_meeting(store, meeting_id).format_data["steps"]
    append_event(store, meeting_id, "start", clock.now())
    if absent:
        append_event(store, meeting_id, "absent", clock.now(), {"name": absent})
    for i, step in enumerate(steps):
        if i:
            append_event(store, meeting_id, "goto", clock.now(), {"step": i})
        clock.advance(minutes=step["minutes"] + (overrun_minutes if i == 3 else 0))
    append_event(store, meeting_id, "close", clock.now())
    return meeting_id


@pytest.fixture
def series(store, clock):
    network_id = make_network(store, clock)
    from kring.data.networks import update_network

    update_network(store, network_id, add_rules=["Wat in de kring gedeeld wordt, blijft in de kring"])
    first = _meeting(store, clock, overrun_minutes=5)
    add_note(store, first, "action", "Bel de wijkagent over de hangplek", clock, owner="Bram Jansen",
             due="2026-12-04", author="Lotte Bakker")
    add_note(store, first, "action", "Stuur de sociale kaart rond", clock, owner="Lotte Bakker", author="Lotte Bakker")
    add_note(store, first, "decision", "We werken met vaste duo's", clock)
    add_note(store, first, "insight", "Vrijwilligers blijven als ze een vaste taak en een maatje hebben", clock,
             speaker="Anouk de Vries")
    add_note(store, first, "note", SECRET, clock, confidential=True)
    add_note(store, first, "action", "Vraag de familie van meneer K. om toestemming", clock, confidential=True)
    for name, roti in [("Anouk de Vries", 2), ("Bram Jansen", 3), ("Fatima El Amrani", 2)]:
        submit(store, first, name, {"roti": roti}, clock)
    clock.advance(minutes=60 * 24 * 42)
    second = _meeting(store, clock, overrun_minutes=7, absent="Joris Peeters")
    [a, b] = [x for x in actions.open_actions(store, network_id, before_meeting=second, include_confidential=False)]
    actions.mark_action(store, a.uid, "done", "Anouk de Vries", clock.now())
    actions.mark_action(store, b.uid, "kept", "Anouk de Vries", clock.now())
    for name, roti in [("Anouk de Vries", 4), ("Bram Jansen", 3), ("Lotte Bakker", 4)]:
        submit(store, second, name, {"roti": roti}, clock)
    return network_id, first, second


def test_every_section_in_the_data(store, clock, series):
    network_id, first, second = series
    report = build_network_report(store, network_id, clock=clock)
    assert [m["id"] for m in report["meetings"]] == [first, second]
    # attendance per member per meeting
    rows = {r["name"]: r for r in report["attendance"]}
    assert set(rows) == {m[0] for m in MEMBERS}
    assert rows["Joris Peeters"]["meetings"] == {str(first): "present", str(second): "absent"}
    assert rows["Anouk de Vries"]["present"] == 2
    # who held which role
    assert all(set(r["roles"]) >= {"moderator", "notulist", "tijdbewaker"} for r in report["roles"])
    assert report["roles"][0]["roles"]["moderator"] != report["roles"][1]["roles"]["moderator"]
    # actions over time: opened, then done or kept, by whom and when
    by_text = {a["text"]: a for a in report["actions"]}
    assert set(by_text) == {"Bel de wijkagent over de hangplek", "Stuur de sociale kaart rond"}
    done = by_text["Bel de wijkagent over de hangplek"]
    assert [e["status"] for e in done["history"]] == ["opened", "done"]
    assert done["history"][0]["by"] == "Lotte Bakker" and done["history"][1]["by"] == "Anouk de Vries"
    assert [e["status"] for e in by_text["Stuur de sociale kaart rond"]["history"]] == ["opened", "kept"]
    # the ROTI trend
    roti = [p["means"]["roti"] for p in report["trend"]["points"]]
    assert roti == [pytest.approx(2.33, abs=0.01), pytest.approx(3.67, abs=0.01)]
    # learning questions with their insights; decisions; ground rules
    anouk = next(q for q in report["learning_questions"] if q["member"] == "Anouk de Vries")
    assert [i["text"] for i in anouk["insights"]] == ["Vrijwilligers blijven als ze een vaste taak en een maatje hebben"]
    assert [d["text"] for d in report["decisions"]] == ["We werken met vaste duo's"]
    assert report["ground_rules"] == ["Wat in de kring gedeeld wordt, blijft in de kring"]
    # timings: step 4 of the standard meeting runs over by six minutes on average
    step4 = next(t for t in report["timings"] if t["werkvorm"] == "standaard" and t["step"] == 4)
    assert (step4["meetings"], step4["over_seconds"]) == (2, 360)
    assert timing_line(step4) == "standaard: stap 4 (Intervisie met een werkvorm) loopt hier gemiddeld 6 min uit"
    step1 = next(t for t in report["timings"] if t["step"] == 1)
    assert timing_line(step1).endswith("houdt hier zijn tijd")
    # confidential notes never
    assert "gevangenis" not in json.dumps(report) and "meneer K." not in json.dumps(report)


def test_markdown_and_html_show_each_section(store, clock, series):
    network_id, _first, _second = series
    report = build_network_report(store, network_id, clock=clock)
    md, html = render_network_md(report), render_network_html(report)
    for heading in ("Netwerkverslag: Wijkzorg Utrecht", "Aanwezigheid", "Rollen", "Acties door de tijd",
                    "Evaluatie over de reeks", "Leervragen en wat er geleerd is", "Besluiten", "Spelregels",
                    "Tijden die de reeks leerde"):
        assert heading in md and heading in html, heading
    assert "| Joris Peeters | ✓ | – | 1 |" in md
    assert "gedaan" in md and "door Anouk de Vries" in md
    assert "loopt hier gemiddeld 6 min uit" in md and "loopt hier gemiddeld 6 min uit" in html
    assert "<svg" in html and "@media print" in html and "<script" not in html
    for text in (md, html):
        assert "gevangenis" not in text and "meneer K." not in text


def test_the_command_line(capsys, db, clock, tmp_path):
    from kring.data.store import Store

    store = Store(f"sqlite:///{db}")
    network_id = make_network(store, clock)
    _meeting(store, clock, overrun_minutes=6)
    store.close()
    for fmt, words in [("md", "# Netwerkverslag: Wijkzorg Utrecht"), ("html", "<!DOCTYPE html>"),
                       ("json", '"kring_network_report": 1')]:
        code, out, err = run(capsys, "report", "--network", "wijkzorg utrecht", "--format", fmt)
        assert code == 0 and not err and words in out
    code, out, err = run(capsys, "report", "--network", NET, "-o", str(tmp_path / "netwerk.html"))
    assert code == 0 and "<svg" not in out and (tmp_path / "netwerk.html").read_text().startswith("<!DOCTYPE")
    assert network_id


@pytest.mark.parametrize("argv, words", [
    (["--network", "Onbekend"], "unknown network"),
    (["--network", NET, "--format", "csv"], "md, html or json"),
    (["1", "--network", NET], "not both"),
    (["--network", NET, "--include-confidential"], "never in the network's report"),
])
def test_bad_network_report_options(capsys, db, clock, argv, words, english):
    from kring.data.store import Store

    store = Store(f"sqlite:///{db}")
    make_network(store, clock)
    store.close()
    code, out, err = run(capsys, "report", *argv)
    assert code == 2 and not out and words in one_line_error(err)


def test_the_html_page_is_its_template_with_everything_typed_escaped(store, clock, series):  # noqa: ARG001
    """The page comes from report/templates/network.html with autoescape, as the meeting's
    report does: markup typed into a title or a decision is shown, never obeyed."""
    from kring.data.report.html import template

    add_note(store, _meeting(store, clock, overrun_minutes=0), "decision", "<script>alert('x')</script> & <b>vet</b>",
             clock)
    from kring.data.networks import network_id_by_name

    html = render_network_html(build_network_report(store, network_id_by_name(store, NET), clock=clock))
    assert "<script" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;vet" in html
    assert html.startswith("<!DOCTYPE html>") and html.endswith("</html>\n")
    assert template("network.html").name == "network.html"
