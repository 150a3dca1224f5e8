"""kring notes [ID]: the note-taker's client that follows a live meeting."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("notes", parents=[common], help="take minutes that follow a live meeting")
    p.add_argument("id", nargs="?", type=int)
    p.add_argument("--as", dest="author", default=None, help="your name as note-taker")
    p.set_defaults(func=cmd_notes)


def cmd_notes(args: argparse.Namespace) -> int:
    from kring.data.errors import InputError

    raise InputError("kring notes is not built yet")
