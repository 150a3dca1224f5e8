"""Everything a network's meeting starts from, on one page (the agenda's `i`)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kring.data.i18n import _
from kring.screens.dialogs.frame import DIALOG_CSS
from kring.tui.widgets.network_panel import action_line, recall_lines, roles_line


class NetworkOverviewScreen(ModalScreen[None]):
    """Everything the meeting starts from: roles, ground rules, open actions, learning questions."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NetworkOverviewScreen")
    BINDINGS = [Binding("escape,i,q", "dismiss", _("Close"), id="overview.close")]

    def __init__(self, net: dict[str, Any]) -> None:
        super().__init__()
        self.net = net

    def compose(self) -> ComposeResult:
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
        recalled = recall_lines(net.get("brought_back"))
        if recalled:
            lines += ["", *recalled]
        with VerticalScroll(id="overview", classes="dialog"):
            yield Static("\n".join(lines))
            yield Static(_("Esc closes this overview."), classes="hint")
