"""The agenda screen's evaluation part: its keys, its panel and how it refreshes.

AgendaScreen inherits this class, so its BINDINGS and actions join the agenda's
(Textual merges BINDINGS along the class hierarchy).

`e` passes the moderator's keyboard round: each participant picks their name,
fills in the form on a fresh screen and hands on. `u` shows the results so far.
The panel says how many have answered, out of how many; it follows answers
given in other terminals through the store watcher.
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from kring.data.core.timeline import Timeline
from kring.data.errors import InputError, first_line
from kring.data.i18n import _


class EvaluationPart(Screen):
    BINDINGS = [
        Binding("e", "evaluate", _("Evaluate"), id="evaluation.pass_round", show=False),
        Binding("u", "evaluation_results", _("Evaluation results"), id="evaluation.results", show=False),
    ]

    def evaluation_panel(self) -> Widget:
        """The widget this part shows beside the countdown (hidden while empty)."""
        panel = Static("", id="evaluation-panel", classes="side-panel")
        panel.display = False
        return panel

    def refresh_evaluation(self, tl: Timeline) -> None:
        """Called on every refresh with the derived timeline; update only what changed."""
        text = self._evaluation_text(tl)
        panel = self.query_one("#evaluation-panel", Static)
        if getattr(panel, "_kring_text", None) == text:
            return
        panel._kring_text = text  # type: ignore[attr-defined]
        panel.display = bool(text)
        panel.update(text)

    def _evaluation_text(self, tl: Timeline) -> str:
        figures = self.app.snapshot.extra.get("evaluation") or {}
        answered, expected = int(figures.get("answered") or 0), int(figures.get("expected") or 0)
        last_step = tl.current is not None and tl.current == len(tl.steps) - 1
        if not answered and not (last_step or tl.closed):
            return ""
        if (expected and answered >= expected) or tl.closed:
            if expected and answered >= expected:
                return _("Evaluation: everyone has answered ({n}) · u: results").format(n=answered)
            return _("Evaluation: {n} of {total} answered · u: results").format(n=answered, total=expected)
        return _("Evaluation: {n} of {total} answered · e: pass round").format(n=answered, total=expected)

    # --- keys ----------------------------------------------------------------------------

    def action_evaluate(self) -> None:
        if getattr(self, "_evaluation_opening", False):
            return
        self._evaluation_opening = True
        self._open_evaluation()

    @work(thread=True, exclusive=True, group="evaluation-open")
    def _open_evaluation(self) -> None:
        from kring.data.evaluation import open_evaluation

        app = self.app
        try:
            ctx = open_evaluation(app.store, app.meeting_id)
        except InputError as exc:
            app.call_from_thread(self._evaluation_failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the store is busy: say so, try again with e
            app.call_from_thread(self._evaluation_failed, first_line(exc))
            return
        app.call_from_thread(self._evaluation_opened, ctx)

    def _evaluation_failed(self, message: str) -> None:
        self._evaluation_opening = False
        self.notify(_("The evaluation cannot start: {reason}").format(reason=message), severity="error", timeout=8)

    def _evaluation_opened(self, ctx) -> None:  # noqa: ANN001 - an EvaluationContext
        from kring.screens.evaluate import PickNameScreen

        self._evaluation_opening = False
        if not ctx.participants:
            self.notify(_("This meeting has no participants to evaluate."), severity="warning")
            return
        self.app.push_screen(PickNameScreen(ctx, passing=True))

    def action_evaluation_results(self) -> None:
        from kring.screens.evaluation_results import ResultsScreen

        self.app.push_screen(ResultsScreen())
