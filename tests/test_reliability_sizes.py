"""Terminal sizes: every screen renders from 40x12 to 300x100 and survives repeated resizes.

Each screen is opened on a store with a demo network, a live meeting with notes
and evaluations, and walked through a row of sizes (the smallest and largest,
tall and narrow, wide and flat, and a burst of resizes without a pause between
them, as when a window is dragged). At every size the screen must still be the
one we opened, its essential text must be on screen, and nothing may raise.
"""

from __future__ import annotations

import html
import re

import pytest

from kring.data.core.clock import FakeClock
from tests.crashdriver import say

SIZES = [(40, 12), (300, 100), (41, 13), (80, 24), (40, 100), (300, 12), (120, 36), (57, 19), (200, 50), (40, 12)]
DRAG = [(40 + (i * 37) % 261, 12 + (i * 13) % 89) for i in range(25)]  # a window being dragged
WALKED: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _figures(request):
    yield
    if WALKED:
        say(request, f"terminal sizes: {len(WALKED)} screens, each through {len(SIZES) + len(DRAG) + 1} sizes "
                     f"from 40x12 to 300x100 ({', '.join(WALKED)})")


def screen_text(app) -> str:  # noqa: ANN001
    """The screen as lines of text, from the screenshot's text runs."""
    lines: dict[float, list[str]] = {}
    for y, run in re.findall(r'<text [^>]*?y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot(), re.S):
        lines.setdefault(float(y), []).append(html.unescape(run).replace("\xa0", " "))
    return "\n".join("".join(runs) for _y, runs in sorted(lines.items()))


@pytest.fixture
def clock():
    return FakeClock("2026-11-20T19:00:00+01:00")


@pytest.fixture
def full_store(store, clock):
    """A demo network and its live meeting: started, a speaker, notes of every kind, two evaluations."""
    from kring.data.demo import demo_meeting
    from kring.data.evaluation import submit
    from kring.data.meetings import append_event
    from kring.data.notes import NoteInfo, add_note, new_uid
    from kring.workformats.loader import find

    meeting_id = demo_meeting(store, clock, find("standaard").model_dump(mode="json"))
    append_event(store, meeting_id, "goto", clock.now(), {"step": 0})
    clock.advance(seconds=200)
    from kring.data.meetings import get_meeting

    names = get_meeting(store, meeting_id).names
    append_event(store, meeting_id, "speaker", clock.now(), {"name": names[0]})
    for i, (kind, text) in enumerate([("decision", "We nodigen de wijkagent uit " * 3), ("note", "Een lange notitie " * 30),
                                      ("action", "Sociale kaart rondsturen"), ("insight", "Eerst vragen 👩‍👩‍👧‍👦"),
                                      ("question", "Wie sluit aan?"), ("quote", "Ik voel me gehoord")]):
        add_note(store, meeting_id, NoteInfo(uid=new_uid(), kind=kind, text=text, step_index=0, step_title="Inchecken",
                                             speaker=names[i % len(names)], author="Sanne", at=clock.now(),
                                             owner=names[1] if kind == "action" else None,
                                             due="2026-12-04" if kind == "action" else None))
    for name in names[:2]:
        submit(store, meeting_id, name, {"roti": 3, "top": "Fijne sfeer"}, clock)
    return store, meeting_id, names


async def walk(app, check, open_screen=None) -> int:  # noqa: ANN001
    """Resize through SIZES (checking each) and DRAG (checking at the end); returns the sizes tried."""
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        if open_screen is not None:
            await open_screen(pilot)
            await pilot.pause()
        expected = type(app.screen)
        for size in SIZES:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert type(app.screen) is expected, f"{size}: the screen changed to {type(app.screen).__name__}"
            assert app.size == size
            check(app, size)
        for size in DRAG:
            await pilot.resize_terminal(*size)
        await pilot.pause()
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        check(app, (40, 12))
        assert app.is_running
        WALKED.append(type(app.screen).__name__)
    return len(SIZES) + len(DRAG) + 1


def needs(*needles: str):  # noqa: ANN201
    def check(app, size) -> None:  # noqa: ANN001
        text = screen_text(app)
        missing = [n for n in needles if n not in text]
        assert not missing, f"at {size[0]}x{size[1]} not on screen: {missing}\n{text[:2000]}"

    return check


async def test_agenda(full_store, clock):
    from kring.tui.app import KringApp

    store, meeting_id, _names = full_store
    await walk(KringApp(store, meeting_id, clock=clock, watch=False), needs("Stap 1"))


async def test_agenda_with_its_dialogs(full_store, clock):
    from kring.tui.app import KringApp

    store, meeting_id, _names = full_store

    async def close_question(pilot) -> None:  # noqa: ANN001
        await pilot.press("x")

    await walk(KringApp(store, meeting_id, clock=clock, watch=False), needs("afsluiten"), close_question)

    async def help_screen(pilot) -> None:  # noqa: ANN001
        await pilot.press("question_mark")

    await walk(KringApp(store, meeting_id, clock=clock, watch=False), needs("Toetsen"), help_screen)


async def test_notes(full_store, clock):
    from kring.tui.notes_app import NotesApp

    store, meeting_id, _names = full_store
    app = NotesApp(store, meeting_id, clock=clock, author="Sanne", watch=False)

    async def typing(pilot) -> None:  # noqa: ANN001
        await pilot.press(*"b: een besluit")

    await walk(app, needs("een besluit"), typing)


async def test_evaluation_form_and_name_list(full_store, clock):
    from kring.data.evaluation import open_evaluation
    from kring.tui.evaluate_app import EvaluateApp

    store, meeting_id, names = full_store
    context = open_evaluation(store, meeting_id)
    await walk(EvaluateApp(store, context, participant=names[3], clock=clock, watch=False), needs(names[3]))
    await walk(EvaluateApp(store, open_evaluation(store, meeting_id), clock=clock, watch=False), needs(names[3]))


async def test_evaluation_results(full_store, clock):
    from kring.tui.app import KringApp

    store, meeting_id, _names = full_store

    async def results(pilot) -> None:  # noqa: ANN001
        await pilot.press("u")
        await pilot.app.workers.wait_for_complete()

    await walk(KringApp(store, meeting_id, clock=clock, watch=False), needs("Uitslag evaluatie"), results)


async def test_history(full_store, clock):
    from kring.tui.history_app import HistoryApp

    store, _meeting_id, _names = full_store

    async def loaded(pilot) -> None:  # noqa: ANN001
        await pilot.app.workers.wait_for_complete()

    await walk(HistoryApp(store, clock=clock), needs("kring"), loaded)


async def test_network_list_and_editor(full_store, clock):
    from kring.tui.network_app import NetworkApp

    store, meeting_id, _names = full_store
    from kring.data.meetings import get_meeting

    network_id = get_meeting(store, meeting_id).network_id
    await walk(NetworkApp(store, clock=clock), needs("kring"))
    await walk(NetworkApp(store, network_id, clock=clock), needs("kring"))
