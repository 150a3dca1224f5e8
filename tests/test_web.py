"""Participants' pages (`kring serve`): what they show, and every refusal.

Driven through aiohttp's test client against the real application on the
test store; the follower reads the store as it does in a room.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from sqlmodel import select

from kring.data.evaluation import progress
from kring.data.meetings import append_event
from kring.data.models import EvaluationReceipt, EvaluationResponse, Network
from kring.data.notes import add_note
from kring.data.weblink import live_meeting_of, served_link, token_for
from kring.web.app import Limits, make_app
from tests.note_helpers import make_note

NAMES = ["Anouk de Vries", "Bram", "Fatima El Amrani", "Joris", "Lotte"]
GOOD = {"roti": "3", "relevance": "4", "top": "Fijne sfeer", "tip": ""}


@pytest.fixture
def meeting(store, clock, standaard):
    from kring.data.meetings import create_meeting

    return create_meeting(store, standaard, NAMES, clock, title="Wijkzorg Noord: casus")


@pytest.fixture
def token(store, clock, meeting):
    return token_for(store, meeting, clock)


@pytest.fixture
async def client(aiohttp_client, store, clock, meeting, token):
    return await aiohttp_client(make_app(store, meeting, token, clock, Limits(follow_interval=0.02)))


async def form_of(client, token: str) -> tuple[str, str]:
    """The form page's HTML and its seal (the browser's cookie is kept by the client)."""
    r = await client.get(f"/m/{token}/form")
    assert r.status == 200
    html = await r.text()
    return html, re.search(r'name="seal" value="([^"]+)"', html).group(1)


def stored(store, model):
    with store.session() as s:
        return s.exec(select(model).order_by(model.id)).all()


# --- the token --------------------------------------------------------------------------


async def test_a_wrong_token_gets_a_bare_404_everywhere(client, token):
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for path in (f"/m/{wrong}", f"/m/{wrong}/form", f"/m/{wrong}/events", f"/m/{wrong}/static/kring.css",
                 f"/m/{wrong}/thanks", "/", "/m/", "/static/kring.css", f"/m/{token}/static/../app.py"):
        r = await client.get(path)
        assert r.status == 404, path
        assert await r.text() == "404: Not Found", path
    r = await client.post(f"/m/{wrong}/form", data={"who": "Bram", "roti": "3"})
    assert r.status == 404


async def test_the_token_is_kept_per_meeting_and_ends_when_the_meeting_closes(store, clock, meeting, token):
    assert token_for(store, meeting, clock) == token  # a restarted server keeps the link
    assert len(token) >= 32
    assert live_meeting_of(store, token) == meeting
    append_event(store, meeting, "close", clock.now())
    assert live_meeting_of(store, token) is None


async def test_a_closed_meeting_gets_404(client, store, clock, meeting, token):
    html, seal = await form_of(client, token)
    append_event(store, meeting, "close", clock.now())
    for path in (f"/m/{token}", f"/m/{token}/form", f"/m/{token}/events", f"/m/{token}/static/kring.css"):
        r = await client.get(path)
        assert r.status == 404, path
        assert await r.text() == "404: Not Found"
    r = await client.post(f"/m/{token}/form", data={"seal": seal, "who": "Bram", **GOOD})
    assert r.status == 404
    assert stored(store, EvaluationReceipt) == []


# --- the live page -------------------------------------------------------------------------


async def test_the_live_page_shows_title_step_countdown_and_speaker(client, store, clock, meeting, token):
    r = await client.get(f"/m/{token}")
    html = await r.text()
    assert "Wijkzorg Noord: casus" in html and "nog niet begonnen" in html
    append_event(store, meeting, "start", clock.now())
    clock.advance(seconds=65)
    append_event(store, meeting, "speaker", clock.now(), {"name": "Anouk de Vries"})
    await asyncio.sleep(0.1)  # the follower's next look (a store change, not a timer)
    html = await (await client.get(f"/m/{token}")).text()
    assert "Stap 1 van" in html and "Inchecken" in html
    assert re.search(r'id="countdown"[^>]*>\d\d:\d\d<', html)
    assert "Aan het woord: Anouk" in html and "de Vries" not in html  # first names only
    assert '<meta name="viewport"' in html and 'lang="nl"' in html


async def test_no_note_no_member_and_no_outside_address_is_served(client, store, clock, meeting, token):
    with store.writing() as s:
        net = Network(name="Geheim netwerk", created_at=clock.now())
        s.add(net)
    append_event(store, meeting, "start", clock.now())
    add_note(store, meeting, make_note(clock, text="VERTROUWELIJK geheim", confidential=True))
    add_note(store, meeting, make_note(clock, text="openbare notitie"))
    append_event(store, meeting, "case_bringer", clock.now(), {"name": "Fatima El Amrani", "title": "Casustitel X"})
    await asyncio.sleep(0.1)
    pages = [await (await client.get(f"/m/{token}{p}")).text() for p in ("", "/form", "/static/live.js")]
    for html in pages:
        for secret in ("VERTROUWELIJK", "openbare notitie", "Geheim netwerk", "Casustitel X", "El Amrani"):
            assert secret not in html
        assert not re.search(r"(src|href|action)=\"(https?:)?//", html)  # nothing from elsewhere
    r = await client.get(f"/m/{token}")
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
    assert r.headers["Referrer-Policy"] == "no-referrer"


async def test_the_live_stream_tells_a_new_step(client, store, clock, meeting, token):
    append_event(store, meeting, "start", clock.now())
    async with client.get(f"/m/{token}/events") as r:
        assert r.headers["Content-Type"].startswith("text/event-stream")

        async def next_view() -> dict:
            while True:
                line = (await r.content.readline()).decode()
                if line.startswith("data: "):
                    return json.loads(line[6:])

        # The server's follower may still hold the view it read before "start" was
        # written; the started meeting follows at its next look at the store.
        first = await asyncio.wait_for(next_view(), 5)
        while first["step"] is None:
            first = await asyncio.wait_for(next_view(), 5)
        assert first["step"]["number"] == 1
        append_event(store, meeting, "goto", clock.now(), {"step": 1})
        view = await asyncio.wait_for(next_view(), 5)
        while view["step"]["number"] != 2:
            view = await asyncio.wait_for(next_view(), 5)
        assert view["step"]["title"] and not view["evaluation"]


async def test_at_the_evaluation_step_the_page_is_the_form(client, store, clock, meeting, token, standaard):
    append_event(store, meeting, "goto", clock.now(), {"step": len(standaard["steps"]) - 1})
    await asyncio.sleep(0.1)
    html = await (await client.get(f"/m/{token}")).text()
    assert 'name="seal"' in html and "Was deze bijeenkomst mijn tijd waard?" in html


# --- the form --------------------------------------------------------------------------------


async def test_answers_land_in_the_store_with_the_name(client, store, meeting, token):
    html, seal = await form_of(client, token)
    for short in ("Anouk", "Bram", "Fatima", "Joris", "Lotte"):
        assert f'value="{short}"' in html
    assert "de Vries" not in html
    # every input has its label
    assert html.count('type="radio"') == len(re.findall(r'<label class="choice[^"]*"><input type="radio"', html))
    assert re.search(r'<label class="question-text" for="a-top">', html) and 'id="a-top"' in html
    r = await client.post(f"/m/{token}/form", data={"seal": seal, "who": "Anouk", **GOOD}, allow_redirects=False)
    assert r.status == 303 and r.headers["Location"] == f"/m/{token}/thanks"
    [row] = stored(store, EvaluationResponse)
    assert row.participant == "Anouk de Vries"
    assert row.answers == {"roti": 3, "relevance": 4, "top": "Fijne sfeer"}
    assert progress(store, meeting)["answered"] == 1  # the moderator's live count
    thanks = await (await client.get(f"/m/{token}/thanks")).text()
    assert "opgeslagen" in thanks


async def test_a_replayed_form_is_refused(client, store, token):
    _html, seal = await form_of(client, token)
    sent = {"seal": seal, "who": "Bram", **GOOD}
    assert (await client.post(f"/m/{token}/form", data=sent, allow_redirects=False)).status == 303
    again = await client.post(f"/m/{token}/form", data={**sent, "who": "Joris"}, allow_redirects=False)
    assert again.status == 409
    assert [r.participant for r in stored(store, EvaluationReceipt)] == ["Bram"]


async def test_a_form_without_its_seal_or_from_another_browser_is_refused(client, aiohttp_client, store, token):
    _html, seal = await form_of(client, token)
    r = await client.post(f"/m/{token}/form", data={"who": "Bram", **GOOD})
    assert r.status == 403
    r = await client.post(f"/m/{token}/form", data={"seal": seal + "x", "who": "Bram", **GOOD})
    assert r.status == 403
    client.session.cookie_jar.clear()  # the same seal from a browser that did not get it
    r = await client.post(f"/m/{token}/form", data={"seal": seal, "who": "Bram", **GOOD})
    assert r.status == 403
    assert stored(store, EvaluationReceipt) == []


async def test_an_oversized_body_is_refused(client, store, token):
    _html, seal = await form_of(client, token)
    r = await client.post(f"/m/{token}/form", data={"seal": seal, "who": "Bram", "top": "x" * 200_000})
    assert r.status == 413
    assert stored(store, EvaluationReceipt) == []


async def test_each_name_answers_once(client, aiohttp_client, store, clock, meeting, token):
    _html, seal = await form_of(client, token)
    other = await aiohttp_client(client.server)  # a second phone, with its own cookie
    html2, seal2 = await form_of(other, token)
    assert (await client.post(f"/m/{token}/form", data={"seal": seal, "who": "Lotte", **GOOD},
                              allow_redirects=False)).status == 303
    r = await other.post(f"/m/{token}/form", data={"seal": seal2, "who": "Lotte", "roti": "0"})
    assert r.status == 409
    assert "Lotte heeft al geantwoord" in await r.text()
    assert [row.answers["roti"] for row in stored(store, EvaluationResponse)] == [3]
    html3, _seal = await form_of(other, token)
    assert 'value="Lotte"' not in html3  # no longer offered


async def test_bad_answers_are_named_and_nothing_is_stored(client, store, token):
    _html, seal = await form_of(client, token)
    r = await client.post(f"/m/{token}/form", data={"seal": seal, "who": "Bram", "roti": "9"})
    assert r.status == 400
    text = await r.text()
    assert "Was deze bijeenkomst mijn tijd waard?" in text and 'role="alert"' in text
    seal = re.search(r'name="seal" value="([^"]+)"', text).group(1)
    r = await client.post(f"/m/{token}/form", data={"seal": seal, "who": "Bram"})
    assert r.status == 400 and "minstens één vraag" in await r.text()
    seal = re.search(r'name="seal" value="([^"]+)"', await r.text()).group(1)
    r = await client.post(f"/m/{token}/form", data={"seal": seal, "who": "Niemand", **GOOD})
    assert r.status == 400
    assert stored(store, EvaluationReceipt) == []


async def anonymous_meeting(store, clock, standaard) -> tuple[int, str]:
    from kring.data.meetings import create_meeting

    with store.writing() as s:
        net = Network(name="Wijkzorg", anonymous_evaluation=True, created_at=clock.now())
        s.add(net)
        s.flush()
        network_id = net.id
    meeting = create_meeting(store, standaard, NAMES, clock, network_id=network_id)
    return meeting, token_for(store, meeting, clock)


async def test_the_anonymous_form_asks_no_name_and_stores_none(aiohttp_client, store, clock, standaard):
    from sqlalchemy import text

    meeting, token = await anonymous_meeting(store, clock, standaard)
    client = await aiohttp_client(make_app(store, meeting, token, clock))
    html, seal = await form_of(client, token)
    assert 'name="who"' not in html and "Je naam" not in html  # nothing to pick
    assert not any(f'value="{short}"' in html for short in ("Anouk", "Bram", "Fatima", "Joris", "Lotte"))
    assert "niet gevraagd en niet bewaard" in html
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/m/" + token + "/form"))["kring_b"].value
    r = await client.post(f"/m/{token}/form", data={"seal": seal, **GOOD}, allow_redirects=False,
                          headers={"User-Agent": "Telefoon-van-Joris/1.0"})
    assert r.status == 303 and r.headers["Location"] == f"/m/{token}/thanks"
    [row] = stored(store, EvaluationResponse)
    assert row.participant is None and row.at is None
    assert row.answers == {"roti": 3, "relevance": 4, "top": "Fijne sfeer"}
    [receipt] = stored(store, EvaluationReceipt)
    assert receipt.at is None
    assert progress(store, meeting) == {"answered": 1, "expected": 5, "names": []}  # "1 van 5"
    # nothing the browser sent is in the answers' or the receipts' tables: no cookie, address, agent, name
    with store.engine.connect() as con:
        raw = " ".join(str(v) for table in ("evaluation_response", "evaluation_receipt")
                       for row in con.execute(text(f"SELECT * FROM {table}")) for v in row)
    for trace in (cookie, "127.0.0.1", "Telefoon-van-Joris", *NAMES):
        assert trace not in raw


async def test_an_anonymous_browser_answers_once(aiohttp_client, store, clock, standaard):
    from kring.web.app import KEY_STATE

    meeting, token = await anonymous_meeting(store, clock, standaard)
    client = await aiohttp_client(make_app(store, meeting, token, clock))
    _html, seal = await form_of(client, token)
    assert (await client.post(f"/m/{token}/form", data={"seal": seal, **GOOD}, allow_redirects=False)).status == 303
    html = await (await client.get(f"/m/{token}/form")).text()
    assert "al verstuurd" in html and 'name="roti"' not in html  # not offered again
    # the same browser with a good seal it has not used (a second tab, or a crafted post)
    cookie = client.session.cookie_jar.filter_cookies(client.make_url(f"/m/{token}"))["kring_b"].value
    again = await client.post(f"/m/{token}/form", data={"seal": client.server.app[KEY_STATE].seal.issue(cookie),
                                                        "roti": "0"})
    assert again.status == 409
    body = await again.text()
    assert "al verstuurd" in body and "Fijne sfeer" not in body and 'name="roti"' not in body  # nothing told
    assert (await client.post(f"/m/{token}/form", data={"seal": seal, "roti": "0"})).status == 409  # replayed
    assert [r.answers["roti"] for r in stored(store, EvaluationResponse)] == [3]
    assert progress(store, meeting)["answered"] == 1
    # the other four phones answer; then the count is full and the form closed ("5 van 5", never 6)
    for n in range(4):
        phone = await aiohttp_client(client.server)
        _html, seal = await form_of(phone, token)
        r = await phone.post(f"/m/{token}/form", data={"seal": seal, "roti": str(n)}, allow_redirects=False)
        assert r.status == 303
    assert progress(store, meeting)["answered"] == 5
    late = await aiohttp_client(client.server)
    html = await (await late.get(f"/m/{token}/form")).text()
    assert "Iedereen heeft de evaluatie ingevuld" in html and 'name="roti"' not in html


# --- floods ------------------------------------------------------------------------------------


async def test_a_flood_from_one_address_is_slowed(aiohttp_client, store, clock, meeting, token):
    client = await aiohttp_client(make_app(store, meeting, token, clock, Limits(rate=1, burst=5)))
    codes = [(await client.get(f"/m/{token}/static/kring.css")).status for _ in range(8)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3
    r = await client.get(f"/m/{token}")
    assert r.status == 429 and int(r.headers["Retry-After"]) >= 1


def test_the_served_link_is_recorded_for_the_agenda(store, clock, meeting, token):
    from kring.data.weblink import record_served

    assert served_link(store, meeting) is None
    record_served(store, token, f"http://127.0.0.1:8765/m/{token}", clock)
    assert served_link(store, meeting) == f"http://127.0.0.1:8765/m/{token}"
    record_served(store, token, "", clock)
    assert served_link(store, meeting) is None


def test_first_names_tell_people_apart_and_stay_cheap():
    import time

    from kring.web.view import first_names

    assert first_names(["Anouk de Vries", "Anouk Bakker", "Bram Jansen", "Anouk Brink"]) == {
        "Anouk de Vries": "Anouk d.", "Anouk Bakker": "Anouk Bakker", "Bram Jansen": "Bram",
        "Anouk Brink": "Anouk Brink"}
    assert len(set(first_names([f"Deelnemer {i}" for i in range(3000)]).values())) == 3000  # each pickable

    # one pass: 20,000 names in about a tenth of a second (one pass per name took minutes);
    # the bound leaves room for a busy machine
    names = [f"Deelnemer {i}" for i in range(20_000)]
    began = time.perf_counter()
    first_names(names)
    assert time.perf_counter() - began < 5.0


async def test_text_stored_raw_passes_the_gate_on_its_way_to_the_page(client, store, clock, meeting, token):
    from kring.data.models import Meeting

    hostile = "Wijk\x1b]52;c;ZWNobyBoaQ==\x07zorg \u202eNoord\x1b[2J"
    with store.writing() as s:  # past the gate at the door, as an old or hand-edited store could hold it
        row = s.get(Meeting, meeting)
        row.title = hostile
        s.add(row)
    append_event(store, meeting, "start", clock.now())
    await asyncio.sleep(0.1)
    for path in ("", "/form"):
        html = await (await client.get(f"/m/{token}{path}")).text()
        assert "Wijk" in html and not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", html)


def test_the_web_client_never_imports_textual():
    import ast
    from pathlib import Path

    for path in (Path(__file__).resolve().parent.parent / "web").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("textual", "kring.tui", "kring.screens")), f"{path.name}: {name}"
