"""The life of a learning network (seeds 001 and 004): intake, kick-off, the
meetings, the final evaluation and adoption (borging).

What comes next follows from the meeting held last: the kick-off after the
intake (or first of all, the intake being optional), borging after the final
evaluation, and otherwise an ordinary meeting. A planned meeting's own work
format, or one given on the command line, still wins; this is the proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kring.data.i18n import _

INTAKE, KICKOFF, MEETING, FINAL, ADOPTION = "intake", "kickoff", "standaard", "eindevaluatie", "borging"
LIFE_FORMATS = (INTAKE, KICKOFF, FINAL, ADOPTION)


@dataclass(frozen=True)
class NextPhase:
    werkvorm: str
    after: str  # the format held last ("" for a network that has not met)

    @property
    def is_phase(self) -> bool:
        """A step in the network's life (kick-off, borging), not just the next ordinary meeting."""
        return self.werkvorm in (KICKOFF, ADOPTION)

    @property
    def is_due(self) -> bool:
        """The moment for it has come (the intake or the final evaluation was held), so a plan that skips
        it is worth a word; a fresh network may well start with its intake instead of its kick-off."""
        return self.is_phase and self.after in (INTAKE, FINAL)

    def why(self) -> str:
        """Why this one, in a few words for the screen; empty for an ordinary meeting."""
        if self.werkvorm == KICKOFF:
            return _("after the intake") if self.after == INTAKE else _("the network's first meeting")
        if self.werkvorm == ADOPTION:
            return _("after the final evaluation: what will each keep doing, and who checks on whom")
        return ""


def next_phase(held: Sequence[str]) -> NextPhase:
    """The meeting the network's life proposes, from the work formats of its meetings so far, oldest first."""
    last = held[-1] if held else ""
    if not held or last == INTAKE:
        return NextPhase(KICKOFF, last)
    if last == FINAL:
        return NextPhase(ADOPTION, last)
    return NextPhase(MEETING, last)
