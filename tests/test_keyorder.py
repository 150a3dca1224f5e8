"""Keys that arrive together apply in the order typed, in every kring input: a binding
(backspace, ctrl+w, left, Enter) runs in its turn, not after the text typed behind it
(Textual ran it only once the key had bubbled back up to the App; kring.tui.base)."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from kring.screens.dialogs.prompt import TextPromptScreen
from kring.tui.base import KringBaseApp

BACKSPACE, CTRL_W, LEFT, ENTER = ("backspace", None), ("ctrl+w", None), ("left", None), ("enter", "\r")


def keys(text: str) -> list[tuple[str, str | None]]:
    return [(c if c.isalnum() else events.Key(c, c).key, c) for c in text]


class PromptApp(KringBaseApp):
    CSS_PATH = None  # kring's app.tcss is found next to the Apps, not here
    answers: list[str | None]

    def on_mount(self) -> None:
        self.answers = []
        self.push_screen(TextPromptScreen("Naam?"), self.answers.append)


async def typed_at_once(app: PromptApp, pilot, batch: list[tuple[str, str | None]]) -> None:
    """The keys as the terminal's one read gives them: all queued before the first is handled."""
    for key, character in batch:
        app.post_message(events.Key(key, character))
    await pilot.pause()


@pytest.mark.parametrize("batch, value", [
    (keys("abc") + [BACKSPACE] + keys("d"), "abd"),
    (keys("Hallo wereld") + [CTRL_W] + keys("iedereen"), "Hallo iedereen"),
    (keys("klmnop") + [LEFT, LEFT] + keys("XY"), "klmnXYop"),
])
async def test_a_dialog_input_edits_in_key_order(batch, value):
    app = PromptApp()
    async with app.run_test() as pilot:
        await typed_at_once(app, pilot, batch)
        assert app.screen.query_one(Input).value == value


async def test_enter_in_a_batch_submits_what_was_typed_before_it():
    app = PromptApp()
    async with app.run_test() as pilot:
        await typed_at_once(app, pilot, keys("Anouk") + [ENTER] + keys("Bram"))
        assert app.answers == ["Anouk"]


async def test_a_key_no_binding_takes_still_reaches_the_screen():
    app = PromptApp()
    async with app.run_test() as pilot:
        await typed_at_once(app, pilot, keys("x") + [("escape", "\x1b")])  # the dialog's own binding
        assert app.answers == [None]


async def test_a_paste_behind_enter_lands_on_the_next_question(store, clock, meeting_id):
    """The evaluation form moves the focus on Enter; keys queued meanwhile for the question
    left are handed on (answers.rerouted), and so is a paste."""
    from kring.data.evaluation import open_evaluation
    from kring.tui.evaluate_app import EvaluateApp

    app = EvaluateApp(store, open_evaluation(store, meeting_id), participant="Fatima", clock=clock, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        for key, character in [("3", "3"), ENTER, ("4", "4"), ENTER, ("7", "7"), ENTER, ENTER, ENTER]:
            app.post_message(events.Key(key, character))
        app.post_message(events.Paste("goed gesprek"))
        app.post_message(events.Key("exclamation_mark", "!"))
        await pilot.pause()
        assert app.screen.collect() == {"roti": 3, "relevance": 4, "safety": 7, "top": "goed gesprek!"}
