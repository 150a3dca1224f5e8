"""`kring evaluate`'s first paint: the form's top and its first question, known cheaply.

The form is the meeting's own copy (its `evaluation_form` event, in the log the
quick read has) or the network's choice, as the form cache last saw that file
(kring.workformats.quick); who fills it in is the name on the command line, as the meeting has it. Which
questions a person gets depends on who brought a case, which only the store says:
the first paint shows the first question everyone gets. Anything the cache cannot
answer for sure gives None, and the command takes the usual path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kring.data.core.events import EventKind
from kring.data.core.given import resolve_participant
from kring.data.core.textgate import clean_line, shown
from kring.data.errors import InputError
from kring.tui.firstpaint import FirstPaint, _open_fine

DEFAULT_FORM = "standaard"  # as kring.workformats.forms names it (a test keeps the two equal)


@dataclass(frozen=True)
class FirstForm:
    title: str
    anonymous: bool
    participant: str  # as stored
    question: str  # the first question everyone gets, in the interface's language
    first: bool  # it is the form's first question (numbered 1 for everyone)


def read_form(first: FirstPaint, given: str) -> FirstForm | None:
    try:
        return _read_form(first, given)
    except Exception:  # noqa: BLE001 - any doubt: the usual path says what is wrong
        return None


def _from_store(first: FirstPaint, name: str) -> tuple[tuple[str, bool], bool] | None:
    """(the network's form and anonymity, whether `name` has answered already), or None."""
    con = _open_fine(Path(first.url.removeprefix("sqlite:///")))
    if con is None:
        return None
    try:
        con.execute("BEGIN")
        row = None
        if first.meeting.network_id is not None:
            row = con.execute("SELECT evaluation_form, anonymous_evaluation FROM network WHERE id = ?",
                              (first.meeting.network_id,)).fetchone()
        answered = con.execute("SELECT count(*) FROM evaluation_receipt WHERE meeting_id = ? AND participant = ?",
                               (first.meeting.id, name)).fetchone()[0]
        con.execute("COMMIT")
    finally:
        con.close()
    return ((DEFAULT_FORM, False) if row is None else (row[0] or DEFAULT_FORM, bool(row[1]))), bool(answered)


def _answers_kept(first: FirstPaint, who: str) -> bool:
    """Whether a killed form left this person's answers in their journal (as the full
    form keeps them, kring.screens.evaluate). The first paint would ask question 1 again
    while the form resumes further on: keys typed meanwhile would land a question late."""
    from kring.data.draftjournal import journal_path

    path = journal_path(first.url, Path(first.url.removeprefix("sqlite:///")), first.meeting.id, f"{who}#evaluate")
    try:
        return path is not None and path.stat().st_size > 0
    except OSError:  # none: nothing was kept
        return False


def _read_form(first: FirstPaint, given: str) -> FirstForm | None:
    from kring.data.core.language import in_language
    from kring.workformats.quick import FORMS, cached

    # Only a plain case: no one marked absent (who may evaluate is then the store's to
    # say); the name resolved as the usual path resolves it, among those seated and those
    # who came late. Anything else the usual path judges, refusing before any screen.
    events = first.snapshot.events
    if any(ev.kind == EventKind.ABSENT for ev in events):
        return None
    names = list(first.meeting.names)
    seen = {n.casefold() for n in names}
    for ev in events:
        name = ev.data.get("name") if ev.kind == EventKind.JOIN else None
        if isinstance(name, str) and name.strip() and name.strip().casefold() not in seen:
            seen.add(name.strip().casefold())
            names.append(name.strip())
    try:
        who = resolve_participant(names, clean_line(given))
    except InputError:
        return None
    if _answers_kept(first, who):
        return None  # the full form brings them back and resumes where they were, not at question 1
    found = _from_store(first, who)
    if found is None or found[1]:
        return None
    data: Any = None
    for ev in first.snapshot.events:  # the meeting's own copy decides, once it has one
        if ev.kind == EventKind.EVALUATION_FORM and isinstance(ev.data.get("form"), dict):
            data, anonymous = ev.data["form"], bool(ev.data.get("anonymous"))
            break
    if data is None:
        (name, anonymous), _answered = found
        data = cached(name, FORMS)
    if not isinstance(data, dict):
        return None
    texts = in_language(data)
    questions = [q for q in texts.get("questions") or [] if isinstance(q, dict)]
    everyone = [q for q in questions if not q.get("case_bringer_only")]
    if not everyone or not isinstance(texts.get("title"), str):
        return None
    return FirstForm(title=shown(texts["title"]), anonymous=anonymous, participant=shown(who),
                     question=shown(everyone[0].get("text")), first=everyone[0] is questions[0])
