"""kring notes [ID]: the note-taker's client that follows a live meeting."""

from __future__ import annotations

import argparse

from kring.tui.output import say


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("notes", parents=[common], help="take minutes that follow a live meeting")
    p.add_argument("id", nargs="?", type=int, help="the meeting (default: the latest live one)")
    p.add_argument("--as", dest="author", default=None, metavar="NAME",
                   help="your name as note-taker (default: your login name)")
    p.set_defaults(func=cmd_notes)


def cmd_notes(args: argparse.Namespace) -> int:
    import os

    from kring.data.meetings import resolve_meeting
    from kring.data.notes import clean_author
    from kring.tui.commands import config_of, open_store, run_app

    author = clean_author(args.author if args.author is not None else (os.environ.get("USER") or "notulist"))
    store = open_store(args)
    info = resolve_meeting(store, args.id, live_only=True)
    from kring.tui.notes_app import NotesApp

    app = NotesApp(store, info.id, author=author, config=config_of(args))
    code = run_app(app)
    rescued = app.rescue_unsaved()
    if rescued is not None:
        import sys

        from kring.data.i18n import _

        say(_("kring: nothing is lost: the unsaved notes are in {file}").format(file=rescued), file=sys.stderr)
    return code
