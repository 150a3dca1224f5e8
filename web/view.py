"""What a participant's page shows, as plain data read from the store.

The live part (title, step, countdown, whose turn) is one small dict that is
rendered into the page and sent as it changes to every open page. Nothing
else of the meeting is read here: no notes (confidential or not), no case
title, no member list; people are named by their first name only.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kring.data.core.clock import Clock
from kring.data.meetings import get_meeting, load_events
from kring.data.store import Store
from kring.data.labels import countdown
from kring.data.core.timeline import derive
from kring.web.text import shown


def first_names(names: list[str]) -> dict[str, str]:
    """Full name -> how the pages call them: the first name; where two share it, with the
    next word's initial; where even that is shared (rare), the whole name, so each can
    find themselves."""
    words = {name: shown(name).split() or ["?"] for name in names}

    def initial(w: list[str]) -> str:
        return f"{w[0]} {w[1][0]}." if len(w) > 1 else w[0]

    firsts = Counter(w[0].casefold() for w in words.values())
    initials = Counter(initial(w).casefold() for w in words.values() if firsts[w[0].casefold()] > 1)
    out: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for name, w in words.items():
        short = w[0]
        if firsts[w[0].casefold()] > 1:
            short = initial(w) if initials[initial(w).casefold()] == 1 else " ".join(w)
        seen[short] += 1
        out[name] = short if seen[short] == 1 else f"{short} ({seen[short]})"  # names alike but for case
    return out


def live_view(store: Store, meeting_id: int, clock: Clock) -> dict[str, Any]:
    """The live page's state; `remaining` is in seconds at `at` (epoch seconds), negative once over."""
    info = get_meeting(store, meeting_id)
    now = clock.now()
    tl = derive(info.plan, load_events(store, meeting_id), now)
    names = first_names(info.names + [n for n in tl.joined if n not in info.names])
    step = tl.live
    view: dict[str, Any] = {
        "title": shown(info.title),
        "state": "closed" if tl.closed or info.status != "live" else ("waiting" if step is None else "live"),
        "at": now.timestamp(),
        "steps": len(tl.top),  # the meeting's own steps: a sub-agenda's are inside one of them
        "step": None,
        "evaluation": False,
    }
    if step is not None and view["state"] == "live":
        view["step"] = {
            # inside a sub-agenda: the parent's number, and its title before the sub-step's
            "number": (step.index if step.parent is None else step.parent) + 1,
            "title": shown(step.title if step.parent is None else f"{tl.steps[step.parent].title} › {step.title}"),
            "remaining": round(step.remaining, 1),
            "countdown": countdown(step.remaining),
            "running": bool(tl.running),
            "speaker": (names.get(tl.speaker) or first_names([tl.speaker])[tl.speaker]) if tl.speaker else None,
        }
        # the agenda's closing step is the evaluation (as the moderator's panel takes it)
        view["evaluation"] = tl.is_last(step.index)
    return view


def as_of(view: dict[str, Any], moment: float) -> dict[str, Any]:
    """The view read at its `at`, told at `moment` (epoch seconds): a running countdown has moved on."""
    step = view.get("step")
    if not step or not step["running"] or moment <= view["at"]:
        return view
    remaining = round(step["remaining"] - (moment - view["at"]), 1)
    return {**view, "at": moment, "step": {**step, "remaining": remaining, "countdown": countdown(remaining)}}
