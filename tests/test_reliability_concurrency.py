"""Concurrency: a whole meeting's clients writing to one store at the same time.

A moderator, two note-takers and twelve participants, each in a process of its
own (as they are in real life), use the store through the same data functions
the screens use, at a person's pace, while each also follows the store the way
its screen does (the change token four times a second, the live snapshot when it
changes). No write may fail ("database is locked" must never reach anyone) and
every write must be there afterwards.

By default the meeting is compressed into KRING_SOAK_SECONDS=20 seconds, the
people acting four times faster than in life; `KRING_SOAK_SECONDS=300` plays
five minutes at a realistic pace (the "soak" variant).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import time
import traceback
from typing import Any

import pytest

from tests.crashdriver import say

SECONDS = float(os.environ.get("KRING_SOAK_SECONDS", "20"))
# Seconds of real life per second of test: 1 for a long run, faster for the short one.
PACE = 1.0 if SECONDS >= 180 else 0.25
PARTICIPANTS = [f"Deelnemer {i:02d}" for i in range(1, 13)]
NOTE_TAKERS = ["Notulist A", "Notulist B"]


def _store(url: str):  # noqa: ANN202
    from kring.data.store import Store

    return Store(url)


class Person:
    """What each process reports back: its writes, its failures and how long writes took."""

    def __init__(self, name: str, url: str, meeting_id: int, start: float, end: float, seed: int) -> None:
        self.name, self.url, self.meeting_id = name, url, meeting_id
        self.start, self.end = start, end
        self.rng = random.Random(seed)
        self.store = _store(url)
        self.errors: list[str] = []
        self.writes = 0
        self.reads = 0
        self.slowest = 0.0
        self.result: dict[str, Any] = {}
        self._token: Any = None
        self._next_look = 0.0

    def write(self, fn, *args, **kw) -> Any:  # noqa: ANN001
        t0 = time.monotonic()
        try:
            out = fn(*args, **kw)
        except Exception as exc:  # noqa: BLE001 - every failure is a broken promise here
            self.errors.append(f"{self.name}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            return None
        self.slowest = max(self.slowest, time.monotonic() - t0)
        self.writes += 1
        return out

    def follow(self) -> None:
        """What the watcher thread does: the token 4x a second, a snapshot when it changes."""
        from kring.data.live import load_snapshot
        from kring.data.meetings import change_token

        if time.monotonic() < self._next_look:
            return
        self._next_look = time.monotonic() + 0.25
        try:
            token = change_token(self.store, self.meeting_id)
            self.reads += 1
            if token != self._token:
                self._token = token
                load_snapshot(self.store, self.meeting_id)
                self.reads += 1
        except Exception as exc:  # noqa: BLE001
            self.errors.append(f"{self.name} (reading): {type(exc).__name__}: {str(exc).splitlines()[0]}")

    def wait(self, seconds: float) -> bool:
        """Live for `seconds` (of life, scaled by PACE) while following the store; False at the end."""
        until = time.time() + seconds * PACE
        while time.time() < until:
            if time.time() >= self.end:
                return False
            self.follow()
            time.sleep(0.02)
        return time.time() < self.end

    def report(self) -> dict[str, Any]:
        self.store.close()
        return {"name": self.name, "errors": self.errors, "writes": self.writes, "reads": self.reads,
                "slowest": self.slowest, **self.result}


def moderator(p: Person) -> None:
    from kring.data.core.clock import SystemClock
    from kring.data.meetings import append_events, new_event

    clock = SystemClock()
    uids: list[str] = []

    def record(kind: str, data: dict | None = None) -> None:
        ev = new_event(kind, clock.now(), data, origin="moderator")
        if p.write(append_events, p.store, p.meeting_id, [ev]) is not None:
            uids.append(ev.uid)

    record("start")
    step, running = 0, True
    while p.wait(p.rng.uniform(3, 15)):
        roll = p.rng.random()
        if roll < 0.45:
            record("speaker", {"name": p.rng.choice(PARTICIPANTS)})
        elif roll < 0.6:
            record("adjust", {"step": step, "seconds": p.rng.choice((60, -60))})
        elif roll < 0.8:
            record("pause" if running else "resume")
            running = not running
        elif step < 4:
            step += 1
            record("goto", {"step": step})
            running = True
    p.result["events"] = uids


def note_taker(p: Person) -> None:
    import pendulum

    from kring.data.core.clock import SystemClock
    from kring.data.notes import (
        NoteInfo,
        add_note,
        draft_key,
        edit_note,
        new_uid,
        save_draft,
    )

    clock = SystemClock()
    key = draft_key(p.name, "notulist")
    notes: dict[str, dict[str, Any]] = {}  # uid -> final text, revisions
    words = ("afspraak", "budget", "wijk", "casus", "planning", "signaal", "rooster", "overdracht")
    draft = ""
    while p.wait(p.rng.uniform(1, 6)):
        # typing a note: the draft is written as it grows (at most 4x a second)
        text = ""
        begun = clock.now()
        uid = new_uid()
        for _ in range(p.rng.randint(3, 12)):
            text += " " + p.rng.choice(words)
            p.write(save_draft, p.store, p.meeting_id, key, text.strip(), {"begun": {"uid": uid}}, clock.now())
            draft = text.strip()
            if not p.wait(0.25 / PACE * p.rng.uniform(1, 2)):
                break
        else:
            note = NoteInfo(uid=uid, kind=p.rng.choice(("note", "decision", "insight")), text=text.strip(),
                            step_index=0, step_title="", speaker=None, author=p.name, at=begun)
            if p.write(add_note, p.store, p.meeting_id, note, saved_at=clock.now(), draft_key=key):
                notes[uid] = {"text": note.text, "revisions": 1, "kind": note.kind}
                draft = ""
            if notes and p.rng.random() < 0.25:  # now and then a correction of an earlier note
                which = p.rng.choice(sorted(notes))
                new_text = notes[which]["text"] + " (aangevuld)"
                if p.write(edit_note, p.store, which, author=p.name, at=pendulum.now("UTC"), text=new_text):
                    notes[which]["text"] = new_text
                    notes[which]["revisions"] += 1
    p.result["notes"] = notes
    p.result["draft"] = draft


def participant(p: Person, burst: float | None) -> None:
    from kring.data.core.clock import SystemClock
    from kring.data.evaluation import open_evaluation, submit

    context = open_evaluation(p.store, p.meeting_id)
    answers = {"roti": p.rng.randint(0, 4), "relevance": p.rng.randint(1, 5), "safety": p.rng.randint(0, 10),
               "top": f"{p.name}: fijne sfeer"}
    # half the room sends at the very same moment, the rest when they are done
    at = burst if burst is not None else p.start + p.rng.uniform(0.3, 0.9) * (p.end - p.start)
    while time.time() < at:
        p.follow()
        time.sleep(0.02)
    if p.write(submit, p.store, p.meeting_id, p.name, answers, SystemClock(), form=context.form,
               anonymous=context.anonymous):
        p.result["answers"] = answers
    while time.time() < p.end:
        p.follow()
        time.sleep(0.05)


def _run(role: str, name: str, url: str, meeting_id: int, start: float, end: float, seed: int,
         burst: float | None, out) -> None:  # noqa: ANN001
    try:
        while time.time() < start:
            time.sleep(0.01)
        p = Person(name, url, meeting_id, start, end, seed)
        if role == "moderator":
            moderator(p)
        elif role == "notes":
            note_taker(p)
        else:
            participant(p, burst)
        out.put(p.report())
    except BaseException:  # noqa: BLE001
        out.put({"name": name, "errors": [traceback.format_exc()], "writes": 0, "reads": 0, "slowest": 0.0})


def test_a_full_meeting_writing_at_once_loses_nothing_and_never_sees_a_lock(db_url, standaard, request):
    from sqlmodel import select

    from kring.data.core.clock import SystemClock
    from kring.data.evaluation import progress
    from kring.data.meetings import create_meeting, load_events
    from kring.data.models import EvaluationResponse
    from kring.data.notes import draft_key, list_notes, load_draft, note_history
    from kring.data.store import Store

    store = Store(db_url)
    meeting_id = create_meeting(store, standaard, PARTICIPANTS, SystemClock(), title="Drukte")
    # separate processes, as in life; forked from a server that imported kring once
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["kring.data.evaluation", "kring.data.notes", "kring.data.live",
                                "kring.data.meetings", "kring.data.store", __name__])
    out = ctx.Queue()
    start = time.time() + 4.0  # every process started
    end = start + SECONDS
    burst = start + SECONDS * 0.6
    people = [("moderator", "Moderator", None)] + [("notes", n, None) for n in NOTE_TAKERS] + [
        ("participant", n, burst if i % 2 == 0 else None) for i, n in enumerate(PARTICIPANTS)]
    procs = [ctx.Process(target=_run, args=(role, name, db_url, meeting_id, start, end, 7 + i, b, out))
             for i, (role, name, b) in enumerate(people)]
    for proc in procs:
        proc.start()
    reports = [out.get(timeout=SECONDS + 120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)

    errors = [e for r in reports for e in r["errors"]]
    assert not errors, "\n".join(errors[:10])
    by_name = {r["name"]: r for r in reports}

    # every event the moderator wrote is there, once
    stored = [e.uid for e in load_events(store, meeting_id) if e.origin == "moderator"]
    written = by_name["Moderator"]["events"]
    assert stored == written
    checked = len(written)
    # every note with its last text and every revision; each note-taker's draft as they left it
    notes = {n.uid: n for n in list_notes(store, meeting_id)}
    for name in NOTE_TAKERS:
        mine = by_name[name]["notes"]
        assert {uid for uid, n in notes.items() if n.author == name} == set(mine)
        for uid, want in mine.items():
            assert notes[uid].text == want["text"] and notes[uid].kind == want["kind"]
            assert len(note_history(store, uid)) == want["revisions"]
            checked += want["revisions"]
        draft = load_draft(store, meeting_id, draft_key(name, "notulist"))
        assert (draft.text if draft else "") == by_name[name]["draft"]
    # every participant's answers, exactly as sent
    assert sorted(progress(store, meeting_id)["names"]) == sorted(PARTICIPANTS)
    with store.session() as s:
        rows = {r.participant: dict(r.answers) for r in
                s.exec(select(EvaluationResponse).where(EvaluationResponse.meeting_id == meeting_id))}
    for name in PARTICIPANTS:
        assert rows[name] == by_name[name]["answers"]
        checked += 1
    store.close()
    writes = sum(r["writes"] for r in reports)
    reads = sum(r["reads"] for r in reports)
    slowest = max(r["slowest"] for r in reports)
    backend = "SQLite" if db_url.startswith("sqlite") else "PostgreSQL"
    say(request, f"concurrency ({backend}, {len(people)} processes, {SECONDS:.0f}s at {1 / PACE:.0f}x life pace): "
                 f"{writes} writes and {reads} reads, 0 failed, {checked} stored items checked; "
                 f"slowest write {slowest:.2f}s")
    assert writes >= len(PARTICIPANTS) + 10
