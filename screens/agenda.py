"""The moderator's live agenda: what the room sees on the projector.

The core (steps, timers, the keys that move the meeting on) is
`kring.screens.agenda_core`, which paints first at start-up. This screen adds
one part per capability: rounds, notes, evaluation, network. Each part owns a
panel beside the countdown (a widget in kring.tui.widgets with reactive state)
and the code of its keys; on every refresh the screen derives the timeline once
and each part feeds its panel from it. The keys are the screen's own, listed
below in the footer's order (the core's first), and each calls its part.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

from kring.data.core.timeline import Timeline
from kring.data.labels import countdown
from kring.screens import agenda_core
from kring.screens.agenda_evaluation import EvaluationPart
from kring.screens.agenda_export import ExportPart
from kring.screens.agenda_network import NetworkPart
from kring.screens.agenda_notes import NotesPart
from kring.screens.agenda_rounds import RoundsPart
from kring.screens.agenda_subagenda import SubagendaPart
from kring.screens.agenda_weblink import WebLinkPart
from kring.tui.widgets.round_name import name_limit

if TYPE_CHECKING:
    from kring.tui.session import LiveMeeting

SPEAKER_WARN_SECONDS = 15  # as the round's panel warns


class AgendaScreen(agenda_core.AgendaScreen):
    """The core and every capability."""

    CSS_PATH = "agenda.tcss"
    # After the core's keys, as the footer and the help list them.
    BINDINGS = [*NetworkPart.BINDINGS, *EvaluationPart.BINDINGS, *NotesPart.BINDINGS, *RoundsPart.BINDINGS,
                *SubagendaPart.BINDINGS, *WebLinkPart.BINDINGS, *ExportPart.BINDINGS]

    def __init__(self, live: LiveMeeting, *, confirm_roles: bool = False, check_first: bool = False) -> None:
        """`confirm_roles`: a network's meeting asks to confirm the proposed roles first.
        `check_first`: a meeting not yet begun, nor checked, opens with the check before the first step."""
        super().__init__(live)
        self.rounds = RoundsPart(self)
        self.notes = NotesPart(self)
        self.evaluation = EvaluationPart(self)
        self.network = NetworkPart(self)
        self.weblink = WebLinkPart(self)
        self.export = ExportPart(self)
        self.subagenda = SubagendaPart(self)
        self._confirm_roles = confirm_roles
        self._check_first = check_first

    def side_panels(self) -> list[Widget]:
        return [self.subagenda.panel, self.rounds.panel, self.notes.panel, self.evaluation.panel, self.network.panel,
                self.weblink.panel]

    def on_mount(self) -> None:
        self._rescale_name()
        self.network.mounted(self._confirm_roles)
        tl = self.live.timeline()
        if self._check_first and tl.current is None and tl.fixed_end is None and not tl.closed:
            # after the roles are asked for, so it is on top: who is here comes first
            self.app.call_after_refresh(self._open_check)
        else:
            self._keys_may_go()

    async def _open_check(self) -> None:
        # Once the check is mounted, its list of people has the focus (its AUTO_FOCUS):
        # the keys typed before go to that list, not to whatever was there before.
        await self.open_check()  # the store is open here
        self._keys_may_go()

    def _keys_may_go(self) -> None:
        """Keys typed before the check showed were held (KringApp.check_is_up): they go now."""
        release = getattr(self.app, "check_is_up", None)
        if release is not None:
            release()

    def on_resize(self) -> None:  # after the core's, which rescales the countdown
        self._rescale_name()

    def _rescale_name(self) -> None:
        from kring.tui.widgets.countdown import Countdown
        from kring.tui.widgets.round_name import BigName

        names = self.query("#round-name").results(BigName)
        name = next(names, None)
        if name is None:  # the rounds panel makes its lines a moment after the screen mounts
            self.call_after_refresh(self._rescale_name)
            return
        name.rescale(name_limit(self.query_one("#countdown", Countdown).scale))

    def _show_state(self) -> Timeline:
        tl = super()._show_state()
        self.rounds.show(tl)
        self.notes.show(tl)
        self.evaluation.show(tl)
        self.network.show(tl)
        self.weblink.show(tl)
        self.subagenda.show(tl)
        return tl

    def after_close(self) -> None:
        self.network.propose_next_date()

    def big_number(self, tl: Timeline) -> tuple[str, str] | None:
        """While someone speaks in a round, their own time is the big number (the step's is in its row)."""
        if tl.closed or tl.current is None or not tl.running:
            return None
        view = self.rounds.view(tl)
        if view.kind != "round" or view.speaker is None or view.speaker_left is None:
            return None
        left = view.speaker_left
        return countdown(left), ("over" if left <= 0 else "warn" if left <= SPEAKER_WARN_SECONDS else "running")

    def choose_case_for_check(self) -> None:
        self.rounds.choose_case()

    def applies(self, action: str) -> bool:
        """As the core's, and a round's keys only where the format has rounds, a loop where a step loops."""
        if not super().applies(action):
            return False
        fmt = self.live.format
        tl = self.live.timeline()
        if action in ("next_speaker", "pass_turn", "absent", "round_order"):
            return self.rounds.view(tl).kind == "round"
        if action == "choose_case":
            return any(step.mode == "case" or step.choose_case for step in fmt.steps)
        if action == "share_consent":
            return tl.case_bringer is not None
        if action == "loop_back":
            return fmt.loop_target(tl.current) is not None
        if action == "choose_workformat":
            return self.subagenda.can_choose(tl)
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = self.network.allows(action)
        return super().check_action(action, parameters) if allowed is None else allowed

    # --- the parts' keys ---------------------------------------------------------------

    def action_next_speaker(self) -> None:
        self.rounds.next_speaker()

    def action_pass_turn(self) -> None:
        self.rounds.pass_turn()

    def action_absent(self) -> None:
        self.rounds.absent()

    def action_latecomer(self) -> None:
        self.rounds.latecomer()

    def action_choose_case(self) -> None:
        self.rounds.choose_case()

    def action_round_order(self) -> None:
        self.rounds.round_order()

    def action_loop_back(self) -> None:
        self.rounds.loop_back()

    def action_speaking_time(self) -> None:
        self.rounds.speaking_time()

    def action_share_consent(self) -> None:
        self.rounds.share_consent()

    def step_entered(self, index: int) -> None:
        self.subagenda.entered(index)

    def action_choose_workformat(self) -> None:
        self.subagenda.choose()

    def action_quick_note(self) -> None:
        self.notes.quick_note()

    def action_evaluate(self) -> None:
        self.evaluation.evaluate()

    def action_evaluation_results(self) -> None:
        self.evaluation.results()

    def action_network_overview(self) -> None:
        self.network.overview()

    def action_action_done(self) -> None:
        self.network.mark("done")

    def action_action_kept(self) -> None:
        self.network.mark("kept")

    def action_action_dropped(self) -> None:
        self.network.mark("dropped")

    def action_next_action(self) -> None:
        self.network.move(1)

    def action_previous_action(self) -> None:
        self.network.move(-1)

    def action_ground_rule(self) -> None:
        self.network.ground_rule()

    def action_web_link(self) -> None:
        self.weblink.show_link()

    def action_export_report(self) -> None:
        self.export.export()
