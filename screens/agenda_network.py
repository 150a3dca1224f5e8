"""The agenda screen's network part: its keys, its panel and how it refreshes.

AgendaScreen inherits this class, so its BINDINGS and actions join the agenda's
(Textual merges BINDINGS along the class hierarchy).

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
from typing import Any

from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from kring.data.actions import CARRIED, EVENT, mark_action, marked_in
from kring.data.core.events import EventKind
from kring.data.core.timeline import Timeline
from kring.data.i18n import _
from kring.data.networks import GROUND_RULES_STEP, LOOK_BACK_STEP
from kring.tui.widgets.network_panel import NetworkPanel, action_line, roles_line

LOOK_BACK_ACTIONS = ("action_done", "action_kept", "action_dropped", "next_action", "previous_action")
MAX_ACTION_LINES = 6


def _settled(app: Any, write: Any) -> Any:
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


class NetworkPart(Screen):
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

    _net_text: str | None = None
    _net_mode: str | None = None
    _net_cursor: int = 0
    _net_rules_pending: tuple[str, ...] = ()
    _net_closed_seen: bool = False

    def network_panel(self) -> Widget:
        """The widget this part shows beside the countdown (hidden while empty)."""
        panel = NetworkPanel("", id="network-panel", classes="side-panel")
        panel.display = False
        return panel

    def on_mount(self) -> None:
        if getattr(self.app, "confirm_roles", False) and self._network() is not None:
            self.app.confirm_roles = False
            self.app.call_after_refresh(self._confirm_roles)

    # --- what the network part knows ----------------------------------------------------------

    def _network(self) -> dict[str, Any] | None:
        return self.app.snapshot.extra.get("network")

    def _step_id(self, tl: Timeline) -> str | None:
        if tl.closed or tl.current is None:
            return None
        step = self.app.meeting.format.step(tl.current)
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
        return None

    def _actions(self) -> list[tuple[dict[str, Any], str]]:
        """The earlier meetings' open actions with their status as marked now (this process's too)."""
        net = self._network() or {}
        marked = marked_in(self.app.events)
        return [(a, marked.get(a["uid"], a["status"])) for a in net.get("actions", [])]

    def _rules(self) -> list[str]:
        net = self._network() or {}
        rules = list(net.get("ground_rules") or [])
        known = {r.casefold() for r in rules}
        return rules + [r for r in self._net_rules_pending if r.casefold() not in known]

    # --- showing --------------------------------------------------------------------------------

    def refresh_network(self, tl: Timeline) -> None:
        """Called on every refresh with the derived timeline; update only what changed."""
        mode = self._mode(tl)
        if mode != self._net_mode:
            self._net_mode = mode
            if mode == "look-back":
                self._net_cursor = self._first_unmarked()
            self.refresh_bindings()
        text = self._panel_text(mode)
        if text != self._net_text:
            self._net_text = text
            panel = self.query_one("#network-panel", NetworkPanel)
            panel.update(text)
            panel.display = bool(text)
            panel.set_class(mode == "look-back", "-look-back")
        if tl.closed and not self._net_closed_seen:
            self._net_closed_seen = True
            self._adopt_rules()

    def _panel_text(self, mode: str | None) -> str:
        from rich.markup import escape

        net = self._network()
        if net is None or mode is None:
            return ""
        if mode == "look-back":
            return self._look_back_text()
        if mode == "rules":
            rules = self._rules()
            lines = [f"[b]{_('Ground rules')}[/b]  " + _("b: record one")]
            lines += [f"{i}. {escape(r)}" for i, r in enumerate(rules, 1)] or [_("None agreed yet.")]
            return "\n".join(lines[:MAX_ACTION_LINES + 2])
        # before the first step: what this meeting starts from
        lines = []
        roles = roles_line(net)
        if roles:
            lines.append(roles)
        rules = self._rules()
        if rules:
            lines.append(f"[b]{_('Ground rules')}[/b]: " + " · ".join(escape(r) for r in rules))
        actions = [(a, s) for a, s in self._actions() if s in CARRIED]
        if actions:
            shown = " · ".join(
                (_("(confidential action)") if a.get("confidential") else escape(a["text"]))
                + (f" ({escape(a['owner'])})" if a.get("owner") else "")
                for a, _s in actions[:3]
            )
            more = f" …+{len(actions) - 3}" if len(actions) > 3 else ""
            lines.append(f"[b]{_('Open actions')} ({len(actions)})[/b]: {shown}{more}")
        questions = net.get("questions") or []
        lines.append(f"[b]{_('Learning questions')}[/b]: {len(questions)}  ·  " + _("i: everything"))
        return "\n".join(lines)

    def _look_back_text(self) -> str:
        actions = self._actions()
        if not actions:
            return f"[b]{_('Open actions')}[/b]\n" + _("No open actions from earlier meetings.")
        marked = marked_in(self.app.events)
        todo = sum(1 for a, _s in actions if a["uid"] not in marked)
        head = f"[b]{_('Open actions')}[/b]  " + _("{todo} of {total} still to discuss").format(
            todo=todo, total=len(actions))
        cursor = min(self._net_cursor, len(actions) - 1)
        limit = MAX_ACTION_LINES if self.size.height >= 30 else 3  # the step list must stay in view
        start = max(0, min(cursor - limit // 2, len(actions) - limit))
        window = actions[start:start + limit]
        lines = [head] + [action_line(a, s, start + i == cursor) for i, (a, s) in enumerate(window)]
        if len(actions) > limit:
            lines[0] += f"  ({start + 1}–{start + len(window)}, tab)"
        if todo == 0:
            lines.append(_("All discussed. Press n for the next step."))
        return "\n".join(lines)

    def _first_unmarked(self) -> int:
        marked = marked_in(self.app.events)
        for i, (a, _s) in enumerate(self._actions()):
            if a["uid"] not in marked:
                return i
        return 0

    # --- keys -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in LOOK_BACK_ACTIONS:
            return self._net_mode == "look-back"
        if action == "ground_rule":
            return self._net_mode == "rules"
        if action == "network_overview":
            return self._network() is not None
        return super().check_action(action, parameters)

    def _mark(self, status: str) -> None:
        actions = self._actions()
        if not actions:
            self.notify(_("No open actions from earlier meetings."))
            return
        cursor = min(self._net_cursor, len(actions) - 1)
        action, _current = actions[cursor]
        app = self.app
        # the note's own history first, then the meeting's log (what every client shows at once)
        app.outbox.put(_settled(app, partial(mark_action, app.store, action["uid"], status, app.author,
                                             app.clock.now())))
        app.record(EVENT, {"note": action["uid"], "status": status, "text": action["text"]})
        marked = marked_in(app.events)
        following = [i for i in range(cursor + 1, len(actions)) if actions[i][0]["uid"] not in marked]
        self._net_cursor = following[0] if following else cursor
        app.refresh_screen()

    def action_action_done(self) -> None:
        self._mark("done")

    def action_action_kept(self) -> None:
        self._mark("kept")

    def action_action_dropped(self) -> None:
        self._mark("dropped")

    def _move(self, step: int) -> None:
        actions = self._actions()
        if actions:
            self._net_cursor = (min(self._net_cursor, len(actions) - 1) + step) % len(actions)
            self.app.refresh_screen()

    def action_next_action(self) -> None:
        self._move(1)

    def action_previous_action(self) -> None:
        self._move(-1)

    def action_ground_rule(self) -> None:
        from kring.screens.dialogs.prompt import TextPromptScreen

        def done(text: str | None) -> None:
            if text:
                self._record_rule(text)

        self.app.push_screen(TextPromptScreen(_("Ground rule agreed by the group:")), done)

    def _record_rule(self, text: str) -> None:
        import uuid

        from kring.data.ground_rules import record_ground_rule
        from kring.data.networks import clean_text

        rule = clean_text(text)
        if not rule:
            return
        app = self.app
        self._net_rules_pending = self._net_rules_pending + (rule,)
        app.outbox.put(_settled(app, partial(record_ground_rule, app.store, app.meeting_id, rule, app.author,
                                             app.clock.now(), uuid.uuid4().hex)))
        self.notify(_("Ground rule stored on the network."), timeout=3)
        app.refresh_screen()

    def _adopt_rules(self) -> None:
        """At the close, decision notes of the ground-rules step become the network's rules."""
        from kring.data.ground_rules import adopt_ground_rules

        app = self.app
        net = self._network()
        if net is None or app.meeting.format.index_of(GROUND_RULES_STEP) is None:
            return
        app.outbox.put(_settled(app, partial(adopt_ground_rules, app.store, net["id"], app.clock)))

    def action_network_overview(self) -> None:
        from kring.screens.dialogs.network_overview import NetworkOverviewScreen

        net = self._network()
        if net is None:
            return
        overview = dict(net, ground_rules=self._rules(),
                        actions=[dict(a, status=s) for a, s in self._actions()])
        self.app.push_screen(NetworkOverviewScreen(overview))

    # --- roles before the first step ---------------------------------------------------------------

    def _confirm_roles(self) -> None:
        from kring.screens.dialogs.roles import RolesScreen

        net = self._network()
        if net is None:
            return
        app = self.app

        def done(roles: dict[str, str] | None) -> None:
            if roles is None or roles == (self._network() or {}).get("roles"):
                return
            self._store_roles(roles)

        app.push_screen(RolesScreen(net.get("role_names") or list(net.get("roles", {})),
                                    dict(net.get("roles") or {}), app.meeting.names), done)

    def _store_roles(self, roles: dict[str, str]) -> None:
        from kring.data.meetings import ParticipantInfo
        from kring.data.roles import roles_by_person, set_roles

        app = self.app
        app.outbox.put(_settled(app, partial(set_roles, app.store, app.meeting_id, dict(roles))))
        app.record(EventKind.ROLES, {"roles": dict(roles)})
        per_person = roles_by_person(roles)
        app.meeting.participants = [ParticipantInfo(p.name, p.seat, per_person.get(p.name, []))
                                    for p in app.meeting.participants]
        net = self._network()
        if net is not None:
            net["roles"] = dict(roles)  # shown at once; the next snapshot brings the same from the store
        self._net_text = None
        app.refresh_screen()
