"""The closing evaluation on screen: the form, and choosing who fills it in.

* `EvaluateScreen`: one participant's form. Digits set a scale, Enter or Tab
  goes on, ctrl+s sends. It is a fresh screen for every person and is
  dismissed after sending, so nobody sees another's answers.
* `PickNameScreen`: whose turn it is. The moderator passes the keyboard round
  (`passing=True`: after each form the list comes back, without the last
  person's answers), or a participant picks their own name in their terminal.

The answers are widgets (`kring.tui.widgets.answers`); the moderator's summary
is `kring.screens.evaluation_results`.

Store work runs in thread workers; the screens get plain data back.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from kring.data.errors import InputError, first_line
from kring.data.evaluation import AlreadyAnswered, EvaluationContext, Submitted
from kring.data.i18n import _
from kring.screens.dialogs.confirm import ConfirmScreen
from kring.screens.live import LiveScreen
from kring.tui.messages import ScreenShown, StoreChanged
from kring.tui.widgets.answers import Answer, ChoiceAnswer, OpenAnswer, ScaleAnswer, answer_widget

if TYPE_CHECKING:
    from kring.tui.session import LiveMeeting


# --- one participant's form ----------------------------------------------------------------


def forget_names_in(context: EvaluationContext, gone: Any) -> None:
    """The form's list of names as forgetting left the store's (kring.data.forgotten)."""
    context.participants = [gone.text(n) for n in context.participants]
    context.answered = [gone.text(n) for n in context.answered]
    context.case_bringers = [gone.text(n) for n in context.case_bringers]


class EvaluateScreen(LiveScreen[Submitted | None]):
    """The form for one participant; dismissed with the stored result, or None if they left."""

    class Ready(Message):
        """The form is mounted, its answers restored and the first one focused: it takes
        keys now. (ScreenShown says the picture is out, later; the first paint's core sends it too.)"""

    CSS_PATH = "evaluate.tcss"
    BINDINGS = [
        Binding("ctrl+s", "send", _("Send"), id="evaluate.send"),
        Binding("escape", "leave", _("Stop without sending"), id="evaluate.leave"),
        Binding("q", "leave", _("Stop without sending"), show=False, id="evaluate.quit"),
        Binding("down", "app.focus_next", _("Next question"), show=False, id="evaluate.down"),
        Binding("up", "app.focus_previous", _("Previous question"), show=False, id="evaluate.up"),
    ]

    def __init__(self, live: LiveMeeting, context: EvaluationContext, participant: str, *,
                 standalone: bool = False) -> None:
        super().__init__(live)
        self.context = context
        self.participant = participant
        self.standalone = standalone  # the program's only form: done means the program ends
        self.questions = context.questions_for(participant)
        self._sending = False
        self._restoring = True  # nothing is kept before what was kept is back (see on_mount)
        self._journal = self._open_journal()

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

    # --- kept per keystroke (not when anonymous) ---------------------------------------------

    def _open_journal(self) -> Any:
        """Answers given with a name are kept as they are typed, so a killed terminal loses
        none of them (kring.data.draftjournal). Anonymous answers never touch a file."""
        store = self.live.store
        if self.context.anonymous or store is None:
            return None
        from kring.data.draftjournal import DraftJournal, journal_path

        return DraftJournal(journal_path(store.url, store.path, self.context.meeting_id,
                                         f"{self.participant}#evaluate"))

    def _shown_answers(self) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        for a in self.query(Answer):
            if isinstance(a, OpenAnswer):
                box = next(iter(a.query(Input)), None)  # None while the form is still being built
                value: Any = box.value if box is not None and box.value else None
            else:
                value = a.answer
            if value is not None:
                shown[a.question.id] = value
        return shown

    def keep_answers(self) -> None:
        if self._journal is not None and not self._restoring:
            self._journal.write("", {"answers": self._shown_answers()})

    def _restore_answers(self) -> None:
        from kring.data.draftjournal import DraftJournal

        state = DraftJournal.read(self._journal.path) if self._journal is not None else None
        kept = (state[1].get("answers") if state else None) or {}
        if not isinstance(kept, dict) or not kept:
            self._restoring = False
            return
        try:
            for a in self.query(Answer):
                value = kept.get(a.question.id)
                if value is None:
                    continue
                if isinstance(a, OpenAnswer) and isinstance(value, str):
                    a.query_one(Input).value = value
                elif isinstance(a, ScaleAnswer) and isinstance(value, int) and not isinstance(value, bool):
                    a.value = value
                elif isinstance(a, ChoiceAnswer) and value in a.question.choices:
                    a.index = a.question.choices.index(value)
        finally:
            self._restoring = False
        self.notify(_("Your answers from before are back."), timeout=4)

    def _forget_answers(self) -> None:
        if self._journal is not None:
            self._journal.close(remove=True)

    def names_forgotten(self, me: bool) -> None:
        """Someone was forgotten (kring.data.forgotten): their name leaves the open answers and
        the journal (whose older lines held it); a form opened for them goes on under the
        placeholder their row now has, so the receipt never names them again."""
        gone = self.live.forgotten
        forget_names_in(self.context, gone)
        for box in self.query(OpenAnswer):
            for field in box.query(Input):
                if gone.text(field.value) != field.value:
                    field.value = gone.text(field.value)
        placeholder = gone.placeholder_for(self.participant)
        if placeholder:
            self.participant = placeholder
            self.query_one("#eval-who", Static).update(placeholder)
        if self._journal is not None:
            self._journal.close(remove=True)
            self._journal = self._open_journal()
            self.keep_answers()

    def on_mount(self) -> None:
        self._restore_answers()
        answers = list(self.query(Answer))
        if not answers:
            self.query_one("#eval-send").focus()
        elif isinstance(answers[0], OpenAnswer):
            answers[0].query_one(Input).focus()
        else:
            answers[0].focus()
        self.count_answers()
        if self.standalone:
            # The App hands over the keys typed before the form could take them: now, not
            # after a paint, so none waits on the screen's refresh timer (the focus above
            # is queued in the App before this). Once painted, the first screen is out.
            self.post_message(self.Ready())
            self.call_after_refresh(self.post_message, ScreenShown())

    # --- moving on -----------------------------------------------------------------------

    def on_descendant_blur(self) -> None:
        self.count_answers()

    def on_answer_given(self, event: Answer.Given) -> None:
        event.stop()
        self.count_answers()

    def count_answers(self) -> None:
        answered = sum(1 for a in self.query(Answer) if a.answer is not None)
        self.query_one("#eval-count", Static).update(
            "  " + _("{n} of {total} answered").format(n=answered, total=len(self.questions)))

    def collect(self) -> dict[str, int | str]:
        gone = self.live.forgotten  # a name forgotten while the form was open is not sent
        return {a.question.id: gone.text(a.answer) for a in self.query(Answer) if a.answer is not None}

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
            result = submit(self.live.store, ctx.meeting_id, self.participant, answers, self.live.clock,
                            form=ctx.form, anonymous=ctx.anonymous)
        except AlreadyAnswered:
            app.call_from_thread(self._refused, _("{name} has already filled in the evaluation; the first answers "
                                                  "stand.").format(name=self.participant))
            return
        except InputError as exc:
            app.call_from_thread(self._refused, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the store is busy or gone: the answers stay on screen
            reason = first_line(exc)
            app.call_from_thread(self._refused, _("Not sent: {reason}. Your answers are still here; press ctrl+s to "
                                                  "try again.").format(reason=reason))
            return
        try:
            snapshot = load_snapshot(self.live.store, ctx.meeting_id)
        except Exception:  # noqa: BLE001 - the store follower will bring it
            snapshot = None
        app.call_from_thread(self._sent, result, snapshot)

    def _refused(self, message: str) -> None:
        self._sending = False
        self.count_answers()
        self.notify(message, severity="error", timeout=8)

    def _sent(self, result: Submitted, snapshot: Any) -> None:
        self._forget_answers()  # stored now
        if snapshot is not None:
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
                self._forget_answers()  # not kept, as the question said
                self._finish(None)

        self.app.push_screen(LeaveQuestion(_("Stop without sending? Your answers are not kept.")), done)


class LeaveQuestion(ConfirmScreen):
    """The shared yes/no screen, with its text sized to fit (it would otherwise show an empty box)."""

    DEFAULT_CSS = """
    LeaveQuestion #confirm > Static { width: auto; max-width: 100%; }
    """


# --- whose turn ---------------------------------------------------------------------------------


class PickNameScreen(LiveScreen[None]):
    """Choose who fills in the form next, from those who have not answered yet."""

    CSS_PATH = "evaluate.tcss"
    BINDINGS = [
        Binding("escape", "back", _("Back"), id="evaluate.back"),
        # passed round, q must not quit the moderator's program
        Binding("q", "back", _("Back"), show=False, id="evaluate.back_q"),
    ]

    def __init__(self, live: LiveMeeting, context: EvaluationContext, *, passing: bool) -> None:
        super().__init__(live)
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

    def names_forgotten(self, me: bool) -> None:
        forget_names_in(self.context, self.live.forgotten)
        self.message = self.live.forgotten.text(self.message)
        self._shown = None
        self.refresh_state()

    def answered(self) -> list[str]:
        figures = self.live.snapshot.extra.get("evaluation") or {}
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
        self.app.push_screen(EvaluateScreen(self.live, self.context, name), partial(self._returned, name))

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
