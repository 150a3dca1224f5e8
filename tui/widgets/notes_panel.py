"""The notes' panel beside the agenda's countdown: how many notes came in (in all,
in this step; each step's row has its own count) and the newest decision or action that is not
confidential. The agenda is on the projector: never a confidential note's text."""

from __future__ import annotations

from kring.data.i18n import _
from kring.data.labels import due_label, kind_label
from kring.data.notes import NotesFigures
from kring.tui.widgets.notelist import short
from textual.markup import escape
from textual.reactive import reactive
from textual.widgets import Static

PANEL_TEXT_CHARS = 90


def panel_text(figures: NotesFigures | None, current: int | None, compact: bool = False) -> str:
    """The panel's markup. Built from counts and the newest *public* decision or action only.
    Compact (a small terminal): the counts for the whole meeting and this step, one line."""
    if figures is None or figures.total == 0:
        return ""
    line = "✎ " + _("Notes: {n}").format(n=figures.total)
    if current is not None:
        line += "  ·  " + _("this step: {n}").format(n=figures.per_step.get(current, 0))
    if compact:
        return line
    # the count per step is in the step's own row (kring.tui.widgets.steplist)
    lines = [line]
    latest = figures.latest_public
    if latest is not None and not latest.confidential:
        text = f"[b]{escape(kind_label(latest.kind))}:[/b] {escape(short(latest.text, PANEL_TEXT_CHARS))}"
        if latest.kind == "action" and (latest.owner or latest.due):
            who = escape(latest.owner or "?")
            text += f"  → {who}" + (f", {escape(due_label(latest.due))}" if latest.due else "")
        lines.append(text)
    return "\n".join(lines)


class NotesPanel(Static):
    """Fed by the agenda: the notes' figures, the live step (None when closed or
    not started) and whether the terminal is small. Hidden while empty."""

    figures: reactive[NotesFigures | None] = reactive(None, init=False)
    current: reactive[int | None] = reactive(None, init=False)
    compact: reactive[bool] = reactive(False, init=False)

    def __init__(self) -> None:
        super().__init__("", id="notes-panel", classes="side-panel")
        self.display = False
        self._text = ""

    def watch_figures(self) -> None:
        self._show()

    def watch_current(self) -> None:
        self._show()

    def watch_compact(self) -> None:
        self._show()

    def _show(self) -> None:
        text = panel_text(self.figures, self.current, self.compact)
        if text != self._text:
            self._text = text
            self.update(text)
            self.display = bool(text)
