"""The moderator's live agenda: what the room sees on the projector.

The core (steps, timers, the keys that move the meeting on) is in
`kring.screens.agenda_core`; each capability adds a *Part with its panel
beside the countdown, its keys and its refresh. The core is the last base so
that Textual, which merges BINDINGS from the most basic class up, lists the
core's keys first in the footer; no Part overrides a core method.
"""

from __future__ import annotations

from kring.screens import agenda_core
from kring.screens.agenda_core import CAPABILITIES, WARN_SECONDS  # noqa: F401 - shared names
from kring.screens.agenda_evaluation import EvaluationPart
from kring.screens.agenda_network import NetworkPart
from kring.screens.agenda_notes import NotesPart
from kring.screens.agenda_rounds import RoundsPart


class AgendaScreen(RoundsPart, NotesPart, EvaluationPart, NetworkPart, agenda_core.AgendaScreen):
    """The core and every capability."""

    CSS_PATH = "agenda.tcss"
