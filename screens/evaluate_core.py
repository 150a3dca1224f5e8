"""The evaluation form as it paints first, before the store is open.

The same top as the full form (`kring.screens.evaluate`): the form's title, the
person's name, whether the answers carry it, and the first question everyone
gets (kring.tui.firstform). The answers wait for the store: the App holds every
key meanwhile and hands them, in order, to the full form once it is up, so
nothing typed is lost and nothing is shown as answered or sent before it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Static

from kring.data.i18n import _
from kring.screens.live import LiveScreen
from kring.tui.messages import ScreenShown

if TYPE_CHECKING:
    from kring.tui.firstform import FirstForm
    from kring.tui.session import LiveMeeting


class EvaluateScreen(LiveScreen[None]):
    """Named as the full form, so evaluate.tcss styles both."""

    CSS_PATH = "evaluate.tcss"

    def __init__(self, live: LiveMeeting, form: FirstForm) -> None:
        super().__init__(live)
        self.form = form

    def compose(self) -> ComposeResult:
        form = self.form
        with Horizontal(id="eval-top"):
            yield Static(form.title, id="eval-title", markup=False)
            yield Static(form.participant, id="eval-who", markup=False)
        privacy = (_("Anonymous: your name is not stored with your answers.") if form.anonymous
                   else _("Your answers are stored with your name."))
        yield Static(privacy + "  " + _("Digits answer, Enter goes on, ctrl+s sends."), id="eval-intro",
                     markup=False)
        with VerticalScroll(id="eval-questions"):
            with Vertical(classes="question"):
                label = Text("1. " if form.first else "", style="bold")
                label.append(form.question, style="bold")
                yield Static(label, classes="question-text")
                yield Static(_("Opening the form…"), classes="answer", id="eval-opening")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.post_message, ScreenShown())  # the first frame is out
