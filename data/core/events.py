"""The kinds of event in a meeting's append-only log.

An EventKind is a str, so it is stored, compared and serialised as the plain
word it stands for: the logs written before these constants read the same.
What each carries (its `data`) is in `kring.data.core.timeline`'s docstring.
Unknown kinds are ignored by the readers, so older code can read newer logs.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    # the meeting's clock and position (kring.data.core.timeline)
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    GOTO = "goto"
    ADJUST = "adjust"
    SPEAKER = "speaker"
    CLOSE = "close"
    PLAN = "plan"  # the meeting's planned start and end, fixed before the first step
    BREAK = "break"  # a break until a given time: the step waits, the meeting's end moves
    SUBAGENDA = "subagenda"  # a work format runs inside a step, with steps of its own
    # rounds and the case-bringer (kring.data.core.rounds)
    CASE_BRINGER = "case_bringer"
    CONSENT = "consent"
    PASS = "pass"
    ABSENT = "absent"
    JOIN = "join"
    ORDER = "order"
    # confidentiality (kring.data.core.consent)
    NOTE_CONFIDENTIAL = "note_confidential"  # a note-taker chose a note's confidentiality on purpose
    # the network's part of a meeting
    ROLES = "roles"  # who holds which role this meeting
    ACTION_STATUS = "action_status"  # an earlier action looked back on: done, kept, dropped
    GROUND_RULES_ADOPTED = "ground_rules_adopted"
    # the evaluation
    EVALUATION_FORM = "evaluation_form"  # the form the meeting is evaluated with, fixed when it opens
    # after the meeting
    REPORT_MAILED = "report_mailed"  # the report went by mail: how many addresses, the subject
    # the right to be forgotten (kring.data.forget): no name in it; it tells every open client to
    # read the meeting's names again and drop the forgotten ones from what it shows and writes
    FORGOTTEN = "forgotten"
