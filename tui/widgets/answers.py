"""Answering one question of the evaluation form: a scale, a choice or a line of text.

Digits answer, Enter or Tab goes on to the next question, shift+Tab back; keys
typed fast after Enter belong to the next question and are passed on in order.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input

from kring.data.i18n import _
from kring.workformats.forms import OPEN_MAX_CHARS, Question, QuestionType

# ctrl+j is a line feed: an Enter typed before kring has the terminal (as it starts) reaches
# it so, the terminal's line editing having turned it into one.
NEXT_KEYS = ("enter", "tab", "ctrl+j")
PREVIOUS_KEYS = ("shift+tab",)


def rerouted(widget: Widget, event: events.Key | events.Paste) -> bool:
    """Hand on a key or a paste that reached a widget after focus left it.

    Textual queues a burst of keys for the widget focused when they arrive; the
    form moves focus on Enter, so keys (and a paste) typed fast after it belong
    to the next question. They are passed on in order.
    """
    focused = widget.app.focused
    if focused is None or focused is widget:
        return False
    event.stop()
    event.prevent_default()
    if isinstance(event, events.Paste):
        focused._forward_event(events.Paste(event.text))
    else:
        focused._forward_event(events.Key(event.key, event.character))
    return True


def moved_on(widget: "Answer", event: events.Key, *, arrows: bool) -> bool:
    """Enter/Tab (and ↓ when `arrows`) go to the next question, shift+Tab (↑) back, at once."""
    key = event.key
    if key in NEXT_KEYS or (arrows and key == "down"):
        event.stop()
        event.prevent_default()
        widget.action_done()
        return True
    if key in PREVIOUS_KEYS or (arrows and key == "up"):
        event.stop()
        event.prevent_default()
        widget.screen.focus_previous()
        return True
    return False


class Answer(Widget):
    """A focusable answer to one question."""

    class Given(Message):
        """The person moved on from this answer (the form counts the answers again)."""

        def __init__(self, answer: Answer) -> None:
            super().__init__()
            self.answer = answer

    def __init__(self, question: Question, **kw: Any) -> None:
        super().__init__(**kw)
        self.question = question

    @property
    def answer(self) -> int | str | None:
        raise NotImplementedError

    def _on_paste(self, event: events.Paste) -> None:
        rerouted(self, event)  # a choice or a scale takes no paste; the next question may

    def action_done(self) -> None:
        # Focus moves now, not through a message: the next key typed fast
        # already belongs to the next question.
        self.screen.focus_next()
        self.post_message(self.Given(self))


class ScaleAnswer(Answer, can_focus=True):
    """ROTI or a scale: a digit picks a value (1 then 0 makes 10), ←→ move, backspace clears."""

    BINDINGS = [
        Binding("left", "step(-1)", _("Lower"), show=False, id="evaluate.lower"),
        Binding("right", "step(1)", _("Higher"), show=False, id="evaluate.higher"),
        Binding("backspace,delete", "clear", _("Clear the answer"), show=False, id="evaluate.clear"),
        Binding("enter", "done", _("Next question"), show=False, id="evaluate.next_answer"),
    ]
    value: reactive[int | None] = reactive(None)

    def __init__(self, question: Question, **kw: Any) -> None:
        super().__init__(question, **kw)
        self._after_one = False  # the last key was the digit 1: a 0 now makes 10

    @property
    def answer(self) -> int | None:
        return self.value

    def watch_value(self, _value: int | None) -> None:
        _keep(self)

    def _on_key(self, event: events.Key) -> None:
        if rerouted(self, event) or moved_on(self, event, arrows=True):
            self._after_one = False
            return
        key, char = event.key, event.character
        if key in ("left", "right", "backspace", "delete"):
            event.stop()
            event.prevent_default()
            self.action_clear() if key in ("backspace", "delete") else self.action_step(-1 if key == "left" else 1)
            return
        if not (char and len(char) == 1 and char.isdigit()):
            self._after_one = False
            return
        event.stop()
        event.prevent_default()
        digit = int(char)
        q = self.question
        if self._after_one and digit == 0 and q.highest >= 10:
            self.value, self._after_one = 10, False
            return
        self._after_one = digit == 1 and q.highest >= 10
        if q.lowest <= digit <= q.highest:
            self.value = digit
        else:
            self.app.bell()
            self.notify(_("Choose a value from {low} to {high}.").format(low=q.lowest, high=q.highest),
                        severity="warning", timeout=3)

    def action_step(self, delta: int) -> None:
        self._after_one = False
        q = self.question
        if self.value is None:
            self.value = q.lowest if delta > 0 else q.highest
        else:
            self.value = max(q.lowest, min(q.highest, self.value + delta))

    def action_clear(self) -> None:
        self._after_one = False
        self.value = None

    def render(self) -> Text:
        q = self.question
        labels = q.value_labels()
        text = Text()
        if q.type is QuestionType.scale and labels.get(q.lowest):
            text.append(labels[q.lowest] + " ", style="italic")
        for v in q.values:
            shown = f"{v:>2}" if q.highest >= 10 else f"{v}"
            if v == self.value:
                text.append(f"[{shown}]", style="bold reverse")
            else:
                text.append(f" {shown} ")
        if q.type is QuestionType.scale and labels.get(q.highest):
            text.append(" " + labels[q.highest], style="italic")
        if self.value is not None and (q.type is QuestionType.roti or self.value in q.labels):
            text.append("\n" + f"{self.value}: {labels.get(self.value, '')}", style="bold")
        elif q.type is QuestionType.roti:
            text.append("\n" + _("Type {low} to {high}").format(low=q.lowest, high=q.highest), style="dim")
        return text


class ChoiceAnswer(Answer, can_focus=True):
    """One of a few choices: its digit picks it, ↑↓ move, backspace clears."""

    BINDINGS = [
        Binding("up", "move(-1)", _("Previous choice"), show=False, id="evaluate.choice_up"),
        Binding("down", "move(1)", _("Next choice"), show=False, id="evaluate.choice_down"),
        Binding("backspace,delete", "clear", _("Clear the answer"), show=False, id="evaluate.choice_clear"),
        Binding("enter", "done", _("Next question"), show=False, id="evaluate.choice_next"),
    ]
    index: reactive[int | None] = reactive(None)

    @property
    def answer(self) -> str | None:
        return None if self.index is None else self.question.choices[self.index]

    def watch_index(self, _index: int | None) -> None:
        _keep(self)

    def _on_key(self, event: events.Key) -> None:
        if rerouted(self, event) or moved_on(self, event, arrows=False):
            return
        key, char = event.key, event.character
        if key in ("up", "down", "backspace", "delete"):
            event.stop()
            event.prevent_default()
            self.action_clear() if key in ("backspace", "delete") else self.action_move(-1 if key == "up" else 1)
            return
        if not (char and len(char) == 1 and char.isdigit()):
            return
        event.stop()
        event.prevent_default()
        n = int(char)
        if 1 <= n <= len(self.question.choices):
            self.index = n - 1
        else:
            self.app.bell()
            self.notify(_("Choose 1 to {high}.").format(high=len(self.question.choices)), severity="warning",
                        timeout=3)

    def action_move(self, delta: int) -> None:
        last = len(self.question.choices) - 1
        self.index = 0 if self.index is None else max(0, min(last, self.index + delta))

    def action_clear(self) -> None:
        self.index = None

    def render(self) -> Text:
        text = Text()
        for i, choice in enumerate(self.question.choices):
            if i:
                text.append("\n")
            mark = "●" if i == self.index else "○"
            text.append(f"{mark} {i + 1} {choice}", style="bold" if i == self.index else "")
        return text


def _keep(widget: Any) -> None:
    """An answer changed: the form keeps it at once (EvaluateScreen.keep_answers), before it is shown."""
    keep = getattr(widget.screen, "keep_answers", None) if widget.is_attached else None
    if keep is not None:
        keep()


class AnswerInput(Input):
    """An Input whose Enter moves on to the next question at once."""

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        _keep(self)

    async def _on_key(self, event: events.Key) -> None:
        # runs before Input's own key handling; what is not ours falls through to it
        if rerouted(self, event) or moved_on(self.parent, event, arrows=True):  # type: ignore[arg-type]
            return
        # The Input's own keys (End, backspace, ←, …) act here, in the order typed. As
        # bindings they act once the key has gone up to the App, after a key typed just
        # after it: End then a letter replaced the answer brought back selected.
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority:
                event.stop()
                event.prevent_default()
                await self.run_action(binding.action)
                return

    def _on_paste(self, event: events.Paste) -> None:
        rerouted(self, event)  # runs before Input's own paste, which it prevents when handing on

    async def action_submit(self) -> None:
        self.parent.action_done()  # type: ignore[union-attr]


class OpenAnswer(Answer):
    """Free text on one line: Enter goes on."""

    def compose(self) -> ComposeResult:
        yield AnswerInput(placeholder=_("Type your answer (or leave it empty)"), max_length=OPEN_MAX_CHARS)

    @property
    def answer(self) -> str | None:
        value = self.query_one(Input).value.strip()
        return value or None


def answer_widget(question: Question, index: int) -> Answer:
    kw = {"id": f"answer-{question.id}", "classes": "answer"}
    if question.numeric:
        return ScaleAnswer(question, **kw)
    if question.type is QuestionType.choice:
        return ChoiceAnswer(question, **kw)
    return OpenAnswer(question, **kw)
