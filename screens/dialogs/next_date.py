"""The moderator's closing screen proposes the next meeting's date.

The next planned meeting when there is one; otherwise a date at the series'
usual interval, which one key puts on the calendar (`kring network plan`)."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kring.data.i18n import _
from kring.data.labels import date_long
from kring.data.planning import NextDate
from kring.screens.dialogs.frame import DIALOG_CSS


class NextDateScreen(ModalScreen[bool]):
    """Dismissed with True when the moderator plans the proposed date."""

    DEFAULT_CSS = DIALOG_CSS.format(name="NextDateScreen")
    BINDINGS = [
        Binding("p", "plan", _("Plan this date"), id="nextdate.plan"),
        Binding("escape,enter,q", "dismiss(False)", _("Close"), id="nextdate.close"),
    ]

    def __init__(self, proposal: NextDate) -> None:
        super().__init__()
        self.proposal = proposal

    def compose(self) -> ComposeResult:
        p = self.proposal
        when = f"{date_long(p.at)}, {p.at.format('HH:mm')}"
        lines = [f"[b]{_('Next meeting')}[/b]", "", escape(when) + (f" — {escape(p.place)}" if p.place else "")]
        if p.planned:
            lines.append(_("It is on the calendar."))
            hint = _("Enter closes.")
        else:
            weeks = round(p.interval_days / 7)
            lines.append(_("Proposed at the series' usual interval of {weeks} weeks.").format(weeks=weeks))
            hint = _("p plans this date  ·  Esc: not now")
        with Vertical(id="next-date", classes="dialog"):
            yield Static("\n".join(lines))
            yield Static(hint, classes="hint")

    def action_plan(self) -> None:
        if not self.proposal.planned:
            self.dismiss(True)
