"""The network editor (`kring network edit [NAME]`): the list of networks, and
one network with its fields, how it evaluates (the form, anonymously or not),
ground rules, roles and members, and what its life proposes next.

It reads and writes the store in thread workers and gets plain data back. Bad
input is refused with a message and the screen stays as typed, so nothing is
lost. Its dialogs (a name, a member) are in `kring.screens.dialogs`.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Footer, Input, Label, Select, Static, TextArea

from kring.data.core.clock import Clock
from kring.data.errors import InputError
from kring.data.forget import forget_question
from kring.data.i18n import _
from kring.data.labels import network_form_label as form_label
from kring.data.labels import network_kind_label as kind_label
from kring.data.labels import role_code, role_label
from kring.data.store import Store
from kring.screens.dialogs.member import MemberScreen
from kring.screens.dialogs.prompt import TextPromptScreen
from kring.tui.widgets.plaincheckbox import PlainCheckbox

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

    def __init__(self, store: Store, clock: Clock, network_id: int) -> None:
        super().__init__()
        self.store, self.clock = store, clock
        self.network_id = network_id
        self.info: Any = None
        self.saved: dict[str, Any] = {}
        self.forms: list[str] = []
        self.following = ""  # what the network's life proposes next, said

    def compose(self) -> ComposeResult:
        yield Static("", id="net-title")
        yield Static("", id="net-next")
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
                yield Input(id="net-roles", placeholder=", ".join(role_label(r) for r in ("moderator", "notulist", "tijdbewaker")), compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Evaluation"), classes="field")
                yield Select([], id="net-evaluation-form", allow_blank=True, prompt="—", compact=True)
            with Horizontal(classes="row"):
                yield Label("", classes="field")
                yield PlainCheckbox(_("Evaluate anonymously (from the next meeting on)"), id="net-anonymous",
                               compact=True)
            yield Label(_("Ground rules, one per line"))
            yield TextArea("", id="net-rules", soft_wrap=True, compact=True)
            yield Static("", id="members-title")
            yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#members", DataTable)
        table.add_columns(_("Name"), _("E-mail"), _("Expertise"), _("Learning questions"))
        self.load()

    def load(self) -> None:
        self._load(self.app.config.settings.timezone)  # the settings read here, in the screen's own thread

    @work(thread=True, exclusive=True, group="network-load")
    def _load(self, zone: str) -> None:
        from kring.data.network_meetings import next_meeting_label
        from kring.data.networks import get_network

        try:
            info = get_network(self.store, self.network_id)
            following = next_meeting_label(self.store, self.network_id, self.clock.now(), zone=zone)
        except InputError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        forms = self.forms if self.info is not None else _form_names(info.evaluation_form)
        self.app.call_from_thread(self._show, info, following, forms)

    def _show(self, info: Any, following: str = "", forms: list[str] | None = None) -> None:
        first = self.info is None
        self.info, self.following = info, following
        self.query_one("#net-title", Static).update(
            f"[b]{escape(info.name)}[/b]" + (f" — {escape(info.theme)}" if info.theme else ""))
        self.query_one("#net-next", Static).update(
            escape(_("Next meeting: {format}").format(format=following)) if following else "")
        if first:
            self.forms = forms or [info.evaluation_form]
            choice = self.query_one("#net-evaluation-form", Select)
            choice.set_options([(name, name) for name in self.forms])
            choice.value = info.evaluation_form
            self.query_one("#net-anonymous", Checkbox).value = info.anonymous_evaluation
            for key in FIELDS:
                self.query_one(f"#net-{key}", Input).value = getattr(info, key)
            self.query_one("#net-form-select", Select).value = info.form or Select.NULL
            self.query_one("#net-kind", Select).value = info.kind or Select.NULL
            # named as `network show` names them; written back as the roles' codes
            self.query_one("#net-roles", Input).value = ", ".join(role_label(r) for r in info.roles)
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
        values["roles"] = [role_code(r) for r in self.query_one("#net-roles", Input).value.replace(";", ",").split(",")]
        values["ground_rules"] = self.query_one("#net-rules", TextArea).text.splitlines()
        form = self.query_one("#net-evaluation-form", Select).value
        values["evaluation_form"] = None if form is Select.NULL or form is Select.BLANK else form
        values["anonymous"] = self.query_one("#net-anonymous", Checkbox).value
        return values

    def action_save(self) -> None:
        if self.info is not None:
            self._save(self._values())

    @work(thread=True, exclusive=True, group="network-save")
    def _save(self, values: dict[str, Any]) -> None:
        from kring.data.evaluation import choose_for_network
        from kring.data.networks import get_network, update_network

        fields = {k: v for k, v in values.items() if k not in ("evaluation_form", "anonymous")}
        try:
            if values["evaluation_form"] is not None:
                from kring.workformats.forms import find_form

                find_form(values["evaluation_form"])  # a form that no longer loads is said before anything changes
            info = update_network(self.store, self.network_id, **fields)
            choose_for_network(self.store, self.network_id, form=values["evaluation_form"],
                               anonymous=values["anonymous"])
            info = get_network(self.store, self.network_id)
        except InputError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
            return
        self.app.call_from_thread(self._saved, info, values)

    def _saved(self, info: Any, values: dict[str, Any]) -> None:
        self.saved = values
        self._show(info, self.following)
        self.notify(_("Saved."), timeout=2)

    def _selected(self) -> Any:
        if self.info is None or not self.info.members:
            return None
        row = self.query_one("#members", DataTable).cursor_row
        return self.info.members[min(max(row, 0), len(self.info.members) - 1)]

    def action_add_member(self) -> None:
        self.app.push_screen(MemberScreen(self.store, self.clock, self.network_id), self._member_done)

    def action_edit_member(self) -> None:
        m = self._selected()
        if m is not None:
            self.app.push_screen(MemberScreen(self.store, self.clock, self.network_id, {
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

        report = forget_member(self.store, self.network_id, name)
        self.app.call_from_thread(self._ask_forget, name, report)

    def _ask_forget(self, name: str, report: Any) -> None:
        from kring.screens.dialogs.confirm import ConfirmScreen

        question = escape(forget_question(report))

        def done(yes: bool | None) -> None:
            if yes:
                self._forget(name)

        self.app.push_screen(ConfirmScreen(question), done)

    @work(thread=True, exclusive=True, group="forget")
    def _forget(self, name: str) -> None:
        from kring.data.forget import forget_member

        done = forget_member(self.store, self.network_id, name, apply=True)
        self.app.call_from_thread(self.notify, _("{name} is forgotten.").format(name=name), timeout=4)
        if not done.erased:
            self.app.call_from_thread(self.notify, _(
                "another kring process has the store open: old copies stay in the store's -wal file until "
                "every kring process on it has closed"), severity="warning")
        self.load()

    def action_back(self) -> None:
        if self.info is not None and self._values() != self.saved:
            from kring.screens.dialogs.confirm import ConfirmScreen

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


def _form_names(current: str) -> list[str]:
    """The evaluation forms to choose from (the user's and the built-in ones), with the network's own even
    when its file has gone."""
    from kring.workformats.forms import form_catalog

    return sorted({*form_catalog().forms, current})


class NetworkListScreen(Screen[None]):
    """All networks; Enter opens one, Ctrl+N makes a new one."""

    CSS_PATH = "network.tcss"
    BINDINGS = [
        Binding("ctrl+n", "new_network", _("New network"), id="networks.new"),
        Binding("escape", "app.quit", _("Quit"), id="networks.quit", show=False),
    ]

    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__()
        self.store, self.clock = store, clock

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

        rows = list_networks(self.store)
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
        self.app.push_screen(NetworkEditScreen(self.store, self.clock, int(event.row_key.value)))

    def action_new_network(self) -> None:
        def done(name: str | None) -> None:
            if name:
                self._create(name)

        self.app.push_screen(TextPromptScreen(_("Name of the new network:")), done)

    @work(thread=True, exclusive=True, group="network-create")
    def _create(self, name: str) -> None:
        from kring.data.networks import create_network

        try:
            network_id = create_network(self.store, name, self.clock)
        except InputError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
            return
        self.app.call_from_thread(self.app.push_screen, NetworkEditScreen(self.store, self.clock, network_id))
