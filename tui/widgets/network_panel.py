"""The network's panel beside the agenda's countdown, and the lines it and the
network overview share: roles, and an open action as the projector may show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from textual.reactive import reactive
from textual.widgets import Static

from kring.data.actions import CARRIED
from kring.data.i18n import _
from kring.data.labels import due_label

MAX_ACTION_LINES = 6
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
    """Fed by the agenda: what the network's part shows now (`NetworkView`), and
    whether the screen is tall enough for the longer list. Hidden while empty."""

    DEFAULT_CSS = """
    NetworkPanel { height: auto; max-height: 9; padding: 0 1; }
    NetworkPanel.-look-back { border-left: thick $secondary; }
    """

    view: reactive[NetworkView | None] = reactive(None, init=False)
    tall: reactive[bool] = reactive(True, init=False)

    def __init__(self) -> None:
        super().__init__("", id="network-panel", classes="side-panel")
        self.display = False
        self._text = ""

    def watch_view(self) -> None:
        self._show()

    def watch_tall(self) -> None:
        self._show()

    def _show(self) -> None:
        view = self.view
        text = network_text(view, self.tall) if view is not None else ""
        if text != self._text:
            self._text = text
            self.update(text)
            self.display = bool(text)
            self.set_class(view is not None and view.mode == "look-back", "-look-back")


@dataclass(frozen=True)
class NetworkView:
    """What the network's panel shows: `mode` is "start" (before the first step),
    "look-back" (the open actions, one under the cursor), "rules" (the ground-rules
    step) or None (nothing to show)."""

    mode: str | None  # or "brought-back": a step that brings earlier answers back (kring.data.recall)
    roles: str = ""  # roles_line of the network
    rules: tuple[str, ...] = ()
    actions: tuple[tuple[dict[str, Any], str], ...] = ()  # (action, status as marked now)
    todo: int = 0  # actions not yet marked in this meeting
    questions: int = 0
    cursor: int = 0
    brought_back: tuple[str, ...] = ()  # what earlier meetings said they would do differently (recall_lines)


def network_text(view: NetworkView, tall: bool = True) -> str:
    if view.mode is None:
        return ""
    if view.mode == "look-back":
        text = look_back_text(view, tall)
        if len(view.brought_back) > 1:  # the standard meeting looks back on both, once there are answers
            text += "\n" + recall_text(view.brought_back, 3 if tall else 1)
        return text
    if view.mode == "brought-back":
        return recall_text(view.brought_back, MAX_ACTION_LINES + 1 if tall else 3)
    if view.mode == "rules":
        lines = [f"[b]{_('Ground rules')}[/b]  " + _("b: record one")]
        lines += [f"{i}. {escape(r)}" for i, r in enumerate(view.rules, 1)] or [_("None agreed yet.")]
        return "\n".join(lines[:MAX_ACTION_LINES + 2])
    # before the first step: what this meeting starts from
    lines = []
    if view.roles:
        lines.append(view.roles)
    if view.rules:
        lines.append(f"[b]{_('Ground rules')}[/b]: " + " · ".join(escape(r) for r in view.rules))
    actions = [(a, s) for a, s in view.actions if s in CARRIED]
    if actions:
        shown = " · ".join(
            (_("(confidential action)") if a.get("confidential") else escape(a["text"]))
            + (f" ({escape(a['owner'])})" if a.get("owner") else "")
            for a, _s in actions[:3]
        )
        more = f" …+{len(actions) - 3}" if len(actions) > 3 else ""
        lines.append(f"[b]{_('Open actions')} ({len(actions)})[/b]: {shown}{more}")
    lines.append(f"[b]{_('Learning questions')}[/b]: {view.questions}  ·  " + _("i: everything"))
    return "\n".join(lines)


def look_back_text(view: NetworkView, tall: bool) -> str:
    actions = view.actions
    if not actions:
        return f"[b]{_('Open actions')}[/b]\n" + _("No open actions from earlier meetings.")
    head = f"[b]{_('Open actions')}[/b]  " + _("{todo} of {total} still to discuss").format(
        todo=view.todo, total=len(actions))
    cursor = min(view.cursor, len(actions) - 1)
    limit = MAX_ACTION_LINES if tall else 3  # the step list must stay in view
    start = max(0, min(cursor - limit // 2, len(actions) - limit))
    window = actions[start:start + limit]
    lines = [head] + [action_line(a, s, start + i == cursor) for i, (a, s) in enumerate(window)]
    if len(actions) > limit:
        lines[0] += f"  ({start + 1}–{start + len(window)}, tab)"
    if view.todo == 0:
        lines.append(_("All discussed. Press n for the next step."))
    return "\n".join(lines)


def recall_lines(recall: dict[str, Any] | None) -> tuple[str, ...]:
    """A heading naming the question, then one line per answer an earlier meeting gave
    (kring.data.recall), newest meeting first; () where nothing is brought back."""
    if not recall:
        return ()
    lines = [f"[b]{escape(_('Answered earlier: {question}').format(question=recall.get('text') or ''))}[/b]"]
    for meeting in recall.get("meetings") or []:
        for a in meeting["answers"]:
            who = f"[b]{escape(a['participant'])}[/b]: " if a.get("participant") else "• "
            lines.append(who + escape(" ".join(a["text"].split())))
    return tuple(lines)


def recall_text(lines: tuple[str, ...], limit: int) -> str:
    """The heading and as many answers as fit, then how many more (all of them: `i`)."""
    if not lines:
        return ""
    head, answers = lines[0], list(lines[1:])
    if not answers:
        return head + "\n" + _("Nothing was answered to this in earlier meetings.")
    shown = answers[:limit]
    if len(answers) > limit:
        shown[-1] += "  " + _("…+{n} (i: all)").format(n=len(answers) - limit)
    return "\n".join([head, *shown])
