"""kring history [--network NAME] [--search WORDS]: every meeting per network,
search across notes, the evaluation trend, and any meeting's report on screen."""

from __future__ import annotations

import argparse
from kring.data.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("history", parents=[common], help=_("browse past meetings, search notes, see the trend"))
    p.add_argument("--network", default=None, metavar=_("NETWORK"), help=_("start with this network's meetings"))
    p.add_argument("--search", default="", metavar=_("WORDS"), help=_("start with a search across notes"))
    p.set_defaults(func=cmd_history)


def cmd_history(args: argparse.Namespace) -> int:
    from kring.tui.commands import config_of, need_terminal, open_store

    need_terminal(config_of(args))  # a screen: without a terminal it would spin at full speed
    store = open_store(args)
    network_id = None
    if args.network:
        from kring.data.networks import network_id_by_name

        network_id = network_id_by_name(store, args.network)
    from kring.tui.history_app import HistoryApp

    HistoryApp(store, network=network_id, query=args.search, config=config_of(args)).run()
    return 0
