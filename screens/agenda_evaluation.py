"""The agenda's evaluation part: its keys, and what it feeds its panel.

`e` passes the moderator's keyboard round: each participant picks their name,
fills in the form on a fresh screen and hands on. `u` shows the results so far.
The panel says how many have answered, out of how many; it follows answers
given in other terminals through the store follower.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from kring.data.core.timeline import Timeline
from kring.data.errors import InputError, first_line
from kring.data.i18n import _
from kring.tui.widgets.evaluation_panel import EvaluationPanel

if TYPE_CHECKING:
    from kring.data.evaluation import EvaluationContext
    from kring.screens.agenda_core import AgendaScreen


class EvaluationPart:
    BINDINGS = [
        Binding("e", "evaluate", _("Evaluate"), id="evaluation.pass_round", show=False),
        Binding("u", "evaluation_results", _("Evaluation results"), id="evaluation.results", show=False),
    ]

    def __init__(self, screen: AgendaScreen) -> None:
        self.screen = screen
        self.live = screen.live
        self.panel = EvaluationPanel()
        self._opening = False

    def show(self, tl: Timeline) -> None:
        figures = self.live.snapshot.extra.get("evaluation") or {}
        panel = self.panel
        panel.answered = int(figures.get("answered") or 0)
        panel.expected = int(figures.get("expected") or 0)
        panel.last_step = tl.is_last(tl.current)
        panel.closed = tl.closed

    # --- keys ----------------------------------------------------------------------------

    def evaluate(self) -> None:
        if self._opening:
            return
        self._opening = True
        self.screen.run_worker(self._open, thread=True, exclusive=True, group="evaluation-open")

    def _open(self) -> None:
        """In a thread worker: read what the form needs."""
        from kring.data.evaluation import open_evaluation

        app, live = self.screen.app, self.live
        try:
            ctx = open_evaluation(live.store, live.meeting_id)
        except InputError as exc:
            app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the store is busy: say so, try again with e
            app.call_from_thread(self._failed, first_line(exc))
            return
        app.call_from_thread(self._opened, ctx)

    def _failed(self, message: str) -> None:
        self._opening = False
        self.screen.notify(_("The evaluation cannot start: {reason}").format(reason=message), severity="error",
                           timeout=8)

    def _opened(self, ctx: EvaluationContext) -> None:
        from kring.screens.evaluate import PickNameScreen

        self._opening = False
        if not ctx.participants:
            self.screen.notify(_("This meeting has no participants to evaluate."), severity="warning")
            return
        self.screen.app.push_screen(PickNameScreen(self.live, ctx, passing=True))

    def results(self) -> None:
        from kring.screens.evaluation_results import ResultsScreen

        self.screen.app.push_screen(ResultsScreen(self.live))
