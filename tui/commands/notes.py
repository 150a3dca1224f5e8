"""kring notes [ID]: the note-taker's client that follows a live meeting."""

from __future__ import annotations

import argparse

from kring.tui.output import say
from kring.data.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("notes", parents=[common], help=_("take minutes that follow a live meeting"))
    p.add_argument("id", nargs="?", type=int, metavar=_("ID"), help=_("the meeting (default: the latest live one)"))
    p.add_argument("--as", dest="author", default=None, metavar=_("NAME"),
                   help=_("your name as note-taker (default: your login name)"))
    p.set_defaults(func=cmd_notes, paints_first=True)


def cmd_notes(args: argparse.Namespace) -> int:
    import os

    from kring.data.core.given import clean_author, draft_key
    from kring.tui.commands import config_of, need_terminal, run_app

    author = clean_author(args.author if args.author is not None else (os.environ.get("USER") or "notulist"))
    from kring.tui.firstpaint import draft_waiting, read

    # The note-taker types at once: the screen paints before the store's libraries
    # load, unless a draft waits to come back (then the store weighs it first).
    first = read(config_of(args).peek("db"), meeting_id=args.id)
    if first is not None and draft_waiting(first, draft_key(author, "notulist")):
        first = None
    from kring.tui.notes_app import NotesApp

    if first is not None:
        need_terminal(config_of(args))
        app = NotesApp(None, first.meeting.id, author=author, config=config_of(args), first_paint=first)
    else:
        from kring.data.meetings import resolve_meeting
        from kring.tui.commands import open_store

        config_of(args).settings  # noqa: B018 - a setting kring cannot use is said before anything starts
        store = open_store(args)
        info = resolve_meeting(store, args.id, live_only=True)
        app = NotesApp(store, info.id, author=author, config=config_of(args))
    code = run_app(app)
    if app.open_error is not None:
        raise app.open_error  # said as the usual path says it (exit 2 for a store that will not open)
    rescued = app.rescue_unsaved()
    if rescued is not None:
        import sys

        from kring.data.i18n import _

        say(_("kring: nothing is lost: the unsaved notes are in {file}").format(file=rescued), file=sys.stderr)
    return code
