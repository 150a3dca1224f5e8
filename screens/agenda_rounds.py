"""The agenda's rounds part: its keys, and what it feeds its panel.

Every key records an event (see `kring.data.core.timeline`); what the panel shows is
derived from the log by `kring.data.core.rounds.round_view`, so a restarted process
shows the same speaker with the same time left.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding

from kring.data.core.consent import ConsentRule
from kring.data.core.loops import LoopChoice
from kring.data.core.events import EventKind
from kring.data.core.rounds import (
    RoundView,
    check_case_bringer,
    check_latecomer,
    everyone,
    round_view,
    shuffled,
    speaking_figures,
)
from kring.data.core.timeline import Timeline
from kring.data.errors import InputError
from kring.data.i18n import _, ngettext
from kring.data.notes import list_notes
from kring.tui.widgets.round_panel import RoundsPanel

if TYPE_CHECKING:
    from kring.screens.agenda_core import AgendaScreen


class RoundsPart:
    BINDINGS = [
        Binding("s", "next_speaker", _("Speaker"), id="rounds.next_speaker", tooltip=_("Next speaker")),
        Binding("w", "pass_turn", _("Pass: ask again at the end"), id="rounds.pass", show=False),
        Binding("a", "absent", _("Absent: skip them"), id="rounds.absent", show=False),
        Binding("l", "latecomer", _("Latecomer or back again"), id="rounds.latecomer", show=False),
        Binding("c", "choose_case", _("Choose the case-bringer"), id="rounds.case_bringer", show=False),
        Binding("o", "round_order", _("Order: seating or shuffled"), id="rounds.order", show=False),
        Binding("r", "loop_back", _("Back to the earlier step (loop)"), id="rounds.loop", show=False),
        Binding("t", "speaking_time", _("Speaking time per person"), id="rounds.speaking", show=False),
        Binding("v", "share_consent", _("Case-bringer agrees to share notes"), id="rounds.consent", show=False),
    ]

    def __init__(self, screen: AgendaScreen) -> None:
        self.screen = screen
        self.live = screen.live
        self.panel = RoundsPanel()
        self._ready = False

    def show(self, tl: Timeline) -> None:
        if not self._ready:
            self._ready = True
            self._follow_network_order()
        self.panel.small = self.screen.has_class("-small")
        self.panel.view = self._round(tl)

    def view(self, tl: Timeline) -> RoundView:
        return self._round(tl)

    # --- helpers ---------------------------------------------------------------------

    def _round(self, tl: Timeline | None = None) -> RoundView:
        return round_view(self.live.format, self.live.meeting.names, tl or self.live.timeline())

    def _people(self, tl: Timeline) -> list[str]:
        return everyone(self.live.meeting.names, tl)

    def _whose_turn(self, view: RoundView) -> str | None:
        """The person a pass or absence is about: whoever has the floor in the round, else who is next."""
        holding = next((s.name for s in view.seats if s.state == "now"), None)
        return holding or view.next

    def _usable(self, tl: Timeline) -> bool:
        if tl.closed:
            self.screen.notify(_("The meeting is closed."))
            return False
        if tl.current is None:
            self.screen.notify(_("Press space to start the first step."))
            return False
        return True

    def _round_only(self, tl: Timeline) -> RoundView | None:
        if not self._usable(tl):
            return None
        view = self._round(tl)
        if view.kind == "case":
            self.screen.notify(_("In this step the case-bringer has the floor."))
            return None
        if view.kind != "round":
            self.screen.notify(_("This step has no round: there is no speaking order."))
            return None
        if view.speakers == 0:
            self.screen.notify(_("Nobody to go round: everyone is absent. Press l to add a latecomer."), severity="warning")
            return None
        return view

    def _move_floor(self, held: bool) -> None:
        """After a pass or an absence: if that person held the floor, it goes to the next one."""
        if not held:
            return
        view = self._round()
        self.live.record(EventKind.SPEAKER, {"name": view.next})
        if view.next is None:
            self.screen.notify(_("Round complete: everyone has had a turn. Press n for the next step."))

    # --- keys ----------------------------------------------------------------------------

    def next_speaker(self) -> None:
        view = self._round_only(self.live.timeline())
        if view is None:
            return
        if view.next is not None:
            self.live.record(EventKind.SPEAKER, {"name": view.next})
        elif view.speaker is not None:
            self.live.record(EventKind.SPEAKER, {"name": None})
            self.screen.notify(_("Round complete: everyone has had a turn. Press n for the next step."))
        else:
            self.screen.notify(_("Round complete: everyone has had a turn. Press n for the next step."))

    def pass_turn(self) -> None:
        view = self._round_only(self.live.timeline())
        if view is None:
            return
        who = self._whose_turn(view)
        if who is None:
            self.screen.notify(_("Nobody is waiting for a turn."))
            return
        held = who == view.speaker
        self.live.record(EventKind.PASS, {"name": who})
        now = self.live.timeline()
        after = self._round(now)
        if now.current is not None and who in now.steps[now.current].declined:
            self.screen.notify(_("{name} passes again and is not asked a third time.").format(name=who))
        else:
            self.screen.notify(_("{name} passes and is asked again at the end of the round.").format(name=who))
        if held and after.next is None and now.current is not None and who in now.steps[now.current].passed:
            # nobody else is waiting: the end of the round is now
            self.live.record(EventKind.SPEAKER, {"name": None})
            self.live.record(EventKind.SPEAKER, {"name": who})
            return
        self._move_floor(held)

    def absent(self) -> None:
        view = self._round_only(self.live.timeline())
        if view is None:
            return
        who = self._whose_turn(view)
        if who is None:
            self.screen.notify(_("Nobody is waiting for a turn."))
            return
        self.live.record(EventKind.ABSENT, {"name": who, "absent": True})
        self.screen.notify(_("{name} is marked absent and skipped. Press l when they come in.").format(name=who))
        self._move_floor(who == view.speaker)

    def latecomer(self) -> None:
        from kring.screens.dialogs.latecomer import LatecomerScreen

        tl = self.live.timeline()
        if tl.closed:
            self.screen.notify(_("The meeting is closed."))
            return

        def check(name: str) -> str | None:
            try:
                check_latecomer(self.live.meeting.names, self.live.timeline(), name)
            except InputError as exc:
                return str(exc)
            return None

        def done(name: str | None) -> None:
            if not name:
                return
            try:
                person, back = check_latecomer(self.live.meeting.names, self.live.timeline(), name)
            except InputError as exc:
                self.screen.notify(str(exc), severity="error")
                return
            if back:
                self.live.record(EventKind.ABSENT, {"name": person, "absent": False})
                self.screen.notify(_("{name} is back and takes their turn in the round.").format(name=person))
                return
            from kring.data.meetings import add_participant

            self.live.record(EventKind.JOIN, {"name": person})
            self.live.outbox.put(partial(add_participant, self.live.store, self.live.meeting_id, person))
            self.screen.notify(_("{name} joins and comes at the end of the round.").format(name=person))

        self.screen.app.push_screen(LatecomerScreen(check, absent=list(tl.absent)), done)

    def choose_case(self) -> None:
        from kring.screens.dialogs.casechoice import CaseChoiceScreen

        tl = self.live.timeline()
        if tl.closed:
            self.screen.notify(_("The meeting is closed."))
            return
        present = [p for p in self._people(tl) if p not in tl.absent]
        if not present:
            self.screen.notify(_("Nobody is present to bring a case. Press l to add a latecomer."), severity="warning")
            return

        def done(choice: tuple[str, str] | None) -> None:
            if not choice:
                return
            try:
                person = check_case_bringer(self.live.meeting.names, self.live.timeline(), choice[0])
            except InputError as exc:
                self.screen.notify(str(exc), severity="error")
                return
            now = self.live.timeline()
            if person == now.case_bringer and choice[1] == now.case_title:
                return
            self.live.record(EventKind.CASE_BRINGER, {"name": person, "case": choice[1]})
            self.screen.notify(_("{name} brings the case.").format(name=person))

        self.screen.app.push_screen(CaseChoiceScreen(present, tl.case_bringer, tl.case_title), done)

    def round_order(self) -> None:
        tl = self.live.timeline()
        if tl.closed:
            return
        if tl.order_mode == "shuffle":
            mode, data = "seating", {"mode": "seating"}
            self.screen.notify(_("Speaking order: by seating."))
        else:
            mode, data = "shuffle", {"mode": "shuffle", "names": shuffled(self._people(tl))}
            self.screen.notify(_("Speaking order: shuffled."))
        self.live.record(EventKind.ORDER, data)
        network = self.live.meeting.network_id
        if network is not None:
            from kring.data.network_meetings import remember_round_order

            self.live.outbox.put(partial(remember_round_order, self.live.store, network, mode))

    def loop_back(self) -> None:
        tl = self.live.timeline()
        if not self._usable(tl):
            return
        fmt = self.live.format
        target = fmt.loop_target(tl.current)
        if target is None:
            self.screen.notify(_("This step has no way back to an earlier step."))
            return
        from kring.data.core.loops import loop_choices, time_left
        from kring.screens.dialogs.loop import LoopScreen

        until = tl.current
        titles = [s.title for s in fmt.steps[target:until + 1]]

        def done(choice: LoopChoice | None) -> None:
            now = self.live.timeline()
            if choice is None or now.closed or now.current != until:
                return
            self.live.record(EventKind.GOTO, {"step": target, "loop": True, "from": until,
                                              "minutes": list(choice.minutes)})
            self.screen.notify(ngettext("Back to '{title}': these steps get {minutes} minute together.",
                                        "Back to '{title}': these steps get {minutes} minutes together.",
                                        choice.total).format(title=fmt.steps[target].title, minutes=choice.total))

        self.screen.app.push_screen(
            LoopScreen(fmt.steps[target].title, titles, int(time_left(tl) // 60), loop_choices(tl, target, until)),
            done)

    def speaking_time(self) -> None:
        from kring.screens.dialogs.speaking import SpeakingScreen

        tl = self.live.timeline()
        self.screen.app.push_screen(SpeakingScreen(speaking_figures(self.live.meeting.names, tl)))

    def share_consent(self) -> None:
        """`v`: the case-bringer agrees that every note of their case may be shared, or
        withdraws that. The question says how many notes it changes (read in a thread)."""
        live = self.live
        tl = live.timeline()
        if tl.closed:
            return
        name = tl.case_bringer
        if name is None:
            self.screen.notify(_("Choose the case-bringer first (c)."))
            return
        share = not tl.consent
        store, meeting_id = live.store, live.meeting_id
        rule = ConsentRule.of(live.format, live.events)

        def count() -> None:
            n = len(rule.case_notes(list_notes(store, meeting_id), name))
            self.screen.app.call_from_thread(self._ask_consent, name, share, n)

        self.screen.run_worker(count, thread=True, group="consent", exclusive=True, name="notes of the case")

    def _ask_consent(self, name: str, share: bool, count: int) -> None:
        from textual.markup import escape

        from kring.screens.dialogs.confirm import ConfirmScreen

        if share:
            question = ngettext(
                "Has {name} agreed that notes of this case may be shared outside the group? This shares "
                "{count} confidential note of the case, taken before or after now, in every report.",
                "Has {name} agreed that notes of this case may be shared outside the group? This shares "
                "{count} confidential notes of the case, taken before and after now, in every report.", count)
        else:
            question = ngettext(
                "Keep the notes of {name}'s case confidential again? {count} note is left out of every report "
                "again.",
                "Keep the notes of {name}'s case confidential again? {count} notes are left out of every report "
                "again.", count)
        question = question.format(name=escape(name), count=count)

        def done(yes: bool | None) -> None:
            if yes and self.live.timeline().case_bringer == name:
                self.live.record(EventKind.CONSENT, {"name": name, "share": share})
                said = (ngettext("{name} agreed: {count} note of the case is shared.",
                                 "{name} agreed: {count} notes of the case are shared.", count) if share
                        else ngettext("Consent withdrawn: {count} note of the case is confidential again.",
                                      "Consent withdrawn: {count} notes of the case are confidential again.", count))
                self.screen.notify(said.format(name=escape(name), count=count), timeout=4)

        self.screen.app.push_screen(ConfirmScreen(question), done)

    # --- the network remembers seating or shuffle ---------------------------------------

    def _follow_network_order(self) -> None:
        meeting = self.live.meeting
        if meeting.network_id is None or self.live.role != "moderator":
            return
        if any(e.kind == EventKind.ORDER for e in self.live.events):
            return
        store, network = self.live.store, meeting.network_id

        def load() -> None:
            from kring.data.network_meetings import network_round_order

            mode = network_round_order(store, network)
            self.screen.app.call_from_thread(self._apply_network_order, mode)

        self.screen.run_worker(load, thread=True, group="rounds", name="network round order")

    def _apply_network_order(self, mode: str) -> None:
        if mode != "shuffle" or any(e.kind == EventKind.ORDER for e in self.live.events):
            return
        tl = self.live.timeline()
        self.live.record(EventKind.ORDER, {"mode": "shuffle", "names": shuffled(self._people(tl))})
