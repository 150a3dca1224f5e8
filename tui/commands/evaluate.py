"""kring evaluate [ID] [--as NAME]: the closing evaluation form for one participant."""

from __future__ import annotations

import argparse
import os

from kring.tui.commands import config_of, run_app
from kring.tui.output import say
from kring.data.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("evaluate", parents=[common], help=_("fill in the closing evaluation"))
    p.add_argument("id", nargs="?", type=int, metavar=_("ID"), help=_("the meeting (default: the latest)"))
    p.add_argument("--as", dest="participant", default=None, metavar=_("PARTICIPANT"), help=_("your name as participant"))
    p.set_defaults(func=cmd_evaluate, paints_first=True)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from kring.tui.commands import need_terminal
    from kring.tui.evaluate_app import EvaluateApp

    config = config_of(args)
    first = form = None
    if args.participant is not None and os.environ.get("KRING_QUICK_EVALUATE") != "0":
        # A participant with their name given sees the form's top at once, from a quick
        # read and the form cache; the store opens after (kring.tui.firstform), and every
        # key waits for the full form. KRING_QUICK_EVALUATE=0 takes the usual path (tests).
        from kring.tui.firstform import read_form
        from kring.tui.firstpaint import read

        first = read(config.peek("db"), meeting_id=args.id, closed_too=True)
        form = read_form(first, args.participant) if first is not None else None
    if first is not None and form is not None:
        need_terminal(config)
        app = EvaluateApp(None, None, participant=args.participant, first_paint=first, first_form=form,
                          config=config)
    else:
        from kring.data.meetings import resolve_meeting
        from kring.tui.commands import open_store

        config.settings  # noqa: B018 - a setting kring cannot use is said before anything starts
        store = open_store(args)
        # the latest meeting, live or just closed: people often fill in the form afterwards
        info = resolve_meeting(store, args.id)
        from kring.data.evaluation import evaluation_for

        context, participant = evaluation_for(store, info.id, args.participant)
        app = EvaluateApp(store, context, participant=participant, config=config)
    status = run_app(app)
    if app.open_error is not None:
        raise app.open_error  # said as the usual path says it (exit 2)
    result = app.return_value
    if result is not None:
        say(_("Thank you, {name}: your answers are stored.").format(name=result.participant))
    return status
