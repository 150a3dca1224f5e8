"""The note-taker inside a sub-agenda, and the report that shows it nested under its step.

The moderator's events are written to the store as the agenda would; the
note-taker's screen files each note under the live sub-step and its speaker;
the report (json, md, html) nests the sub-agenda's steps and notes under the
parent step, and the sub-agenda's confidentiality is its own format's.
"""

from __future__ import annotations

import pytest

from kring.data.core.subagenda import start_data
from kring.data.core.timeline import derive
from kring.data.meetings import append_event, get_meeting, load_events
from kring.data.notes import list_notes
from kring.data.report import build_report, render_html, render_md
from kring.workformats.loader import find
from tests.test_notes_screen import make_notes, settle  # noqa: F401 - fixtures

INTERVISION = 3


def moderator(store, meeting_id, clock, kind, **data):
    append_event(store, meeting_id, kind, clock.now(), data or None, origin="moderator")


def timeline(store, meeting_id, clock):
    return derive(get_meeting(store, meeting_id).plan, load_events(store, meeting_id), clock.now())


def into_incidentmethode(store, clock, meeting_id: int) -> None:
    """The standard meeting's first three steps, ten minutes each, then incidentmethode chosen
    in its intervision step: the sub-agenda's first step is live."""
    moderator(store, meeting_id, clock, "start")
    for step in (1, 2, 3):
        clock.advance(minutes=10)
        moderator(store, meeting_id, clock, "goto", step=step)
    incident = find("incidentmethode").model_dump(mode="json", exclude_none=True)
    moderator(store, meeting_id, clock, "subagenda",
              **start_data(timeline(store, meeting_id, clock), INTERVISION, incident))


@pytest.fixture
def inside(store, meeting_id, clock):
    """The standard meeting runs incidentmethode in its intervision step; its first round is live."""
    into_incidentmethode(store, clock, meeting_id)
    moderator(store, meeting_id, clock, "speaker", name="Bram")
    return meeting_id


async def test_the_note_taker_files_under_the_live_sub_step_and_speaker(make_notes, inside, store, clock):
    app = make_notes(inside)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "4.1" in str(app.screen.query_one("#notes-step").render())
        await pilot.press(*"vorige keer gebeld", "enter")
        await settle(app, pilot)
        moderator(store, inside, clock, "goto", step=timeline(store, inside, clock).following(
            timeline(store, inside, clock).current))
        moderator(store, inside, clock, "speaker", name="Fatima")
        await settle(app, pilot)
        await pilot.press(*"een incident", "enter")
        await settle(app, pilot)
        # the list nests them under their sub-steps, in the agenda's order
        headings = [str(o.prompt) for o in app.screen.query_one("#note-list").options if o.disabled]
        assert headings[-2].strip().startswith("4.1.") and headings[-1].strip().startswith("4.2.")
    notes = list_notes(store, inside)
    tl = timeline(store, inside, clock)
    first, second = tl.children(INTERVISION)[:2]
    assert [(n.step_index, n.step_title, n.speaker) for n in notes] == [
        (first.index, first.title, "Bram"), (second.index, second.title, "Fatima")]
    assert all(n.confidential for n in notes)  # incidentmethode is confidential


async def test_the_report_nests_the_sub_agenda_under_its_step(inside, store, clock):
    from kring.data.notes import NoteInfo, add_note, new_uid

    tl = timeline(store, inside, clock)
    sub = tl.children(INTERVISION)[1]
    for text, confidential in (("Geheim incident", True), ("Gedeeld inzicht", False)):
        add_note(store, inside, NoteInfo(uid=new_uid(), kind="note", text=text, step_index=sub.index,
                                         step_title=sub.title, speaker="Bram", author="Sanne", at=clock.now(),
                                         confidential=confidential))
    clock.advance(minutes=5)
    report = build_report(store, inside, clock=clock)
    agenda = report["agenda"]
    assert [st["number"] for st in agenda] == ["1", "2", "3", "4", "5"]  # the sub-agenda is not beside it
    nested = agenda[INTERVISION]["subagenda"]
    assert nested["werkvorm"] == "incidentmethode" and nested["title"] == "Incidentmethode"
    assert nested["planned_minutes"] == 71
    assert [st["number"] for st in nested["steps"]][:2] == ["4.1", "4.2"]
    assert sum(st["planned_seconds"] for st in nested["steps"]) == agenda[INTERVISION]["planned_seconds"]
    assert all(st["confidential"] for st in nested["steps"])
    assert not agenda[0]["confidential"]
    assert report["session"]["planned_seconds"] == 100 * 60
    # the parent's actual time includes the sub-agenda's, counted once in the total
    assert agenda[INTERVISION]["actual_seconds"] == 5 * 60
    assert report["session"]["actual_seconds"] == 35 * 60
    # confidentiality of the sub-step's notes is respected: only the shared one leaves the room
    assert [n["text"] for n in report["notes"]] == ["Gedeeld inzicht"]
    assert report["notes"][0]["step"] == sub.index

    md = render_md(report)
    assert "| 4.2 | ↳ " + sub.title in md
    assert "Intervisie met een werkvorm · Incidentmethode" in md
    assert f"#### 4.2. {sub.title}" in md and "Gedeeld inzicht" in md and "Geheim" not in md
    # the notes of 4.2 come after step 4's heading and before step 5's
    assert md.index("### 4. Intervisie") < md.index("#### 4.2.") < md.index("Gedeeld inzicht")
    # the sub-agenda says once, at its step, that it was confidential; its steps without notes stay out
    assert md.count("Vertrouwelijke stap") == 1 and "#### 4.1." not in md

    html = render_html(report)
    assert '<tr class="sub"><td class="num">4.2</td>' in html
    assert f'<h4 class="sub">4.2. {sub.title}</h4>' in html and "Geheim" not in html

    full = build_report(store, inside, clock=clock, include_confidential=True)
    assert {n["text"] for n in full["notes"]} == {"Geheim incident", "Gedeeld inzicht"}


def test_the_phone_page_shows_the_parent_then_the_sub_step(inside, store, clock):
    from kring.web.view import live_view

    step = live_view(store, inside, clock)["step"]
    first = timeline(store, inside, clock).children(INTERVISION)[0]
    assert step["number"] == INTERVISION + 1
    assert step["title"] == f"Intervisie met een werkvorm › {first.title}"
    assert live_view(store, inside, clock)["steps"] == 5 and not live_view(store, inside, clock)["evaluation"]
