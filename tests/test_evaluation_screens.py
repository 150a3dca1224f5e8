"""The evaluation on screen: the moderator's keyboard going round, a participant's own terminal, results."""

from __future__ import annotations

from sqlmodel import select

from kring.data.evaluation import open_evaluation, submit
from kring.data.models import EvaluationReceipt, EvaluationResponse, Network


async def settle(app, pilot):
    app.outbox.flush()
    app.refresh_screen()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def responses(store):
    with store.session() as s:
        return {r.participant: r.answers for r in s.exec(select(EvaluationResponse)).all()}


async def pick(pilot, app, name):
    from textual.widgets import OptionList

    await pilot.pause()
    names = app.screen.query_one(OptionList)
    ids = [names.get_option_at_index(i).id for i in range(names.option_count)]
    names.highlighted = ids.index(name)
    await pilot.press("enter")
    await pilot.pause()


async def test_keyboard_goes_round_and_nobody_sees_another_s_answers(make_app, meeting_id, store, clock):
    from kring.screens.agenda import AgendaScreen
    from kring.screens.evaluate import EvaluateScreen, PickNameScreen
    from kring.tui.widgets.answers import ScaleAnswer

    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, PickNameScreen)
        await pick(pilot, app, "Bram")
        assert isinstance(app.screen, EvaluateScreen) and app.screen.participant == "Bram"
        # fast entry: digits, Enter goes on; 1 then 0 makes 10
        await pilot.press("3", "enter", "5", "enter", "1", "0", "enter", "7", "enter", "9", "enter")
        await pilot.press(*"Goed", "enter", "enter", *"Vaker", "enter")
        assert app.screen.collect() == {"roti": 3, "relevance": 5, "safety": 10, "goals": 7, "method": 9,
                                        "top": "Goed", "tomorrow": "Vaker"}
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # the form is gone; the list is back without Bram, and shows nothing of his
        assert isinstance(app.screen, PickNameScreen)
        assert "Bram" not in app.screen.waiting()
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "Goed" not in shown and "Vaker" not in shown
        # the next person starts from an empty form
        await pick(pilot, app, "Lotte")
        form = app.screen
        assert isinstance(form, EvaluateScreen) and form.collect() == {}
        assert all(a.value is None for a in form.query(ScaleAnswer))
        await pilot.press("4", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, PickNameScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaScreen)
        assert "2 van 5" in str(app.screen.query_one("#evaluation-panel").render())
    assert responses(store) == {
        "Bram": {"roti": 3, "relevance": 5, "safety": 10, "goals": 7, "method": 9, "top": "Goed",
                 "tomorrow": "Vaker"},
        "Lotte": {"roti": 4},
    }


async def test_out_of_range_digit_is_refused_on_screen(make_app, meeting_id):
    from kring.screens.evaluate import EvaluateScreen

    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(app, pilot)
        await pick(pilot, app, "Anouk")
        bells = []
        app.bell = lambda: bells.append(1)
        await pilot.press("7", "enter", "0", "8", "3")  # ROTI has no 7; relevance has no 0 or 8
        form = app.screen
        assert isinstance(form, EvaluateScreen)
        assert form.collect() == {"relevance": 3} and len(bells) == 3


async def test_leaving_a_half_form_asks_first_and_stores_nothing(make_app, meeting_id, store):
    from kring.screens.dialogs.confirm import ConfirmScreen
    from kring.screens.evaluate import EvaluateScreen, PickNameScreen

    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(app, pilot)
        await pick(pilot, app, "Joris")
        await pilot.press("2", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, EvaluateScreen) and app.screen.collect() == {"roti": 2}
        await pilot.press("escape", "j")
        await settle(app, pilot)
        assert isinstance(app.screen, PickNameScreen) and "Joris" in app.screen.waiting()
    assert responses(store) == {}


async def test_someone_who_answered_elsewhere_meanwhile_is_refused_kindly(make_app, meeting_id, store, clock):
    from kring.screens.evaluate import EvaluateScreen

    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(app, pilot)
        await pick(pilot, app, "Fatima")
        submit(store, meeting_id, "Fatima", {"roti": 1}, clock)  # from her own terminal
        await pilot.press("4", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, EvaluateScreen)  # the answers on screen are not thrown away
        assert app.screen.collect() == {"roti": 4}
        assert any("heeft de evaluatie al ingevuld" in n.message for n in app._notifications)
    assert responses(store) == {"Fatima": {"roti": 1}}


