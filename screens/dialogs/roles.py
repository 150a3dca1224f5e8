"""The roles proposed for a network's meeting, confirmed or changed before the first step."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kring.data.i18n import _
from kring.screens.dialogs.frame import DIALOG_CSS
from kring.tui.widgets.network_panel import role_label


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
