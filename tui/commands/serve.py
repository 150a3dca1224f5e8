"""kring serve [ID] [--host HOST] [--port PORT]: participants' pages in a browser."""

from __future__ import annotations

import argparse

from kring.tui.commands import config_of, open_store
from kring.tui import startgc
from kring.tui.output import say
from kring.data.i18n import _

DEFAULT_PORT = 8765
# As kring.data.weblink.TOKEN_BYTES (a test keeps the two equal; that module loads the store's libraries).
TOKEN_BYTES = 24


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common],
                       help=_("participants' pages: the live agenda and the evaluation in a browser"))
    p.add_argument("id", nargs="?", type=int, metavar=_("ID"), help=_("the meeting (default: the live one)"))
    p.add_argument("--host", default="127.0.0.1", metavar=_("HOST"),
                   help=_("the address to listen on (default: 127.0.0.1, this computer only; "
                        "give the room network's address to reach phones)"))
    p.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar=_("PORT"), help=_("default {port}; 0 picks a free port").format(port=DEFAULT_PORT))
    p.set_defaults(func=cmd_serve, paints_first=True, id_served=None)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a port number: {text!r}").format(text=text)) from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(_("a port is from 0 to 65535, got {value}").format(value=value))
    return value


def cmd_serve(args: argparse.Namespace) -> int:
    import sys

    def announce(url: str) -> None:
        say(url, flush=True)  # the one line on standard output: the link
        startgc.release()  # the door is open
        if sys.stderr.isatty():
            from kring.data.weblink import qr_text

            say(qr_text(url), end="", file=sys.stderr)
            say(_("kring serve: meeting {id}; ctrl+c stops").format(id=args.id_served), file=sys.stderr, flush=True)

    early = _listen_first(args)  # the link out before the store's libraries load
    if early is not None:
        sock, token, url = early
        import signal

        def stop(*_: object) -> None:
            raise KeyboardInterrupt  # asked to stop before the server took over its signals

        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, stop)
        announce(url)

        def said_already(served: str) -> None:
            if served != url:  # another process made the meeting's token meanwhile: this one holds
                announce(served)

        try:
            config_of(args).settings  # noqa: B018 - a setting kring cannot use ends it here, in one line
            return _serve(args, said_already, sock=sock, token=token)
        except KeyboardInterrupt:
            return 0  # stopped as asked; a browser still in the queue is turned away
        finally:
            sock.close()
    config_of(args).settings  # noqa: B018 - as main does for a command that does not paint first
    return _serve(args, announce)


def _serve(args: argparse.Namespace, announce, **first) -> int:  # noqa: ANN001, ANN003
    import asyncio

    from kring.data.core.clock import SystemClock
    from kring.data.meetings import resolve_meeting
    from kring.web.server import serve

    store = open_store(args)
    if first:  # the link is out: a meeting that closed since ends the server, as it would a moment later
        from kring.data.meetings import get_meeting

        if get_meeting(store, args.id_served).status != "live":
            return 0
    info = resolve_meeting(store, args.id_served or args.id, live_only=True)
    args.id_served = info.id
    asyncio.run(serve(store, info.id, args.host, args.port, SystemClock(), announce=announce, **first))
    return 0


def _listen_first(args: argparse.Namespace):  # noqa: ANN202 - (socket, token, link) or None
    """Listen and make the link from a quick read of the store (kring.tui.firstpaint): a
    browser that comes now waits in the socket's queue until the server takes it. None
    when the quick read is not sure or the host is a name (it may stand for several
    addresses, which the usual path binds each)."""
    import ipaddress
    import secrets
    import socket

    from kring.data.errors import InputError
    from kring.data.i18n import _
    from kring.tui.firstpaint import served_meeting

    try:
        address = ipaddress.ip_address(args.host)
    except ValueError:
        return None
    found = served_meeting(config_of(args).peek("db"), args.id)
    if found is None:
        return None
    _url, meeting_id, token = found
    token = token or secrets.token_urlsafe(TOKEN_BYTES)  # stored with the meeting once the store is open
    sock = socket.socket(socket.AF_INET6 if address.version == 6 else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((args.host, args.port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        raise InputError(_("cannot listen on {host}:{port}: {reason}").format(
            host=args.host, port=args.port, reason=exc.strerror or exc)) from None
    args.id_served = meeting_id
    shown_host = f"[{args.host}]" if ":" in args.host else args.host  # as kring.web.server.link
    return sock, token, f"http://{shown_host}:{sock.getsockname()[1]}/m/{token}"
