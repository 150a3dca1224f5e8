"""One member of a network added or changed (the network editor's ctrl+n and Enter)."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from kring.data.core.clock import Clock
from kring.data.errors import InputError
from kring.data.i18n import _
from kring.data.store import Store
from kring.screens.dialogs.frame import DIALOG_CSS


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

    def __init__(self, store: Store, clock: Clock, network_id: int, member: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.store, self.clock = store, clock
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
                warnings = networks.add_member(self.store, self.network_id, values["name"], self.clock,
                                               email=values["email"], expertise=values["expertise"],
                                               questions=values["questions"])
            else:
                networks.update_member(self.store, self.network_id, self.member["name"], name=values["name"],
                                       email=values["email"], expertise=values["expertise"],
                                       questions=values["questions"], clock=self.clock)
                warnings = []
        except InputError as exc:
            app.call_from_thread(self.notify, str(exc), severity="error", timeout=6)
            return
        for warning in warnings:
            app.call_from_thread(self.notify, warning, severity="warning", timeout=8)
        app.call_from_thread(self.dismiss, True)
