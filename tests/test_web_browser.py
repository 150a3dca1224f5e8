"""Participants' pages in a real headless Chromium at a phone's size.

The distribution's Chromium (`apt-get install chromium`), driven by Playwright
through `executable_path`: nothing is downloaded. Without it these tests are
skipped and say why.
"""

from __future__ import annotations

import asyncio
import os
import shutil

import pytest
from aiohttp.test_utils import TestServer
from sqlmodel import select

from kring.data.evaluation import progress
from kring.data.meetings import append_event, create_meeting
from kring.data.models import EvaluationReceipt, EvaluationResponse, Network
from kring.data.weblink import token_for
from kring.web.app import Limits, make_app

CHROMIUM = os.environ.get("KRING_TEST_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no Chromium: install the distribution's package (apt-get install chromium)")

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
TWELVE = ["Anouk", "Bram", "Chantal", "Daan", "Eva", "Fatima", "Gert", "Hanna", "Ilse", "Joris", "Karim", "Lotte"]
# Twelve phones behind one address in a test: the flood guard stays, with room for them.
ROOM = Limits(rate=200, burst=400, follow_interval=0.05)


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield b
        await b.close()


async def serving(store, meeting: int, clock, limits: Limits = ROOM) -> tuple[TestServer, str]:
    token = token_for(store, meeting, clock)
    server = TestServer(make_app(store, meeting, token, clock, limits), host="127.0.0.1")
    await server.start_server()
    return server, str(server.make_url(f"/m/{token}"))


def stored(store, model):
    with store.session() as s:
        return s.exec(select(model).order_by(model.id)).all()


def keep_shots(folder) -> None:
    """Screenshots to look at: KRING_SHOTS=folder pytest tests/test_web_browser.py"""
    if os.environ.get("KRING_SHOTS"):
        for shot in folder.glob("*.png"):
            shutil.copy(shot, os.environ["KRING_SHOTS"])


async def answer_on_a_phone(browser, link: str, name: str | None, roti: int, shots=None) -> None:
    """Fill in and send the form on a phone of its own; `name` None: the anonymous form, which asks none."""
    context = await browser.new_context(**PHONE, locale="nl-NL")
    page = await context.new_page()
    try:
        await page.goto(link)  # the evaluation step: the page is the form
        if shots:
            await page.screenshot(path=str(shots / "form.png"))
        if name is None:
            assert await page.locator('input[name="who"]').count() == 0
        else:
            await page.get_by_label(name, exact=True).check()
        await page.locator(f'input[name="roti"][value="{roti}"]').check()
        await page.get_by_label("Top: wat ging er goed?").fill(f"Top van {name or 'een telefoon'}")
        if shots:  # further down: a scale and the open questions
            await page.get_by_label("Top: wat ging er goed?").scroll_into_view_if_needed()
            await page.screenshot(path=str(shots / "form-open.png"))
        await page.get_by_role("button", name="Verstuur mijn antwoorden").tap()
        await page.wait_for_url("**/thanks")
        assert "opgeslagen" in await page.text_content("main")
    finally:
        await context.close()


async def test_twelve_participants_answer_at_once(browser, store, clock, standaard, tmp_path):
    meeting = create_meeting(store, standaard, TWELVE, clock)
    append_event(store, meeting, "goto", clock.now(), {"step": len(standaard["steps"]) - 1})
    server, link = await serving(store, meeting, clock)
    try:
        await asyncio.gather(*(answer_on_a_phone(browser, link, name, i % 5, tmp_path if i == 0 else None)
                               for i, name in enumerate(TWELVE)))
    finally:
        await server.close()
    keep_shots(tmp_path)
    assert sorted(r.participant for r in stored(store, EvaluationReceipt)) == sorted(TWELVE)
    responses = {r.participant: r.answers for r in stored(store, EvaluationResponse)}
    assert responses == {name: {"roti": i % 5, "top": f"Top van {name}"} for i, name in enumerate(TWELVE)}