async def test_panel_follows_answers_and_results_show_the_summary(make_app, meeting_id, store, clock):
    from kring.data.live import load_snapshot
    from kring.screens.evaluation_results import ResultsScreen
    from kring.tui.messages import StoreChanged

    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen.query_one("#evaluation-panel")
        assert not panel.display  # nothing to say before the last step
        submit(store, meeting_id, "Anouk", {"roti": 4, "top": "Heldere casus"}, clock)
        submit(store, meeting_id, "Bram", {"roti": 2, "relevance": 3}, clock)
        app.post_message(StoreChanged(load_snapshot(store, meeting_id)))  # what the watcher does
        await settle(app, pilot)
        assert panel.display and "2 van 5" in str(panel.render())
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        body = str(app.screen.query_one("#results-body").render())
        assert "gemiddeld 3,0" in body and "Heldere casus" in body and "2 antwoorden" in body
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ResultsScreen)


async def test_anonymous_results_wait_for_three(make_app, store, clock, standaard):
    from kring.data.meetings import create_meeting
    from kring.screens.evaluation_results import ResultsScreen

    with store.writing() as s:
        net = Network(name="Anoniem", anonymous_evaluation=True, created_at=clock.now())
        s.add(net)
        s.flush()
        network_id = net.id
    meeting_id = create_meeting(store, standaard, ["Anouk", "Bram", "Fatima", "Joris"], clock,
                                network_id=network_id)
    submit(store, meeting_id, "Anouk", {"roti": 4}, clock)
    submit(store, meeting_id, "Bram", {"roti": 2}, clock)
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        await settle(app, pilot)
        assert isinstance(app.screen, ResultsScreen)
        body = str(app.screen.query_one("#results-body").render())
        assert "minstens 3" in body and "gemiddeld" not in body


async def test_evaluate_app_picks_a_name_and_ends_after_sending(store, clock, meeting_id):
    from kring.screens.evaluate import EvaluateScreen, PickNameScreen
    from kring.tui.evaluate_app import EvaluateApp

    submit(store, meeting_id, "Anouk", {"roti": 4}, clock)
    ctx = open_evaluation(store, meeting_id)
    app = EvaluateApp(store, ctx, clock=clock, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, PickNameScreen)
        assert app.screen.waiting() == ["Bram", "Fatima", "Joris", "Lotte"]
        await pick(pilot, app, "Joris")
        assert isinstance(app.screen, EvaluateScreen)
        await pilot.press("2", "enter", "4", "ctrl+s")
        await settle(app, pilot)
    assert app.return_value is not None and app.return_value.participant == "Joris"
    assert responses(store)["Joris"] == {"roti": 2, "relevance": 4}
    with store.session() as s:
        assert len(s.exec(select(EvaluationReceipt)).all()) == 2


async def test_evaluate_app_with_a_name_opens_the_form_and_fits_small_terminals(store, clock, meeting_id):
    from kring.screens.evaluate import EvaluateScreen
    from kring.tui.evaluate_app import EvaluateApp

    ctx = open_evaluation(store, meeting_id)
    app = EvaluateApp(store, ctx, participant="Lotte", clock=clock, watch=False)
    async with app.run_test(size=(40, 12)) as pilot:
        assert isinstance(app.screen, EvaluateScreen)
        for key in ("1", "enter", "2", "tab", "shift+tab", "down", "up", "left", "right", "backspace"):
            await pilot.press(key)
        await pilot.press(*"Kort en goed", "enter")
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        await pilot.press("escape")  # half a form: asks first
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
    assert app.return_value is None
    assert responses(store) == {}


def test_form_snapshot(snap_compare, store, clock, meeting_id):
    from kring.tui.evaluate_app import EvaluateApp

    ctx = open_evaluation(store, meeting_id)
    app = EvaluateApp(store, ctx, participant="Fatima", clock=clock, watch=False)

    async def answer(pilot):
        await pilot.press("3", "enter", "4", "enter", "1", "0", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=answer)


