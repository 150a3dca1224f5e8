"""kring evaluate [ID]: the closing evaluation form for one participant."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("evaluate", parents=[common], help="fill in the closing evaluation")
    p.add_argument("id", nargs="?", type=int)
    p.add_argument("--as", dest="participant", default=None, help="your name as participant")
    p.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from kring.data.errors import InputError

    raise InputError("kring evaluate is not built yet")
