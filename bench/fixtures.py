"""Stores for the benchmarks: a long meeting with its event log and many notes.

The notes go in through the same tables `kring.data.notes.add_note` writes
(a note and its first revision), in one transaction, so a store with 10,000
notes takes seconds, not minutes.
"""

from __future__ import annotations

import random
import uuid
from pathlib import Path

import pendulum

PEOPLE = ["Anouk de Vries", "Bram Jansen", "Fatima El Amrani", "Joris Peeters", "Lotte Bakker", "Sven Maes"]
KINDS = ["note"] * 14 + ["decision", "action", "insight", "question", "parking", "quote"]
WORDS = ("afspraak wijkteam overleg huisarts casus signaal buurt ouders school zorg budget planning "
         "vrijwilligers coördinatie terugkoppeling privacy dossier evaluatie werkdruk samenwerking").split()


def open_store(folder: Path):  # noqa: ANN201
    from kring.data.store import Store

    folder.mkdir(parents=True, exist_ok=True)
    return Store(f"sqlite:///{folder / 'kring.db'}")


def standaard() -> dict:
    from kring.workformats.loader import find

    return find("standaard").model_dump(mode="json")


def long_meeting(store, *, hours: float = 3.0, notes: int = 0, ends_at=None, seed: int = 8) -> int:  # noqa: ANN001
    """A live meeting that started `hours` ago and is still running its last step.

    Its log has what three hours of moderating leave: steps begun, pauses,
    extra minutes, a speaker every few minutes. `notes` notes are spread over it.
    """
    from kring.data.core.clock import FakeClock
    from kring.data.meetings import append_events, create_meeting, new_event

    rng = random.Random(seed)
    end = ends_at or pendulum.now()
    start = end.subtract(seconds=round(hours * 3600))
    clock = FakeClock(start)
    fmt = standaard()
    steps = len(fmt["steps"])
    meeting_id = create_meeting(store, fmt, PEOPLE, clock, title="Benchmark: drie uur vergaderen")
    span = hours * 3600
    events = [new_event("start", start, origin="bench")]
    # steps begin evenly; the last one is still running now
    for i in range(1, steps):
        events.append(new_event("goto", start.add(seconds=span * i / steps), {"step": i}, origin="bench"))
    t = 60.0
    while t < span - 60:
        at = start.add(seconds=t)
        roll = rng.random()
        if roll < 0.7:
            events.append(new_event("speaker", at, {"name": rng.choice(PEOPLE)}, origin="bench"))
        elif roll < 0.85:
            step = min(steps - 1, int(t / span * steps))
            events.append(new_event("adjust", at, {"step": step, "seconds": 60}, origin="bench"))
        else:
            events.append(new_event("pause", at, origin="bench"))
            events.append(new_event("resume", at.add(seconds=20), origin="bench"))
        t += rng.uniform(60, 240)
    events.sort(key=lambda e: e.at)
    append_events(store, meeting_id, events)
    if notes:
        add_notes(store, meeting_id, notes, start, span, fmt, rng)
    return meeting_id


def add_notes(store, meeting_id: int, count: int, start, span: float, fmt: dict, rng: random.Random) -> None:  # noqa: ANN001
    from kring.data.models import Note, NoteRevision

    titles = [s["title"] for s in fmt["steps"]]
    with store.writing() as s:
        for n in range(count):
            at = start.add(seconds=span * n / max(1, count))
            step = min(len(titles) - 1, int(span * n / max(1, count) / span * len(titles)))
            kind = rng.choice(KINDS)
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 18)))
            row = Note(
                uid=uuid.uuid4().hex, meeting_id=meeting_id, kind=kind, text=text, step_index=step,
                step_title=titles[step], speaker=rng.choice(PEOPLE), author="bench", at=at,
                confidential=rng.random() < 0.05,
                owner=rng.choice(PEOPLE) if kind == "action" else None,
                due=end_of_month(at) if kind == "action" else None,
                revision=1, updated_at=at,
            )
            s.add(row)
            s.flush()
            s.add(NoteRevision(note_id=row.id, revision=1, kind=row.kind, text=row.text,
                               confidential=row.confidential, owner=row.owner, due=row.due, status=row.status,
                               deleted=False, author="bench", at=at))


def end_of_month(at) -> str:  # noqa: ANN001
    return at.end_of("month").date().isoformat()
