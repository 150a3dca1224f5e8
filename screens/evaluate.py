"""The closing evaluation on screen: the form, choosing who fills it in, and the results.

* `EvaluateScreen`: one participant's form. Digits set a scale, Enter or Tab
  goes on, ctrl+s sends. It is a fresh screen for every person and is
  dismissed after sending, so nobody sees another's answers.
* `PickNameScreen`: whose turn it is. The moderator passes the keyboard round
  (`passing=True`: after each form the list comes back, without the last
  person's answers), or a participant picks their own name in their terminal.
* `ResultsScreen`: the moderator's summary per question (distribution, mean,
  open answers), withheld while anonymous answers are too few to hide anyone.

Store work runs in thread workers; the screens get plain data back.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from kring.data.errors import InputError
from kring.data.evaluation import AlreadyAnswered, EvaluationContext, MeetingSummary, Submitted
from kring.data.i18n import _
from kring.screens.confirm import ConfirmScreen
from kring.workformats.forms import OPEN_MAX_CHARS, Question, QuestionType

BAR = "█"


def decimal(value: float) -> str:
    """A mean as people read it: one decimal, a comma in Dutch."""
    from kring.data import i18n

    text = f"{value:.1f}"
    return text.replace(".", ",") if i18n.current() == "nl" else text


# --- answering one question --------------------------------------------------------------


NEXT_KEYS = ("enter", "tab")
PREVIOUS_KEYS = ("shift+tab",)


def rerouted(widget: Widget, event: events.Key) -> bool:
    """Hand on a key that reached a widget after focus left it.

    Textual queues a burst of keys for the widget focused when they arrive; the
    form moves focus on Enter, so keys typed fast after it belong to the next
    question. They are passed on in order.
    """
    focused = widget.app.focused
    if focused is None or focused is widget:
        return False
    event.stop()
    event.prevent_default()
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

    def __init__(self, question: Question, **kw: Any) -> None:
        super().__init__(**kw)
        self.question = question

    @property
    def answer(self) -> int | str | None:
        raise NotImplementedError

    def action_done(self) -> None:
        # Focus moves now, not through a message: the next key typed fast
        # already belongs to the next question.
        self.screen.focus_next()
        counter = getattr(self.screen, "count_answers", None)
        if counter:
            counter()


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


class AnswerInput(Input):
    """An Input whose Enter moves on to the next question at once."""

    def _on_key(self, event: events.Key) -> None:
        # runs before Input's own key handling; what is not ours falls through to it
        if not rerouted(self, event):
            moved_on(self.parent, event, arrows=True)  # type: ignore[arg-type]

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


# --- one participant's form ----------------------------------------------------------------


class EvaluateScreen(Screen[Submitted | None]):
    """The form for one participant; dismissed with the stored result, or None if they left."""

    CSS_PATH = "evaluate.tcss"
    BINDINGS = [
        Binding("ctrl+s", "send", _("Send"), id="evaluate.send"),
        Binding("escape", "leave", _("Stop without sending"), id="evaluate.leave"),
        Binding("q", "leave", _("Stop without sending"), show=False, id="evaluate.quit"),
        Binding("down", "app.focus_next", _("Next question"), show=False, id="evaluate.down"),
        Binding("up", "app.focus_previous", _("Previous question"), show=False, id="evaluate.up"),
    ]

    def __init__(self, context: EvaluationContext, participant: str, *, standalone: bool = False) -> None:
        super().__init__()
        self.context = context
        self.participant = participant
        self.standalone = standalone  # the program's only form: done means the program ends
        self.questions = context.questions_for(participant)
        self._sending = False

    def compose(self) -> ComposeResult:
        ctx = self.context
        with Horizontal(id="eval-top"):
            yield Static(ctx.form.title, id="eval-title")
            yield Static(self.participant, id="eval-who")
        privacy = (_("Anonymous: your name is not stored with your answers.") if ctx.anonymous
                   else _("Your answers are stored with your name."))
        yield Static(privacy + "  " + _("Digits answer, Enter goes on, ctrl+s sends."), id="eval-intro")
        unsure_bringer = not ctx.case_bringers
        with VerticalScroll(id="eval-questions"):
            for n, q in enumerate(self.questions, start=1):
                with Vertical(classes="question"):
                    label = Text(f"{n}. ", style="bold")
                    label.append(q.text, style="bold")
                    if q.case_bringer_only and unsure_bringer:
                        label.append("  " + _("(only if you brought the case)"), style="italic")
                    yield Static(label, classes="question-text")
                    yield answer_widget(q, n)
            with Horizontal(id="eval-send-row"):
                yield Button(_("Send"), id="eval-send", variant="primary", compact=True)
                yield Static("", id="eval-count")
        yield Footer()

    def on_mount(self) -> None:
        answers = list(self.query(Answer))
        if not answers:
            self.query_one("#eval-send").focus()
        elif isinstance(answers[0], OpenAnswer):
            answers[0].query_one(Input).focus()
        else:
            answers[0].focus()
        self.count_answers()

    # --- moving on -----------------------------------------------------------------------

    def on_descendant_blur(self) -> None:
        self.count_answers()

    def count_answers(self) -> None:
        answered = sum(1 for a in self.query(Answer) if a.answer is not None)
        self.query_one("#eval-count", Static).update(
            "  " + _("{n} of {total} answered").format(n=answered, total=len(self.questions)))

    def collect(self) -> dict[str, int | str]:
        return {a.question.id: a.answer for a in self.query(Answer) if a.answer is not None}

    # --- sending -------------------------------------------------------------------------------

    @on(Button.Pressed, "#eval-send")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_send()

    def action_send(self) -> None:
        if self._sending:
            return
        answers = self.collect()
        if not answers:
            self.notify(_("Answer at least one question before sending."), severity="warning")
            return
        self._sending = True
        self.query_one("#eval-count", Static).update("  " + _("Sending…"))
        self._send(answers)

    @work(thread=True, exclusive=True, group="evaluate-send")
    def _send(self, answers: dict[str, int | str]) -> None:
        from kring.data.evaluation import submit
        from kring.data.live import load_snapshot

        app = self.app
        ctx = self.context
        try:
            result = submit(app.store, ctx.meeting_id, self.participant, answers, app.clock,
                            form=ctx.form, anonymous=ctx.anonymous)
        except AlreadyAnswered:
            app.call_from_thread(self._refused, _("{name} has already filled in the evaluation; the first answers "
                                                  "stand.").format(name=self.participant))
            return
        except InputError as exc:
            app.call_from_thread(self._refused, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the store is busy or gone: the answers stay on screen
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            app.call_from_thread(self._refused, _("Not sent: {reason}. Your answers are still here; press ctrl+s to "
                                                  "try again.").format(reason=reason))
            return
        try:
            snapshot = load_snapshot(app.store, ctx.meeting_id)
        except Exception:  # noqa: BLE001 - the watcher will bring it
            snapshot = None
        app.call_from_thread(self._sent, result, snapshot)

    def _refused(self, message: str) -> None:
        self._sending = False
        self.count_answers()
        self.notify(message, severity="error", timeout=8)

    def _sent(self, result: Submitted, snapshot: Any) -> None:
        if snapshot is not None:
            from kring.tui.app import StoreChanged

            self.app.post_message(StoreChanged(snapshot))
        self._finish(result)

    def _finish(self, result: Submitted | None) -> None:
        if self.standalone:
            self.app.exit(result)
        else:
            self.dismiss(result)

    # --- leaving --------------------------------------------------------------------------------

    def action_leave(self) -> None:
        if self._sending:
            return
        if not self.collect():
            self._finish(None)
            return
        def done(yes: bool | None) -> None:
            if yes:
                self._finish(None)

        self.app.push_screen(LeaveQuestion(_("Stop without sending? Your answers are not kept.")), done)


class LeaveQuestion(ConfirmScreen):
    """The shared yes/no screen, with its text sized to fit (it would otherwise show an empty box)."""

    DEFAULT_CSS = """
    LeaveQuestion #confirm > Static { width: auto; max-width: 100%; }
    """


# --- whose turn ---------------------------------------------------------------------------------


class PickNameScreen(Screen[None]):
    """Choose who fills in the form next, from those who have not answered yet."""

    CSS_PATH = "evaluate.tcss"
    BINDINGS = [
        Binding("escape", "back", _("Back"), id="evaluate.back"),
        # passed round, q must not quit the moderator's program
        Binding("q", "back", _("Back"), show=False, id="evaluate.back_q"),
    ]

    def __init__(self, context: EvaluationContext, *, passing: bool) -> None:
        super().__init__()
        self.context = context
        self.passing = passing  # the moderator's keyboard goes round
        self.message = ""
        self._shown: list[str] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="eval-top"):
            yield Static(self.context.form.title, id="eval-title")
            yield Static("", id="eval-progress")
        yield Static("", id="pick-message")
        yield Static(_("Who fills in the form now? Choose your name and press Enter.") if self.passing
                     else _("Who are you? Choose your name and press Enter."), id="pick-intro")
        yield OptionList(id="pick-names")
        yield Static("", id="pick-after")
        yield Footer()

    def on_mount(self) -> None:
        self._show_state()
        self.query_one(OptionList).focus()

    def answered(self) -> list[str]:
        figures = self.app.snapshot.extra.get("evaluation") or {}
        return list(figures.get("names", self.context.answered))

    def waiting(self) -> list[str]:
        done = set(self.answered())
        return [n for n in self.context.participants if n not in done]

    def refresh_state(self) -> None:
        if self.is_mounted:
            self._show_state()

    def _show_state(self) -> None:
        waiting = self.waiting()
        total = len(self.context.participants)
        self.query_one("#eval-progress", Static).update(
            _("{n} of {total} answered").format(n=total - len(waiting), total=total))
        message = self.query_one("#pick-message", Static)
        message.update(self.message)
        message.display = bool(self.message)
        if waiting != self._shown:
            names = self.query_one(OptionList)
            keep = names.highlighted_option.id if names.highlighted_option else None
            names.set_options([Option(n, id=n) for n in waiting])
            names.styles.max_height = len(waiting) + 2  # the names and the border, no more
            if waiting:
                names.highlighted = waiting.index(keep) if keep in waiting else 0
            self._shown = waiting
            if waiting:
                after = _("Esc: back to the agenda.") if self.passing else _("Esc: stop.")
            else:
                after = _("Everyone has filled in the evaluation.") + "  " + (
                    _("Esc: back to the agenda.") if self.passing else _("Esc: stop."))
            self.query_one("#pick-after", Static).update(after)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = event.option.id
        if not name or name in self.answered():
            return
        self.message = ""
        self.app.push_screen(EvaluateScreen(self.context, name), partial(self._returned, name))

    def _returned(self, name: str, result: Submitted | None) -> None:
        if result is None:
            self.message = _("{name} stopped without sending.").format(name=name) if self.passing else ""
        elif self.passing:
            self.message = _("Thank you, {name}: your answers are stored. Pass the keyboard on.").format(name=name)
        else:
            self.app.exit(result)
            return
        self._shown = None
        self._show_state()

    def action_back(self) -> None:
        if self.passing:
            self.dismiss(None)
        else:
            self.app.exit(None)


# --- the results ---------------------------------------------------------------------------------


def question_lines(entry: dict[str, Any], width: int = 16, line_width: int = 76) -> Text:
    """One question's summary as text: distribution bars, mean, the open answers.

    `width`: the longest bar; `line_width`: labels are cut to fit a line.
    """
    text = Text()
    count = entry["count"]
    text.append(entry["text"], style="bold")
    figures = _("1 answer") if count == 1 else _("{n} answers").format(n=count)
    if entry["mean"] is not None:
        figures += " · " + _("mean {mean}").format(mean=decimal(entry["mean"]))
    text.append(f"  ({figures})", style="dim")
    if entry["type"] in ("roti", "scale", "choice"):
        dist: dict[Any, int] = entry["distribution"]
        top = max(dist.values(), default=0) or 1
        choice = entry["type"] == "choice"
        labels = {i + 1: c for i, c in enumerate(dist)} if choice else (entry.get("labels") or {})
        rows = list(enumerate(dist.items(), start=1))
        key_width = len(str(len(rows))) if choice else max((len(str(k)) for k in dist), default=1)
        count_width = len(str(top))
        compact = entry["type"] == "scale" and len(dist) > 6
        for number, (value, n) in rows:
            key = number if choice else value
            if compact and n == 0 and key not in labels:
                continue
            bar = BAR * max(1 if n else 0, round(n / top * width))
            text.append("\n  " + f"{str(key):>{key_width}} ")
            text.append(f"{bar:<{width}}", style="bold")
            text.append(f" {n:>{count_width}}")
            label = labels.get(key, "")
            room = line_width - (2 + key_width + 1 + width + 1 + count_width + 2)
            if label and room > 3:
                text.append("  " + (label if len(label) <= room else label[: room - 1] + "…"), style="dim")
    elif entry["answers"]:
        for answer in entry["answers"]:
            text.append("\n  – " + answer)
    return text


class ResultsScreen(Screen[None]):
    """The moderator's summary of the evaluation so far; follows new answers."""

    CSS_PATH = "evaluate.tcss"
    BINDINGS = [Binding("escape,u,q", "close", _("Close"), id="evaluate.results_close")]

    def __init__(self) -> None:
        super().__init__()
        self._loaded_for: Any = None
        self._summary: MeetingSummary | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="eval-top"):
            yield Static(_("Evaluation results"), id="eval-title")
            yield Static("", id="eval-progress")
        yield VerticalScroll(Static(_("Loading…"), id="results-body"), id="results")
        yield Footer()

    def on_mount(self) -> None:
        self._follow()

    def refresh_state(self) -> None:
        if self.is_mounted:
            self._follow()

    def _follow(self) -> None:
        figures = self.app.snapshot.extra.get("evaluation") or {}
        key = (figures.get("answered"), figures.get("expected"))
        if key != self._loaded_for:
            self._loaded_for = key
            self._load()

    @work(thread=True, exclusive=True, group="evaluate-results")
    def _load(self) -> None:
        from kring.data.evaluation import meeting_summary

        try:
            summary = meeting_summary(self.app.store, self.app.meeting_id)
        except InputError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the store is busy: try on the next change
            self.app.call_from_thread(self._failed, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        self.app.call_from_thread(self._show, summary)

    def _failed(self, message: str) -> None:
        self._loaded_for = None
        self.query_one("#results-body", Static).update(Text(message, style="bold"))

    def on_resize(self) -> None:
        if self._summary is not None:
            self._show(self._summary)

    def _show(self, summary: MeetingSummary) -> None:
        self._summary = summary
        ctx = summary.context
        answered, total = len(ctx.answered), len(ctx.participants)
        self.query_one("#eval-progress", Static).update(
            _("{n} of {total} answered").format(n=answered, total=total))
        body = self.query_one("#results-body", Static)
        if summary.withheld:
            body.update(_("The answers are anonymous: the results appear once at least 3 people have answered "
                          "(or everyone)."))
            return
        if not answered:
            body.update(_("Nobody has answered yet. Press e on the agenda to pass the keyboard round."))
            return
        width = max(4, min(16, self.size.width // 6))
        out = Text()
        if ctx.anonymous:
            out.append(_("Anonymous: no answer is linked to a name.") + "\n\n", style="italic")
        for n, entry in enumerate(summary.questions, start=1):
            if entry["count"] == 0 and entry["case_bringer_only"]:
                continue
            if n > 1:
                out.append("\n\n")
            out.append(f"{n}. ", style="bold")
            out.append_text(question_lines(entry, width, max(20, self.size.width - 4)))
        body.update(out)

    def action_close(self) -> None:
        self.dismiss(None)
