"""kring evaluate [ID] [--as NAME]: the closing evaluation form for one participant."""

from __future__ import annotations

import argparse

from kring.tui.commands import config_of, open_store, run_app
from kring.tui.output import say
from kring.data.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("evaluate", parents=[common], help=_("fill in the closing evaluation"))
    p.add_argument("id", nargs="?", type=int, help=_("the meeting (default: the latest)"))
    p.add_argument("--as", dest="participant", default=None, help=_("your name as participant"))
    p.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from kring.data.errors import InputError
    from kring.data.evaluation import open_evaluation, resolve_participant
    from kring.data.i18n import _
    from kring.data.meetings import resolve_meeting

    store = open_store(args)
    # the latest meeting, live or just closed: people often fill in the form afterwards
    info = resolve_meeting(store, args.id)
    context = open_evaluation(store, info.id)
    if not context.participants:
        raise InputError(_("meeting {id} has no participants to evaluate").format(id=info.id))
    participant = None
    if args.participant is not None:
        participant = resolve_participant(context.participants, args.participant)
        if participant in context.answered:
            raise InputError(_("{participant} has already filled in the evaluation of meeting {id}").format(participant=participant, id=info.id))
    elif not context.waiting:
        raise InputError(_("everyone has already filled in the evaluation of meeting {id}").format(id=info.id))

    from kring.tui.evaluate_app import EvaluateApp

    app = EvaluateApp(store, context, participant=participant, config=config_of(args))
    status = run_app(app)
    result = app.return_value
    if result is not None:
        say(_("Thank you, {name}: your answers are stored.").format(name=result.participant))
    return status
