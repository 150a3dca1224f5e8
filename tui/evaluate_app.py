"""`kring evaluate`: one participant fills in the closing evaluation in their own terminal.

A thin client like the others: it writes to the same store as the moderator's
terminal (and any other participant's) and follows it, so the list of names
shows only those who have not answered yet. It ends once the form is sent;
`return_value` is the stored result (a `Submitted`), or None if the person stopped.
"""

from __future__ import annotations

from typing import Any

from kring.data.evaluation import EvaluationContext
from kring.data.store import Store
from kring.tui.app import KringApp


class EvaluateApp(KringApp):
    def __init__(self, store: Store, context: EvaluationContext, *, participant: str | None = None,
                 **kw: Any) -> None:
        kw.setdefault("role", "evaluate")
        kw.setdefault("author", participant)
        super().__init__(store, context.meeting_id, **kw)
        self.context = context
        self.participant = participant

    def first_screen(self):  # noqa: ANN201 - a Screen
        from kring.screens.evaluate import EvaluateScreen, PickNameScreen

        if self.participant:
            return EvaluateScreen(self.live, self.context, self.participant, standalone=True)
        return PickNameScreen(self.live, self.context, passing=False)
