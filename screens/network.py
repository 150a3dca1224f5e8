"""Screens for a learning network: create and edit it and its members, confirm
the roles before a meeting, and the overview the agenda shows on `i`.

The editor (`kring network edit [NAME]`) reads and writes the store in thread
workers and gets plain data back. Bad input is refused with a message and the
screen stays as typed, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static, TextArea

from kring.data.clock import Clock, SystemClock
from kring.data.errors import InputError
from kring.data.forget import forget_question
from kring.data.i18n import _
from kring.data.networks import form_label, kind_label
from kring.data.store import Store


def role_label(role: str) -> str:
    from kring.screens.agenda_network import role_label as label

    return label(role)


# --- small dialogs ------------------------------------------------------------------------


DIALOG_CSS = """
    {name} {{ align: center middle; }}
    {name} .dialog {{ width: 90%; max-width: 76; height: auto; max-height: 90%;
                      border: heavy $primary; background: $surface; padding: 0 1; }}
    {name} .hint {{ color: $text-muted; }}
"""


class TextPromptScreen(ModalScreen[str | None]):
    """One line of text: Enter keeps it, Esc cancels."""

    DEFAULT_CSS = DIALOG_CSS.format(name="TextPromptScreen")
    BINDINGS = [Binding("escape", "cancel", _("Cancel"), id="prompt.cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt", classes="dialog"):
            yield Label(self.question)
            yield Input(self.value, id="prompt-input")
            yield Static(_("Enter keeps it · Esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NetworkOverviewScreen(ModalScreen[None]):
    """Everything the meeting starts from: roles, ground rules, open actions, learning questions."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NetworkOverviewScreen")
    BINDINGS = [Binding("escape,i,q", "dismiss", _("Close"), id="overview.close")]

    def __init__(self, net: dict[str, Any]) -> None:
        super().__init__()
        self.net = net

    def compose(self) -> ComposeResult:
        from kring.screens.agenda_network import action_line, roles_line

        net = self.net
        lines = [f"[b]{escape(net['name'])}[/b]" + (f" — {escape(net['theme'])}" if net.get("theme") else "")]
        roles = roles_line(net)
        if roles:
            lines += ["", roles]
        lines += ["", f"[b]{_('Ground rules')}[/b]"]
        lines += [f"{i}. {escape(r)}" for i, r in enumerate(net.get("ground_rules") or [], 1)] or [
            _("None agreed yet.")]
        lines += ["", f"[b]{_('Open actions')}[/b]"]
        lines += [action_line(a, a["status"]) for a in net.get("actions") or []] or [
            _("No open actions from earlier meetings.")]
        lines += ["", f"[b]{_('Learning questions')}[/b]"]
        last = None
        for member, question in net.get("questions") or []:
            if member != last:
                lines.append(f"[b]{escape(member)}[/b]")
                last = member
            lines.append(f"  • {escape(question)}")
        if not net.get("questions"):
            lines.append(_("No learning questions yet."))
        with VerticalScroll(id="overview", classes="dialog"):
            yield Static("\n".join(lines))
            yield Static(_("Esc closes this overview."), classes="hint")


