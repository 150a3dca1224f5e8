"""Consent: whether a note of a confidential step may leave the room.

Intervision steps are confidential. A case-bringer may agree (the moderator's
`v`) that the notes of their case are shared; that covers the whole case,
notes taken before the agreement as well as after, by every note-taker. It is
derived from the event log, never stored on the notes one by one, so a note
typed later is covered too and withdrawing the consent (`v` again) makes every
one of them confidential again.

The words, as the data model has them:
- a **case** is the time one case-bringer is chosen (from their `case_bringer`
  event until another one is chosen); a case-bringer chosen again later has
  the same case;
- a **note of the case** is a note, not deleted, begun during the case in a
  confidential step of the meeting's work format (`FormatSteps.is_confidential`);
- **consent** is the case-bringer's latest `consent {name, share}` event given
  while they were the case-bringer; its moment is kept for the report;
- a note-taker's explicit choice (ctrl+g) is a `note_confidential {uid,
  confidential}` event besides the note's stored flag. A note the note-taker
  made confidential on purpose stays confidential whatever the consent; a note
  whose confidentiality they lifted is shared anyway (they were asked first).

Pure: plain events and notes in, answers out. No Textual, no store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from kring.data.core.events import EventKind
from kring.data.core.steps import FormatSteps

CONSENT = EventKind.CONSENT
NOTE_CHOICE = EventKind.NOTE_CONFIDENTIAL


@dataclass(frozen=True)
class Consent:
    name: str
    share: bool
    at: datetime


@dataclass
class ConsentRule:
    """What the event log says about cases, consent and explicit choices, for one meeting."""

    fmt: FormatSteps
    periods: list[tuple[str | None, datetime | None]] = field(default_factory=list)  # (case-bringer, since)
    consents: dict[str, Consent] = field(default_factory=dict)  # case-bringer -> latest decision
    choices: dict[str, bool] = field(default_factory=dict)  # note uid -> the note-taker's explicit choice

    @classmethod
    def of(cls, fmt: FormatSteps | dict[str, Any], events: Iterable[Any]) -> ConsentRule:
        rule = cls(fmt if isinstance(fmt, FormatSteps) else FormatSteps.of(fmt))
        current: str | None = None
        for ev in events:
            kind, data, at = _get(ev, "kind"), _get(ev, "data") or {}, _moment(_get(ev, "at"))
            if kind == EventKind.CASE_BRINGER:
                name = data.get("name") or None
                if name != current:
                    current = name
                    rule.periods.append((name, at))
            elif kind == CONSENT:
                name = data.get("name")
                # only the case-bringer of the moment can agree for their case
                if name and current is not None and name == current:
                    rule.consents[name] = Consent(name, bool(data.get("share")), at)
            elif kind == NOTE_CHOICE and data.get("uid"):
                rule.choices[str(data["uid"])] = bool(data.get("confidential"))
        return rule

    def case_bringer_at(self, at: Any) -> str | None:
        """Who brought the case at that moment (None: nobody chosen yet, or unchosen)."""
        moment = _moment(at)
        who: str | None = None
        for name, since in self.periods:
            if since is not None and moment is not None and since > moment:
                break
            who = name
        return who

    def case_of(self, step_index: int | None, at: Any) -> str | None:
        """The case-bringer whose case a note begun then, in that step, belongs to (None: no case)."""
        if not self.fmt.is_confidential(step_index):
            return None
        return self.case_bringer_at(at)

    def agreed(self, name: str | None) -> Consent | None:
        c = self.consents.get(name) if name else None
        return c if c is not None and c.share else None

    def kept_confidential(self, uid: str | None) -> bool:
        """The note-taker made this note confidential on purpose: no consent shares it."""
        return bool(uid) and self.choices.get(str(uid)) is True

    def confidential(self, *, stored: bool, step_index: int | None, at: Any, uid: str | None = None) -> bool:
        """Whether a note is confidential now: its stored flag, unless its case-bringer agreed.

        The more private choice wins: a note stored confidential that its note-taker
        chose so stays confidential; one stored as not confidential is shared.
        """
        if not stored:
            return False
        if self.kept_confidential(uid):
            return True
        return self.agreed(self.case_of(step_index, at)) is None

    def shared_by_consent(self, *, stored: bool, step_index: int | None, at: Any, uid: str | None = None) -> bool:
        """Stored confidential, and shared only because the case-bringer agreed."""
        return stored and not self.confidential(stored=stored, step_index=step_index, at=at, uid=uid)

    def case_notes(self, notes: Iterable[Any], name: str) -> list[Any]:
        """The notes of `name`'s case that consent decides about: stored confidential,
        not deleted, not kept confidential by their note-taker."""
        out = []
        for n in notes:
            if _get(n, "deleted") or not _get(n, "confidential") or self.kept_confidential(_get(n, "uid")):
                continue
            if self.case_of(_get(n, "step_index"), _get(n, "at")) == name:
                out.append(n)
        return out

    def report(self) -> list[dict[str, Any]]:
        """Each case-bringer's latest decision, for the report: who, shared or not, when."""
        return [{"name": c.name, "share": c.share, "at": c.at.isoformat() if c.at else None}
                for c in sorted(self.consents.values(), key=lambda c: (c.at is None, c.at.timestamp() if c.at else 0))]


def _get(obj: Any, attr: str) -> Any:
    return obj.get(attr) if isinstance(obj, dict) else getattr(obj, attr, None)


def _moment(value: Any) -> datetime | None:
    """An aware datetime from a stored moment (a datetime, pendulum's, or ISO text)."""
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
