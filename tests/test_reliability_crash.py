"""Crash: kring killed with SIGKILL at random moments, restarted, and checked each time.

Three people in real pseudo-terminals on one store at once, each in a lane of its own: the moderator (agenda
and rounds keys), the note-taker (typing notes) and participants (the
evaluation form). See tests/crashdriver.py for what is checked after each kill
and each restart. KRING_CRASH_KILLS sets the number of kills (default 100),
KRING_CRASH_SEED the seed.
"""

from __future__ import annotations

import os
import random
import threading
import time

import pytest

from tests.crashdriver import CrashDriver, say

KILLS = int(os.environ.get("KRING_CRASH_KILLS", "20" if os.environ.get("KRING_TEST_PG") else "100"))
SEED = int(os.environ.get("KRING_CRASH_SEED", "20261120"))

PEOPLE = ["Anouk", "Bram", "Fatima", "Joris", "Lotte", "Mehmet"]
EVALUATORS = [f"Deelnemer {i:02d}" for i in range(1, 61)]


def test_sigkill_at_random_moments_loses_nothing_shown_as_saved(db_url, tmp_path, request):
    started = time.monotonic()
    driver = CrashDriver(tmp_path, db_url, SEED)
    agenda_kills = KILLS // 2
    notes_kills = KILLS * 3 // 10
    evaluation_kills = KILLS - agenda_kills - notes_kills
    meeting = driver.setup_agenda(PEOPLE)
    evaluation = driver.setup_evaluation(EVALUATORS)
    errors: list[BaseException] = []

    def lane(fn, *args) -> None:  # noqa: ANN001
        try:
            fn(*args)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=lane, args=(driver.agenda_lane, meeting, agenda_kills, random.Random(SEED))),
        threading.Thread(target=lane, args=(driver.notes_lane, meeting, notes_kills, random.Random(SEED + 1))),
        threading.Thread(target=lane, args=(driver.evaluation_lane, evaluation, EVALUATORS, evaluation_kills,
                                            random.Random(SEED + 2))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    driver.store.close()
    if errors:
        raise errors[0]
    f = driver.figures
    say(request, f"crash: {f.total_kills} SIGKILLs survived ({f.kills['agenda']} agenda and rounds, "
                 f"{f.kills['notes']} notes, {f.kills['evaluation']} evaluation; {f.during_startup} while starting), "
                 f"{f.restarts_checked} restarts checked against the store, {f.events_checked} event checks, "
                 f"{f.notes_checked} note checks, {f.drafts_checked} drafts, {f.answers_checked} answers; "
                 f"caught on their way: {f.landed_in_flight} landed whole, {f.lost_in_flight} not yet written; "
                 f"slowest save {f.max_save_seconds:.2f}s; {time.monotonic() - started:.0f}s")
    assert not driver.problems, "\n\n".join(driver.problems[:5])
    assert f.total_kills >= KILLS
    assert f.restarts_checked >= KILLS // 2
