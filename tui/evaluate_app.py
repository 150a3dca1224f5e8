"""`kring evaluate`: one participant fills in the closing evaluation in their own terminal.

A thin client like the others: it writes to the same store as the moderator's
terminal (and any other participant's) and follows it, so the list of names
shows only those who have not answered yet. It ends once the form is sent;
`return_value` is the stored result (a `Submitted`), or None if the person stopped.

Like the note-taker's, it can paint before the store is open (`first_paint`, with
the form's top from kring.tui.firstform): every key waits meanwhile and follows,
in order, once the full form is up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events

from kring.tui.app import KringApp
from kring.tui import startgc
from kring.tui.heldkeys import held, replay
from kring.tui.messages import ScreenShown

if TYPE_CHECKING:
    from textual.message import Message

    from kring.data.evaluation import EvaluationContext
    from kring.data.store import Store
    from kring.tui.firstform import FirstForm
    from kring.tui.firstpaint import FirstPaint

# Keys that act at once even while the form waits for the store: quitting.
_AT_ONCE = frozenset({"ctrl+q"})


class EvaluateApp(KringApp):
    def __init__(self, store: Store | None, context: EvaluationContext | None, *, participant: str | None = None,
                 first_paint: FirstPaint | None = None, first_form: FirstForm | None = None, **kw: Any) -> None:
        """`store` and `context` are open and read, or None with `first_paint` and
        `first_form`: then the store is opened, and the person's name (`participant`,
        as typed) checked, in a thread after the first frame."""
        kw.setdefault("role", "evaluate")
        kw.setdefault("author", participant if store is not None or first_form is None else first_form.participant)
        meeting_id = context.meeting_id if context is not None else first_paint.meeting.id  # type: ignore[union-attr]
        super().__init__(store, meeting_id, first_paint=first_paint, **kw)
        self.context = context
        self.participant = participant
        self.first_form = first_form
        self._given = participant if store is None else None  # as typed: checked once the store is open
        self.waiting_keys: list[tuple[str, str | None]] = []  # keys that wait for the full form, in order
        # A named person's form: every key waits until it is up, whichever way it opens
        # (keys typed at once would otherwise reach a screen with no answer focused yet).
        self._holding = participant is not None

    @property
    def _first_screen_is_base(self) -> bool:
        """The core is the base screen, as the note-taker's is: pushed, its style file
        would make Textual parse every rule again."""
        return not self.connected

    def first_screen(self):  # noqa: ANN201 - a Screen
        if not self.connected:
            from kring.screens.evaluate_core import EvaluateScreen as EvaluateCore

            return EvaluateCore(self.live, self.first_form)  # type: ignore[arg-type]
        from kring.screens.evaluate import EvaluateScreen, PickNameScreen

        if self.participant:
            return EvaluateScreen(self.live, self.context, self.participant, standalone=True)
        return PickNameScreen(self.live, self.context, passing=False)

    # --- the hand-over, once the store is open ----------------------------------------------

    def prepare(self, store: Store, meeting_id: int) -> None:
        """In the opening thread: the form and the person, checked as the usual path checks them."""
        from kring.data.evaluation import evaluation_for

        self.context, self.participant = evaluation_for(store, meeting_id, self._given)

    def load_screens(self) -> None:
        import kring.screens.evaluate  # noqa: F401

    def complete_first_screen(self) -> None:
        from kring.screens.evaluate_core import EvaluateScreen as EvaluateCore

        if type(self.screen) is EvaluateCore and self.connected:
            # The core is the base screen, which Textual cannot switch away from: the
            # full form goes over it. The held keys follow once it is up (EvaluateScreen.Ready).
            self.push_screen(self.first_screen())

    def on_screen_shown(self, message: ScreenShown) -> None:
        message.prevent_default()  # no agenda to hand over to here
        startgc.release()  # the first screen is out
        if not self.connected:
            self.first_frame_shown()  # the core is out: open the store

    async def on_evaluate_screen_ready(self, message: Message) -> None:
        """The full form is up, its answers restored and the first one focused: the keys that
        waited go to it now, in the App's own turn, so none typed after can overtake them."""
        if self._holding:
            await replay(self.waiting_keys, super().on_event)
            self._holding = False

    async def on_event(self, event: events.Event) -> None:
        # Until the full form is up no answer can take a key: it waits, with the others.
        if (self._holding and isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded
                and not (isinstance(event, events.Key) and event.key in _AT_ONCE)):
            self.waiting_keys.append(held(event))
            return
        await super().on_event(event)
