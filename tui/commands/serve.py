"""kring serve [ID] [--host HOST] [--port PORT]: participants' pages in a browser."""

from __future__ import annotations

import argparse

from kring.tui.commands import open_store
from kring.tui.output import say

DEFAULT_PORT = 8765


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common],
                       help="participants' pages: the live agenda and the evaluation in a browser")
    p.add_argument("id", nargs="?", type=int, help="the meeting (default: the live one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default: 127.0.0.1, this computer only; "
                        "give the room network's address to reach phones)")
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 picks a free port")
    p.set_defaults(func=cmd_serve)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is from 0 to 65535, got {value}")
    return value


def cmd_serve(args: argparse.Namespace) -> int:
    import asyncio
    import sys

    from kring.data.core.clock import SystemClock
    from kring.data.meetings import resolve_meeting
    from kring.data.weblink import qr_text
    from kring.web.server import serve

    store = open_store(args)
    info = resolve_meeting(store, args.id, live_only=True)

    def announce(url: str) -> None:
        say(url, flush=True)  # the one line on standard output: the link
        if sys.stderr.isatty():
            say(qr_text(url), end="", file=sys.stderr)
            say(f"kring serve: meeting {info.id}; ctrl+c stops", file=sys.stderr, flush=True)

    asyncio.run(serve(store, info.id, args.host, args.port, SystemClock(), announce=announce))
    return 0