class RolesScreen(ModalScreen[dict[str, str] | None]):
    """The proposed roles for this meeting: accept with Enter, or change them first."""

    DEFAULT_CSS = DIALOG_CSS.format(name="RolesScreen")
    BINDINGS = [
        Binding("enter", "accept", _("Accept"), id="roles.accept"),
        Binding("up,k", "move(-1)", _("Previous role"), id="roles.up", show=False),
        Binding("down,j", "move(1)", _("Next role"), id="roles.down", show=False),
        Binding("right,l,space", "cycle(1)", _("Someone else"), id="roles.next_person"),
        Binding("left,h", "cycle(-1)", _("Someone else (back)"), id="roles.previous_person", show=False),
        Binding("escape", "keep", _("Keep the proposal"), id="roles.keep", show=False),
    ]

    def __init__(self, roles: list[str], proposal: dict[str, str], people: list[str]) -> None:
        super().__init__()
        self.roles = [r for r in roles] + [r for r in proposal if r not in roles]
        self.proposal = dict(proposal)
        self.chosen = dict(proposal)
        self.people = list(people)
        self.cursor = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="roles", classes="dialog"):
            yield Static(f"[b]{_('Roles for this meeting')}[/b]")
            yield Static(_("Proposed by rotation: who had a role least often, and longest ago."), classes="hint")
            yield Static("", id="roles-table")
            yield Static(_("↑↓ choose a role · → someone else · Enter accept"), classes="hint")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        lines = []
        width = max((len(role_label(r)) for r in self.roles), default=10) + 1
        for i, role in enumerate(self.roles):
            name = self.chosen.get(role) or "—"
            changed = "*" if self.chosen.get(role) != self.proposal.get(role) else " "
            marker = "▸" if i == self.cursor else " "
            text = f"{marker} {role_label(role):<{width}} {escape(name)} {changed}"
            lines.append(f"[reverse]{text}[/reverse]" if i == self.cursor else text)
        self.query_one("#roles-table", Static).update("\n".join(lines))

    def action_move(self, step: int) -> None:
        if self.roles:
            self.cursor = (self.cursor + step) % len(self.roles)
            self._show()

    def action_cycle(self, step: int) -> None:
        if not self.roles or not self.people:
            return
        role = self.roles[self.cursor]
        current = self.chosen.get(role)
        index = self.people.index(current) if current in self.people else -1
        person = self.people[(index + step) % len(self.people)]
        # someone who already has another role swaps it with the one who had this role
        for other, name in list(self.chosen.items()):
            if other != role and name == person and current is not None:
                self.chosen[other] = current
        self.chosen[role] = person
        self._show()

    def action_accept(self) -> None:
        self.dismiss(dict(self.chosen))

    def action_keep(self) -> None:
        self.dismiss(dict(self.proposal))


# --- the network editor -----------------------------------------------------------------------


