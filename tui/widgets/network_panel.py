"""The network's panel beside the agenda's countdown, and the lines it and the
network overview share: roles, and an open action as the projector may show it."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from kring.data.i18n import _
from kring.data.labels import due_label

STATUS_MARK = {"open": "○", "done": "✓", "kept": "↻", "dropped": "✗"}


def status_label(status: str) -> str:
    from kring.data.labels import action_status_label

    return action_status_label(status)


def role_label(role: str) -> str:
    from kring.data.labels import role_label as label

    return label(role)


def roles_line(net: dict[str, Any]) -> str:
    roles = net.get("roles") or {}
    order = list(net.get("role_names") or []) + [r for r in roles if r not in (net.get("role_names") or [])]
    parts = [f"{role_label(r)} [b]{roles[r]}[/b]" for r in order if r in roles]
    return _("Roles") + ": " + " · ".join(parts) if parts else ""


def action_line(a: dict[str, Any], status: str, cursor: bool = False) -> str:
    """One action for the projector: a confidential one shows its owner, not its text."""
    from rich.markup import escape

    text = _("(confidential action)") if a.get("confidential") else escape(a["text"])
    extra = ", ".join(x for x in (escape(a.get("owner") or ""), due_label(a.get("due"))) if x)
    marker = "▸" if cursor else " "
    line = f"{marker} {STATUS_MARK.get(status, '?')} {text}"
    if extra:
        line += f" — {extra}"
    if status != a["status"] or status != "open":
        line += f"  [i]{status_label(status)}[/i]"
    return line


class NetworkPanel(Static):
    DEFAULT_CSS = """
    NetworkPanel { height: auto; max-height: 9; padding: 0 1; }
    NetworkPanel.-look-back { border-left: thick $secondary; }
    """
