"""The agenda's network part: its keys, and what it feeds its panel.

A meeting of a network starts from what the network knows: before the first
step the panel shows the roles, the ground rules, the open actions of earlier
meetings and the learning questions (`i` shows them all). At the look-back
step (step id `terugblik`) it lists the open actions and the moderator marks
each: `g` done, `h` kept, `d` dropped; `tab` moves to another. In the
kick-off's ground-rules step (id `spelregels`) `b` records an agreed rule,
which is stored on the network at once. Outside those steps the keys are hidden.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual.binding import Binding

from kring.data.actions import EVENT, mark_action, marked_in
from kring.data.core.events import EventKind
from kring.data.core.timeline import Timeline
from kring.data.i18n import _
from kring.data.networks import GROUND_RULES_STEP, LOOK_BACK_STEP
from kring.tui.widgets.network_panel import NetworkPanel, NetworkView, recall_lines, roles_line

if TYPE_CHECKING:
    from textual.app import App

    from kring.data.planning import NextDate
    from kring.screens.agenda_core import AgendaScreen

LOOK_BACK_ACTIONS = ("action_done", "action_kept", "action_dropped", "next_action", "previous_action")


def settled(app: App, write: Any) -> Any:
    """An outbox write that cannot be fixed by trying again (bad input) is reported, not retried:
    retrying it would hold up every write after it."""
    from kring.data.errors import InputError

    def run() -> None:
        try:
            write()
        except InputError as exc:
            try:
                app.call_from_thread(app.notify, str(exc), severity="error", timeout=6)
            except RuntimeError:  # the app has ended: nothing left to tell
                pass

    return run


class NetworkPart:
    BINDINGS = [
        Binding("i", "network_overview", _("Network: roles, rules, actions, questions"), id="network.overview",
                show=False),
        Binding("g", "action_done", _("Action done"), id="network.done"),
        Binding("h", "action_kept", _("Action kept"), id="network.kept"),
        Binding("d", "action_dropped", _("Action dropped"), id="network.dropped"),
        Binding("tab", "next_action", _("Next action"), id="network.next", show=False),
        Binding("shift+tab", "previous_action", _("Previous action"), id="network.previous", show=False),
        Binding("b", "ground_rule", _("Record an agreed ground rule"), id="network.rule"),
    ]

    def __init__(self, screen: AgendaScreen) -> None:
        self.screen = screen
        self.live = screen.live
        self.panel = NetworkPanel()
        self.mode: str | None = None
        self.cursor = 0
        self._rules_pending: tuple[str, ...] = ()
        self._closed_seen = False

    def mounted(self, confirm_roles: bool) -> None:
        if confirm_roles and self._network() is not None:
            self.screen.app.call_after_refresh(self._confirm_roles)

    # --- what the network part knows ----------------------------------------------------------

    def _network(self) -> dict[str, Any] | None:
        return self.live.snapshot.extra.get("network")

    def _step_id(self, tl: Timeline) -> str | None:
        if tl.closed or tl.current is None:
            return None
        step = self.live.format.step(tl.current)
        return step.id if step is not None else None

    def _mode(self, tl: Timeline) -> str | None:
        if self._network() is None or tl.closed:
            return None
        if tl.current is None:
            return "start"
        step = self._step_id(tl)
        if step == LOOK_BACK_STEP:
            return "look-back"
        if step == GROUND_RULES_STEP:
            return "rules"
        current = self.live.format.step(tl.current)
        if current is not None and current.brings_back:
            return "brought-back"
        return None

    def _actions(self) -> list[tuple[dict[str, Any], str]]:
        """The earlier meetings' open actions with their status as marked now (this process's too)."""
        net = self._network() or {}
        marked = marked_in(self.live.events)
        return [(a, marked.get(a["uid"], a["status"])) for a in net.get("actions", [])]

    def _rules(self) -> list[str]:
        net = self._network() or {}
        rules = list(net.get("ground_rules") or [])
        known = {r.casefold() for r in rules}
        return rules + [r for r in self._rules_pending if r.casefold() not in known]

    def _first_unmarked(self) -> int:
        marked = marked_in(self.live.events)
        for i, (a, _s) in enumerate(self._actions()):
            if a["uid"] not in marked:
                return i
        return 0

    # --- showing --------------------------------------------------------------------------------

    def show(self, tl: Timeline) -> None:
        """Feed the panel what the network part shows now; the keys follow the mode."""
        mode = self._mode(tl)
        if mode != self.mode:
            self.mode = mode
            if mode == "look-back":
                self.cursor = self._first_unmarked()
            self.screen.refresh_bindings()
        self.panel.tall = self.screen.size.height >= 30
        self.panel.view = self._view(mode, tl)
        if tl.closed and not self._closed_seen:
            self._closed_seen = True
            self._adopt_rules()

    def _view(self, mode: str | None, tl: Timeline) -> NetworkView | None:
        net = self._network()
        if net is None or mode is None:
            return None
        actions = tuple(self._actions())
        marked = marked_in(self.live.events)
        return NetworkView(mode, roles=roles_line(net), rules=tuple(self._rules()), actions=actions,
                           todo=sum(1 for a, _s in actions if a["uid"] not in marked),
                           questions=len(net.get("questions") or []), cursor=self.cursor,
                           brought_back=self._brought_back(mode, tl))

    def _brought_back(self, mode: str, tl: Timeline) -> tuple[str, ...]:
        """At the step that brings them back: what earlier meetings said they would do differently."""
        step = self.live.format.step(tl.current)
        if mode not in ("look-back", "brought-back") or step is None or not step.brings_back:
            return ()
        return recall_lines((self._network() or {}).get("brought_back"))

    # --- keys -----------------------------------------------------------------------------------

    def allows(self, action: str) -> bool | None:
        """Whether a key of this part works now; None for a key that is not this part's."""
        if action in LOOK_BACK_ACTIONS:
            return self.mode == "look-back"
        if action == "ground_rule":
            return self.mode == "rules"
        if action == "network_overview":
            return self._network() is not None
        return None

    def mark(self, status: str) -> None:
        actions = self._actions()
        if not actions:
            self.screen.notify(_("No open actions from earlier meetings."))
            return
        cursor = min(self.cursor, len(actions) - 1)
        action, _current = actions[cursor]
        live, app = self.live, self.screen.app
        # the note's own history first, then the meeting's log (what every client shows at once)
        live.outbox.put(settled(app, partial(mark_action, live.store, action["uid"], status, live.author,
                                             live.clock.now())))
        live.record(EVENT, {"note": action["uid"], "status": status, "text": action["text"]})
        marked = marked_in(live.events)
        following = [i for i in range(cursor + 1, len(actions)) if actions[i][0]["uid"] not in marked]
        self.cursor = following[0] if following else cursor
        self.screen.refresh_state()

    def move(self, step: int) -> None:
        actions = self._actions()
        if actions:
            self.cursor = (min(self.cursor, len(actions) - 1) + step) % len(actions)
            self.screen.refresh_state()

    def ground_rule(self) -> None:
        from kring.screens.dialogs.prompt import TextPromptScreen

        def done(text: str | None) -> None:
            if text:
                self._record_rule(text)

        self.screen.app.push_screen(TextPromptScreen(_("Ground rule agreed by the group:")), done)

    def _record_rule(self, text: str) -> None:
        import uuid

        from kring.data.ground_rules import record_ground_rule
        from kring.data.networks import clean_text

        rule = clean_text(text)
        if not rule:
            return
        live = self.live
        self._rules_pending = self._rules_pending + (rule,)
        live.outbox.put(settled(self.screen.app, partial(record_ground_rule, live.store, live.meeting_id, rule,
                                                         live.author, live.clock.now(), uuid.uuid4().hex)))
        self.screen.notify(_("Ground rule stored on the network."), timeout=3)
        self.screen.refresh_state()

    def _adopt_rules(self) -> None:
        """At the close, decision notes of the ground-rules step become the network's rules."""
        from kring.data.ground_rules import adopt_ground_rules

        live = self.live
        net = self._network()
        if net is None or live.format.index_of(GROUND_RULES_STEP) is None:
            return
        live.outbox.put(settled(self.screen.app, partial(adopt_ground_rules, live.store, net["id"], live.clock)))

    # --- the next date, when the moderator closes the meeting ---------------------------------------

    def propose_next_date(self) -> None:
        if self._network() is not None:
            zone = self.screen.app.config.settings.timezone  # the user's zone, from the one settings object
            self.screen.run_worker(partial(self._read_next_date, zone), thread=True, exclusive=True,
                                   group="next-date")

    def _read_next_date(self, zone: str) -> None:
        """In a thread worker: the next planned date, else one at the series' usual interval."""
        from kring.data.planning import propose_next

        live, app = self.live, self.screen.app
        try:
            proposal = propose_next(live.store, (self._network() or {})["id"], live.clock.now(), zone=zone)
        except Exception:  # noqa: BLE001 - a busy store: the date can still be planned from the command line
            return
        app.call_from_thread(self._show_next_date, proposal)

    def _show_next_date(self, proposal: NextDate) -> None:
        from kring.screens.dialogs.next_date import NextDateScreen

        live, app = self.live, self.screen.app
        net = self._network() or {}

        def done(plan: bool | None) -> None:
            if not plan:
                return
            from kring.data.planning import plan_meeting

            at = proposal.at.format("YYYY-MM-DD HH:mm")
            live.outbox.put(settled(app, partial(plan_meeting, live.store, net["id"], at, live.clock,
                                                 place=proposal.place, zone=proposal.at.timezone_name)))
            self.screen.notify(_("Planned: {when}").format(when=at), timeout=4)

        app.push_screen(NextDateScreen(proposal), done)

    def overview(self) -> None:
        from kring.screens.dialogs.network_overview import NetworkOverviewScreen

        net = self._network()
        if net is None:
            return
        overview = dict(net, ground_rules=self._rules(),
                        actions=[dict(a, status=s) for a, s in self._actions()])
        self.screen.app.push_screen(NetworkOverviewScreen(overview))

    # --- roles before the first step ---------------------------------------------------------------

    def _confirm_roles(self) -> None:
        from kring.screens.dialogs.roles import RolesScreen

        net = self._network()
        if net is None:
            return

        def done(roles: dict[str, str] | None) -> None:
            if roles is None or roles == (self._network() or {}).get("roles"):
                return
            self._store_roles(roles)

        self.screen.app.push_screen(RolesScreen(net.get("role_names") or list(net.get("roles", {})),
                                                dict(net.get("roles") or {}), self.live.meeting.names), done)

    def _store_roles(self, roles: dict[str, str]) -> None:
        from kring.data.meetings import ParticipantInfo
        from kring.data.roles import roles_by_person, set_roles

        live = self.live
        live.outbox.put(settled(self.screen.app, partial(set_roles, live.store, live.meeting_id, dict(roles))))
        live.record(EventKind.ROLES, {"roles": dict(roles)})
        per_person = roles_by_person(roles)
        live.meeting.participants = [ParticipantInfo(p.name, p.seat, per_person.get(p.name, []))
                                     for p in live.meeting.participants]
        net = self._network()
        if net is not None:
            net["roles"] = dict(roles)  # shown at once; the next snapshot brings the same from the store
        self.screen.refresh_state()
