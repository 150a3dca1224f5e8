"""Running the participants' server until it is told to stop.

It binds only where asked, announces its link once it listens, records the
link in the store for the moderator's agenda, and stops cleanly on ctrl+c,
SIGTERM or SIGHUP: it stops taking new connections, lets the requests under
way finish (an answer is committed before the browser hears it is stored),
then empties the link in the store. It also stops by itself when the meeting
closes, since its token then opens nothing.
"""

from __future__ import annotations

import asyncio
import signal
import socket
from typing import Callable

from aiohttp import web

from kring.data.core.clock import Clock
from kring.data.errors import InputError
from kring.data.store import Store
from kring.data.weblink import record_served, token_for
from kring.web.app import KEY_STATE, Limits, make_app
from kring.data.i18n import _

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
SHUTDOWN_SECONDS = 10.0  # requests under way get this long to finish


def link(host: str, port: int, token: str) -> str:
    shown_host = f"[{host}]" if ":" in host else host
    return f"http://{shown_host}:{port}/m/{token}"


async def serve(store: Store, meeting_id: int, host: str, port: int, clock: Clock, *,
                announce: Callable[[str], None], limits: Limits | None = None,
                stop: asyncio.Event | None = None, sock: socket.socket | None = None,
                token: str | None = None) -> None:
    """`sock`: listening already (kring serve binds it and prints the link before the
    store's libraries load; connections wait in its queue until now); `token`: the
    meeting's token as that link has it (made now if the meeting has none yet)."""
    token = await asyncio.to_thread(token_for, store, meeting_id, clock, token)
    app = make_app(store, meeting_id, token, clock, limits)
    runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
    await runner.setup()
    try:
        site = web.SockSite(runner, sock) if sock is not None else web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            raise InputError(_("cannot listen on {host}:{port}: {reason}").format(host=host, port=port, reason=exc.strerror or exc)) from None
        bound = runner.addresses[0][1]
        url = link(host, bound, token)
        await asyncio.to_thread(record_served, store, token, url, clock)
        stop = stop or asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in STOP_SIGNALS:
            loop.add_signal_handler(sig, stop.set)
        announce(url)
        closed = asyncio.create_task(_meeting_closed(app, stop))
        try:
            await stop.wait()
        finally:
            closed.cancel()
            for sig in STOP_SIGNALS:
                loop.remove_signal_handler(sig)
        await asyncio.to_thread(record_served, store, token, "", clock)
    finally:
        await runner.cleanup()


async def _meeting_closed(app: web.Application, stop: asyncio.Event) -> None:
    """Set `stop` once the meeting has closed and its pages have been told."""
    follower = app[KEY_STATE].follower
    while True:
        await asyncio.sleep(1.0)
        if follower.view is not None and follower.view["state"] == "closed":
            await asyncio.sleep(2.0)  # the open pages hear it first
            stop.set()
            return