class MemberScreen(ModalScreen[bool]):
    """Add or change one member: name, e-mail, expertise, learning questions (one per line)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MemberScreen") + """
    MemberScreen TextArea { height: 5; background: $panel; }
    MemberScreen Input { background: $panel; }
    MemberScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), id="member.save"),
        Binding("escape", "cancel", _("Cancel"), id="member.cancel"),
    ]

    def __init__(self, network_id: int, member: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.network_id = network_id
        self.member = member

    def compose(self) -> ComposeResult:
        m = self.member or {}
        with VerticalScroll(id="member", classes="dialog"):
            yield Static(f"[b]{_('Change member') if m else _('New member')}[/b]")
            yield Label(_("Name"))
            yield Input(m.get("name", ""), id="member-name", compact=True)
            yield Label(_("E-mail (optional)"))
            yield Input(m.get("email", ""), id="member-email", placeholder="naam@example.org", compact=True)
            yield Label(_("Expertise they bring"))
            yield Input(m.get("expertise", ""), id="member-expertise", compact=True)
            yield Label(_("Learning questions, one per line"))
            yield TextArea("\n".join(m.get("questions", [])), id="member-questions", soft_wrap=True, compact=True)
            yield Static(_("Ctrl+S saves · Esc cancels"), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#member-name", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_save(self) -> None:
        values = {
            "name": self.query_one("#member-name", Input).value,
            "email": self.query_one("#member-email", Input).value,
            "expertise": self.query_one("#member-expertise", Input).value,
            "questions": self.query_one("#member-questions", TextArea).text.splitlines(),
        }
        self._save(values)

    @work(thread=True, exclusive=True, group="member-save")
    def _save(self, values: dict[str, Any]) -> None:
        from kring.data import networks

        app = self.app
        try:
            if self.member is None:
                warnings = networks.add_member(app.store, self.network_id, values["name"], app.clock,
                                               email=values["email"], expertise=values["expertise"],
                                               questions=values["questions"])
            else:
                networks.update_member(app.store, self.network_id, self.member["name"], name=values["name"],
                                       email=values["email"], expertise=values["expertise"],
                                       questions=values["questions"], clock=app.clock)
                warnings = []
        except InputError as exc:
            app.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
            return
        for warning in warnings:
            app.call_from_thread(self.notify, warning, severity="warning", timeout=8)
        app.call_from_thread(self.dismiss, True)


FIELDS = ("name", "theme", "goal", "rhythm")


class NetworkEditScreen(Screen[None]):
    """One network: its fields, ground rules and roles, and its members."""

    CSS_PATH = "network.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", _("Save"), id="network.save"),
        Binding("ctrl+n", "add_member", _("New member"), id="network.add_member"),
        Binding("delete", "forget_member", _("Remove member"), id="network.forget_member", key_display="Del"),
        Binding("escape", "back", _("Back"), id="network.back"),
    ]

    def __init__(self, network_id: int) -> None:
        super().__init__()
        self.network_id = network_id
        self.info: Any = None
        self.saved: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="net-title")
        with VerticalScroll(id="net-form"):
            with Horizontal(classes="row"):
                yield Label(_("Name"), classes="field")
                yield Input(id="net-name", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Theme"), classes="field")
                yield Input(id="net-theme", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Goal"), classes="field")
                yield Input(id="net-goal", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Form"), classes="field")
                yield Select([(form_label(k), k) for k in ("structure", "process", "activity")],
                             id="net-form-select", prompt="—", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Kind"), classes="field")
                yield Select([(kind_label(k), k) for k in ("task", "practice", "knowledge")],
                             id="net-kind", prompt="—", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Rhythm"), classes="field")
                yield Input(id="net-rhythm", placeholder=_("e.g. every six weeks"), compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Roles"), classes="field")
                yield Input(id="net-roles", placeholder="moderator, notulist, tijdbewaker", compact=True)
            yield Label(_("Ground rules, one per line"))
            yield TextArea("", id="net-rules", soft_wrap=True, compact=True)
            yield Static("", id="members-title")
            yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#members", DataTable)
        table.add_columns(_("Name"), _("E-mail"), _("Expertise"), _("Learning questions"))
        self.load()

    @work(thread=True, exclusive=True, group="network-load")
    def load(self) -> None:
        from kring.data.networks import get_network

        try:
            info = get_network(self.app.store, self.network_id)
        except InputError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._show, info)

    def _show(self, info: Any) -> None:
        first = self.info is None
        self.info = info
        self.query_one("#net-title", Static).update(
            f"[b]{escape(info.name)}[/b]" + (f" — {escape(info.theme)}" if info.theme else ""))
        if first:
            for key in FIELDS:
                self.query_one(f"#net-{key}", Input).value = getattr(info, key)
            self.query_one("#net-form-select", Select).value = info.form or Select.NULL
            self.query_one("#net-kind", Select).value = info.kind or Select.NULL
            self.query_one("#net-roles", Input).value = ", ".join(info.roles)
            self.query_one("#net-rules", TextArea).text = "\n".join(info.ground_rules)
            self.saved = self._values()
        count = len(info.members)
        title = _("Members ({count})").format(count=count) + "  " + _("Ctrl+N new · Enter change · Del remove")
        if count > 12:
            title += "  ⚠ " + _("more than about 12: consider two networks")
        self.query_one("#members-title", Static).update(title)
        table = self.query_one("#members", DataTable)
        row = table.cursor_row
        table.clear()
        for m in info.members:
            table.add_row(m.name, m.email or "—", m.expertise or "—", " · ".join(m.questions) or "—", key=m.name)
        if count:
            table.move_cursor(row=min(row, count - 1))

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: self.query_one(f"#net-{key}", Input).value for key in FIELDS}
        form = self.query_one("#net-form-select", Select).value
        kind = self.query_one("#net-kind", Select).value
        values["form"] = "" if form is Select.NULL or form is Select.BLANK else form
        values["kind"] = "" if kind is Select.NULL or kind is Select.BLANK else kind
        values["roles"] = [r for r in self.query_one("#net-roles", Input).value.replace(";", ",").split(",")]
        values["ground_rules"] = self.query_one("#net-rules", TextArea).text.splitlines()
        return values

    def action_save(self) -> None:
        if self.info is not None:
            self._save(self._values())

    @work(thread=True, exclusive=True, group="network-save")
    def _save(self, values: dict[str, Any]) -> None:
        from kring.data.networks import update_network

        try:
            info = update_network(self.app.store, self.network_id, **values)
        except InputError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
            return
        self.app.call_from_thread(self._saved, info, values)

    def _saved(self, info: Any, values: dict[str, Any]) -> None:
        self.saved = values
        self._show(info)
        self.notify(_("Saved."), timeout=2)

    def _selected(self) -> Any:
        if self.info is None or not self.info.members:
            return None
        row = self.query_one("#members", DataTable).cursor_row
        return self.info.members[min(max(row, 0), len(self.info.members) - 1)]

    def action_add_member(self) -> None:
        self.app.push_screen(MemberScreen(self.network_id), self._member_done)

    def action_edit_member(self) -> None:
        m = self._selected()
        if m is not None:
            self.app.push_screen(MemberScreen(self.network_id, {
                "name": m.name, "email": m.email, "expertise": m.expertise, "questions": m.questions,
            }), self._member_done)

    @on(DataTable.RowSelected, "#members")
    def _row_chosen(self, _event: DataTable.RowSelected) -> None:
        self.action_edit_member()

    def _member_done(self, changed: bool | None) -> None:
        if changed:
            self.load()

    def action_forget_member(self) -> None:
        m = self._selected()
        if m is not None:
            self._count_forget(m.name)

    @work(thread=True, exclusive=True, group="forget")
    def _count_forget(self, name: str) -> None:
        from kring.data.forget import forget_member

        report = forget_member(self.app.store, self.network_id, name)
        self.app.call_from_thread(self._ask_forget, name, report)

    def _ask_forget(self, name: str, report: Any) -> None:
        from kring.screens.confirm import ConfirmScreen

        question = escape(forget_question(report))

        def done(yes: bool | None) -> None:
            if yes:
                self._forget(name)

        self.app.push_screen(ConfirmScreen(question), done)

    @work(thread=True, exclusive=True, group="forget")
    def _forget(self, name: str) -> None:
        from kring.data.forget import forget_member

        forget_member(self.app.store, self.network_id, name, apply=True)
        self.app.call_from_thread(self.notify, _("{name} is forgotten.").format(name=name), timeout=4)
        self.load()

    def action_back(self) -> None:
        if self.info is not None and self._values() != self.saved:
            from kring.screens.confirm import ConfirmScreen

            def done(yes: bool | None) -> None:
                if yes:
                    self._leave()

            self.app.push_screen(ConfirmScreen(_("Leave without saving your changes?")), done)
            return
        self._leave()

    def _leave(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()


class NetworkListScreen(Screen[None]):
    """All networks; Enter opens one, Ctrl+N makes a new one."""

    CSS_PATH = "network.tcss"
    BINDINGS = [
        Binding("ctrl+n", "new_network", _("New network"), id="networks.new"),
        Binding("escape", "app.quit", _("Quit"), id="networks.quit", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(f"[b]{_('Learning networks')}[/b]  " + _("Enter opens · Ctrl+N new"), id="net-title")
        yield DataTable(id="networks", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(_("Network"), _("Theme"), _("Members"), _("Meetings"))
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="networks-load")
    def load(self) -> None:
        from kring.data.networks import list_networks

        rows = list_networks(self.app.store)
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[Any]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            table.add_row(r.name, r.theme or "—", str(r.members), str(r.meetings), key=str(r.id))
        if not rows:
            self.notify(_("No networks yet. Press Ctrl+N to make one."), timeout=5)

    @on(DataTable.RowSelected, "#networks")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(NetworkEditScreen(int(event.row_key.value)))

    def action_new_network(self) -> None:
        def done(name: str | None) -> None:
            if name:
                self._create(name)

        self.app.push_screen(TextPromptScreen(_("Name of the new network:")), done)

    @work(thread=True, exclusive=True, group="network-create")
    def _create(self, name: str) -> None:
        from kring.data.networks import create_network

        try:
            network_id = create_network(self.app.store, name, self.app.clock)
        except InputError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
            return
        self.app.call_from_thread(self.app.push_screen, NetworkEditScreen(network_id))


class NetworkApp(App[None]):
    """`kring network edit [NAME]`: not tied to a meeting."""

    TITLE = "kring"
    DEFAULT_CSS = """
    Screen { background: $background; }
    Footer { background: $panel; }
    """
    BINDINGS = [
        Binding("f1", "help", _("Keys"), id="help"),
        Binding("ctrl+q", "quit", _("Quit"), id="quit"),
        Binding("ctrl+t", "toggle_theme", _("Light/dark"), show=False, id="theme"),
    ]

    def __init__(self, store: Store, network_id: int | None = None, *, clock: Clock | None = None) -> None:
        super().__init__()
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.network_id = network_id

    def on_mount(self) -> None:
        from kring.tui.theme import CONTRAST, LIGHT

        self.register_theme(CONTRAST)
        self.register_theme(LIGHT)
        self.theme = "kring-contrast"
        self.push_screen(NetworkListScreen() if self.network_id is None else NetworkEditScreen(self.network_id))

    def action_help(self) -> None:
        from kring.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = "kring-light" if self.theme == "kring-contrast" else "kring-contrast"