async def test_a_network_form_with_a_choice(store, clock, standaard):
    from kring.data.evaluation import choose_for_network
    from kring.data.meetings import create_meeting
    from kring.tui.widgets.answers import ChoiceAnswer
    from kring.tui.evaluate_app import EvaluateApp
    from kring.workformats.forms import forms_dir

    forms_dir().mkdir(parents=True)
    (forms_dir() / "kort.yaml").write_text(
        "name: kort\ntitle: Kort\nsource: eigen\nquestions:\n"
        "  - {id: vorm, text: Volgende keer, type: choice, choices: [Balint, Roddel, Incident]}\n"
        "  - {id: energie, text: Energie, type: scale, min: 1, max: 3, low: laag, high: hoog}\n",
        encoding="utf-8")
    with store.writing() as s:
        net = Network(name="Kort", created_at=clock.now())
        s.add(net)
        s.flush()
        network_id = net.id
    choose_for_network(store, network_id, form="kort", anonymous=True)
    meeting_id = create_meeting(store, standaard, ["Anouk", "Bram"], clock, network_id=network_id)
    app = EvaluateApp(store, open_evaluation(store, meeting_id), participant="Bram", clock=clock, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        choice = app.screen.query_one(ChoiceAnswer)
        await pilot.press("9")  # there is no 9th choice
        assert choice.answer is None
        await pilot.press("3", "up")
        assert choice.answer == "Roddel"
        await pilot.press("enter", "4", "2", "ctrl+s")  # energie runs 1-3: the 4 is refused
        await settle(app, pilot)
    assert app.return_value is not None and app.return_value.anonymous
    assert responses(store) == {None: {"vorm": "Roddel", "energie": 2}}


async def test_a_broken_network_form_is_a_kind_message_on_the_agenda(make_app, store, clock, standaard):
    from kring.data.meetings import create_meeting
    from kring.screens.agenda import AgendaScreen
    from kring.workformats.forms import forms_dir

    forms_dir().mkdir(parents=True)
    (forms_dir() / "kapot.yaml").write_text("name: kapot\ntitle: K\nsource: s\nquestions:\n"
                                             "  - {id: a, text: Q, type: sterren}\n", encoding="utf-8")
    with store.writing() as s:
        net = Network(name="Kapot", evaluation_form="kapot", created_at=clock.now())
        s.add(net)
        s.flush()
        network_id = net.id
    meeting_id = create_meeting(store, standaard, ["Anouk"], clock, network_id=network_id)
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, AgendaScreen)
        [note] = [n.message for n in app._notifications]
        assert note.startswith("De evaluatie kan niet beginnen: ") and "kapot.yaml:5: questions[1].type:" in note


async def test_keys_typed_as_the_program_starts_wait_for_the_form(store, clock, meeting_id, monkeypatch):
    """Keys that reach the App before the form has mounted and focused its first answer
    (a quick typist, a busy machine) wait for it and land each on its own question."""
    from textual import events

    from kring.tui.app import KringApp
    from kring.tui.evaluate_app import EvaluateApp

    mount = KringApp.on_mount

    def typed_at_once(app):
        mount(app)  # the form is pushed, not yet mounted
        for key in ("3", "enter", "4", "enter", "1", "0", "enter", "enter", "enter", *"top"):
            app.post_message(events.Key(key, "\r" if key == "enter" else key))

    monkeypatch.setattr(KringApp, "on_mount", typed_at_once)
    app = EvaluateApp(store, open_evaluation(store, meeting_id), participant="Fatima", clock=clock, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.collect() == {"roti": 3, "relevance": 4, "safety": 10, "top": "top"}


async def test_an_enter_typed_before_the_terminal_was_taken_over_goes_on(store, clock, meeting_id):
    """Typed as kring starts, before it has the terminal, Enter arrives as a line feed
    (ctrl+j): it goes on to the next question as Enter does."""
    from kring.tui.evaluate_app import EvaluateApp

    app = EvaluateApp(store, open_evaluation(store, meeting_id), participant="Fatima", clock=clock, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "ctrl+j", "4", "ctrl+j", "7", "ctrl+j", "ctrl+j", "ctrl+j", *"ok", "ctrl+j", *"x")
        await pilot.pause()
        assert app.screen.collect() == {"roti": 3, "relevance": 4, "safety": 7, "top": "ok", "tip": "x"}


async def test_editing_keys_typed_fast_act_in_their_order(store, clock, meeting_id):
    """An answer brought back is selected as its box gets the focus; End then more letters,
    typed in one burst, go on after it, and backspace takes the letter before it."""
    from textual import events
    from textual.widgets import Input

    from kring.tui.evaluate_app import EvaluateApp

    app = EvaluateApp(store, open_evaluation(store, meeting_id), participant="Fatima", clock=clock, watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#answer-top").query_one(Input)
        box.value = "plan"  # as a journal brings it back
        for key in ["enter"] * 5 + ["end", "x", "y", "backspace", "z"]:
            app.post_message(events.Key(key, "\r" if key == "enter" else key if len(key) == 1 else None))
        await pilot.pause()
        assert box.value == "planxz"