async def test_the_anonymous_form_in_the_browser_asks_no_name_and_stores_none(browser, store, clock, standaard,
                                                                              tmp_path):
    with store.writing() as s:
        net = Network(name="Wijkzorg", anonymous_evaluation=True, created_at=clock.now())
        s.add(net)
        s.flush()
        network_id = net.id
    meeting = create_meeting(store, standaard, TWELVE[:4], clock, network_id=network_id)
    append_event(store, meeting, "goto", clock.now(), {"step": len(standaard["steps"]) - 1})
    server, link = await serving(store, meeting, clock)
    try:
        # three phones at once, none asked a name
        await asyncio.gather(*(answer_on_a_phone(browser, link, None, i, tmp_path if i == 0 else None)
                               for i in range(3)))
        context = await browser.new_context(**PHONE, locale="nl-NL")
        page = await context.new_page()
        await page.goto(link + "/form")
        await page.locator('input[name="roti"][value="4"]').check()
        await page.get_by_role("button", name="Verstuur mijn antwoorden").tap()
        await page.wait_for_url("**/thanks")
        await page.goto(link + "/form")  # the same phone again: not offered, nothing shown of the answers
        assert "al verstuurd" in await page.text_content("main")
        assert await page.locator('input[name="roti"]').count() == 0
        await context.close()
    finally:
        await server.close()
    keep_shots(tmp_path)
    assert progress(store, meeting)["answered"] == 4  # "4 van 4"
    rows = stored(store, EvaluationResponse)
    assert all(r.participant is None and r.at is None for r in rows)
    assert sorted(r.answers["roti"] for r in rows) == [0, 1, 2, 4]
    assert not any(name in rc.participant for rc in stored(store, EvaluationReceipt) for name in TWELVE[:4])


async def test_the_live_page_follows_the_moderator_and_becomes_the_form(browser, store, clock, standaard, tmp_path):
    meeting = create_meeting(store, standaard, TWELVE[:5], clock, title="Wijkzorg Noord")
    append_event(store, meeting, "start", clock.now())
    append_event(store, meeting, "speaker", clock.now(), {"name": "Bram"})
    server, link = await serving(store, meeting, clock)
    context = await browser.new_context(**PHONE, locale="nl-NL")
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        await page.goto(link)
        await page.wait_for_selector("body[data-step='1']", state="attached")
        assert await page.text_content("#speaker") == "Aan het woord: Bram"
        await page.screenshot(path=str(tmp_path / "live.png"), full_page=True)
        append_event(store, meeting, "goto", clock.now(), {"step": 1})  # the moderator's `n`
        await page.wait_for_selector("body[data-step='2']", state="attached", timeout=5000)
        assert await page.text_content("#step-title") == standaard["steps"][1]["title"]
        append_event(store, meeting, "goto", clock.now(), {"step": len(standaard["steps"]) - 1})
        await page.wait_for_selector('input[name="seal"]', state="attached", timeout=5000)  # it became the form
        assert await page.get_by_label("Bram", exact=True).count() == 1
        # large touch targets: every choice is at least 44 px high
        heights = await page.eval_on_selector_all("label.choice", "els => els.map(e => e.offsetHeight)")
        assert heights and min(heights) >= 44
        assert not errors, errors  # no script error, no refused script or style (CSP)
    finally:
        await context.close()
        await server.close()
    keep_shots(tmp_path)


async def test_the_pages_work_without_javascript(browser, store, clock, standaard):
    meeting = create_meeting(store, standaard, TWELVE[:3], clock)
    append_event(store, meeting, "start", clock.now())
    server, link = await serving(store, meeting, clock)
    context = await browser.new_context(**PHONE, java_script_enabled=False)
    page = await context.new_page()
    try:
        await page.goto(link)
        await page.get_by_role("link", name="Vul de evaluatie in").click()
        await page.get_by_label("Chantal", exact=True).check()
        await page.locator('input[name="relevance"][value="5"]').check()
        await page.get_by_role("button", name="Verstuur mijn antwoorden").click()
        await page.wait_for_url("**/thanks")
    finally:
        await context.close()
        await server.close()
    assert [r.answers for r in stored(store, EvaluationResponse)] == [{"relevance": 5}]
