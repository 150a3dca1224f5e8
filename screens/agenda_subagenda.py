"""The agenda's part for a work format inside a step (the standard meeting's intervision).

A step whose format names a `workformat` starts it when the moderator moves
onto the step (`n`). In one that says `choose` the panel offers `W`, which asks
which (a dialog listing the intervision formats): the step itself runs until
then, so the moderator can introduce it first. The chosen format's own copy, its minutes
scaled to the time the step has left, goes into a `subagenda` event
(`kring.data.core.subagenda`), and from then on the timeline has its steps
nested under the parent: `n` and `p` move through them, and after the last the
meeting goes on with the parent's next step. The panel says where in it the
meeting is and what the parent step has left.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.markup import escape

from kring.data.core.language import in_language
from kring.data.core.events import EventKind
from kring.data.core.steps import CHOOSE
from kring.data.core.timeline import Timeline
from kring.data.i18n import _
from kring.data.labels import countdown
from kring.tui.widgets.subagenda_panel import SubagendaPanel

if TYPE_CHECKING:
    from kring.screens.agenda_core import AgendaScreen

INTERVISION = "intervision"  # the category the dialog lists


class SubagendaPart:
    BINDINGS = [
        Binding("W", "choose_workformat", _("Work format in this step"), id="subagenda.choose", show=False),
    ]

    def __init__(self, screen: AgendaScreen) -> None:
        self.screen = screen
        self.live = screen.live
        self.panel = SubagendaPanel()

    def show(self, tl: Timeline) -> None:
        self.panel.text = self._line(tl)

    def _line(self, tl: Timeline) -> str:
        live = tl.live
        if live is None or tl.closed:
            return ""
        if live.parent is not None:
            parent = tl.steps[live.parent]
            siblings = tl.children(parent.index)
            return _("▤ {workformat} {at}/{total} · step {n}: {left} left").format(
                workformat=escape(self.live.format.subagenda_title(parent.index)), n=parent.number,
                at=siblings.index(live) + 1, total=len(siblings), left=countdown(parent.remaining))
        if self.can_choose(tl):
            return "▤ " + _("W: choose a work format to run in this step")
        return ""

    def can_choose(self, tl: Timeline) -> bool:
        """The live step offers a work format and none runs in it yet."""
        live = tl.live
        return (live is not None and not tl.closed and live.parent is None and not tl.children(live.index)
                and self.live.format.offers_subagenda(live.index) is not None)

    # --- moving onto a step, and W ----------------------------------------------------

    def entered(self, index: int) -> None:
        """The moderator moved onto step `index`: a named format starts (`choose` waits for W)."""
        tl = self.live.timeline()
        if tl.current != index or not self.can_choose(tl):
            return
        named = self.live.format.offers_subagenda(index)
        if named == CHOOSE:
            return
        found = self._format(named or "")
        if found is None:
            self.screen.notify(_("The work format '{name}' of this step is not known here: choose one (W).").format(
                name=named), severity="warning", timeout=8)
            self.choose()
            return
        self._start(index, found)

    def choose(self) -> None:
        from kring.screens.dialogs.workformat_choice import WorkFormatChoiceScreen

        tl = self.live.timeline()
        if not self.can_choose(tl) or tl.current is None:
            self.screen.notify(_("A work format runs inside a step that offers one, once, before its own steps."))
            return
        from kring.data.core.subagenda import budget_minutes, fitted
        from kring.workformats.loader import broken_override, catalog

        parent = tl.current
        cat = catalog()
        budget = budget_minutes(tl, parent)
        formats = [(name, fmt.shown().title, round(fmt.total_seconds / 60), fitted(round(fmt.total_seconds / 60), budget))
                   for name, fmt in sorted(cat.formats.items()) if fmt.category == INTERVISION]
        # a user's own version of a built-in that does not load: said in the list, not only once chosen
        broken = {name: err for name, *_rest in formats
                  if (err := broken_override(name, cat.origins, cat.broken)) is not None}

        def done(name: str | None) -> None:
            now = self.live.timeline()
            if name is None or now.current != parent or not self.can_choose(now):
                return
            found = self._format(name)
            if found is not None:
                self._start(parent, found)

        self.screen.app.push_screen(
            WorkFormatChoiceScreen(tl.steps[parent].title, formats, {
                name: f"{Path(err.file).name}:{err.line or '?'}: {err.reason}" for name, err in broken.items()}), done)

    def _format(self, name: str) -> dict[str, Any] | None:
        from kring.data.errors import InputError
        from kring.workformats.loader import FormatError, find

        try:
            found = find(name)
        except (FormatError, InputError) as err:
            self.screen.notify(str(err), severity="error", timeout=10)
            return None
        if any(step.workformat for step in found.steps):
            self.screen.notify(_("'{name}' runs a work format in a step itself: sub-agendas go one level deep.").format(
                name=name), severity="error", timeout=10)
            return None
        return found.model_dump(mode="json", exclude_none=True)

    def _start(self, parent: int, format_data: dict[str, Any]) -> None:
        from kring.data.core.subagenda import start_data

        data = start_data(self.live.timeline(), parent, format_data)
        self.live.record(EventKind.SUBAGENDA, data)
        self.screen.notify(_("{workformat} runs in this step: {n} steps in {minutes} minutes. n and p move through them.").format(
            workformat=in_language(format_data).get("title") or format_data.get("name"), n=len(data["format"]["steps"]),
            minutes=sum(s["minutes"] for s in data["format"]["steps"])), timeout=6)
