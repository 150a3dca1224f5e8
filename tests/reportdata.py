"""Meetings with notes and evaluations, written straight into a test store.

The report, render and history tests build on these rows; they do not go
through the notes or evaluation screens, so they test the report alone.
"""

from __future__ import annotations

import uuid
from typing import Any

from kring.data.meetings import append_event, create_meeting
from kring.data.models import EvaluationReceipt, EvaluationResponse, Network, Note

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</style><script>document.location='http://evil.example/'</script>",
    "=HYPERLINK(\"http://evil.example/\",\"klik\")",
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd|' /C calc'!A0",
    "\tbegint met een tab",
    "\rbegint met een CR",
    "[klik hier](http://evil.example/) en ![beeld](http://evil.example/x.png)",
    "<http://evil.example/> & &amp; &lt;",
    "| kolom | breuk |",
    "# geen kop\n- geen lijst\n1. geen nummer\n> geen citaat",
    "`code` *nadruk* _ook_ \\backslash",
]

NAMES = ["Anouk", "Bram", "Fatima", "Joris", "Lotte"]


def add_network(store, name: str = "Leernetwerk Wijkzorg", theme: str = "Samenwerken in de wijk", *,
                anonymous: bool = False, clock=None) -> int:
    with store.writing() as s:
        net = Network(name=name, theme=theme, anonymous_evaluation=anonymous,
                      created_at=clock.now() if clock else None)
        s.add(net)
        s.flush()
        return int(net.id)


def add_note(store, meeting_id: int, text: str, *, at, step: int | None = 0, step_title: str = "Inchecken",
             kind: str = "note", confidential: bool = False, speaker: str | None = None, author: str = "notulist",
             owner: str | None = None, due: str | None = None, status: str = "open", deleted: bool = False) -> None:
    with store.writing() as s:
        s.add(Note(uid=uuid.uuid4().hex, meeting_id=meeting_id, kind=kind, text=text, step_index=step,
                   step_title=step_title if step is not None else "", speaker=speaker, author=author, at=at,
                   confidential=confidential, owner=owner, due=due, status=status, deleted=deleted))


def add_notes_bulk(store, meeting_id: int, rows: list[dict[str, Any]]) -> None:
    with store.writing() as s:
        for r in rows:
            s.add(Note(uid=uuid.uuid4().hex, meeting_id=meeting_id, **r))


def add_response(store, meeting_id: int, participant: str | None, answers: dict[str, Any], *, at=None,
                 case_bringer: bool = False, receipt: str | None = None) -> None:
    with store.writing() as s:
        s.add(EvaluationResponse(meeting_id=meeting_id, participant=participant, answers=answers,
                                 case_bringer=case_bringer, at=at))
        name = receipt or participant
        if name:
            s.add(EvaluationReceipt(meeting_id=meeting_id, participant=name, at=at))


def held_meeting(store, clock, fmt, *, network_id: int | None = None, title: str = "Bijeenkomst",
                 roti: list[int] | None = None, close: bool = True, notes: bool = True) -> int:
    """A meeting that ran: check-in 12 min (Bram spoke 3), look-back 8 min, then closed.

    Notes: a plain note, a decision, an action, an insight, and a confidential
    note in the intervision step. Evaluations: one per ROTI value given.
    """
    mid = create_meeting(store, fmt, NAMES, clock, title=title, network_id=network_id, place="Buurthuis De Kring",
                         roles={"Anouk": ["moderator"], "Bram": ["notulist"]})
    append_event(store, mid, "start", clock.now())
    clock.advance(minutes=1)
    append_event(store, mid, "speaker", clock.now(), {"name": "Bram"})
    clock.advance(minutes=3)
    append_event(store, mid, "speaker", clock.now(), {"name": "Fatima"})
    if notes:
        add_note(store, mid, "Iedereen is er, Joris iets later", at=clock.now(), speaker="Fatima")
        add_note(store, mid, "We houden vast aan zes weken", at=clock.now(), kind="decision")
        add_note(store, mid, "Rooster delen met de huisartsen", at=clock.now(), kind="action", owner="Lotte",
                 due="2026-12-18")
        add_note(store, mid, "Vrijwilligers haken af na de zomer", at=clock.now(), kind="insight", speaker="Bram",
                 step=1, step_title="Terugblik op de acties van vorige keer")
        add_note(store, mid, "Geheim: het verhaal van de inbrenger over haar teamleider", at=clock.now(),
                 confidential=True, step=3, step_title="Intervisie met een werkvorm")
        add_note(store, mid, "Weggegooide notitie", at=clock.now(), deleted=True)
    clock.advance(minutes=8)
    append_event(store, mid, "goto", clock.now(), {"step": 1})
    clock.advance(minutes=8)
    if close:
        append_event(store, mid, "close", clock.now())
    for i, value in enumerate(roti or []):
        add_response(store, mid, NAMES[i % len(NAMES)], {"roti": value, "relevance": 4, "top": f"top {i}"},
                     at=clock.now())
    return mid
