"""One module a command group; each has `register(subparsers, common)`."""

from __future__ import annotations

import argparse


def open_store(args: argparse.Namespace):  # noqa: ANN201
    from kring.data.store import Store

    return Store.open(getattr(args, "db", None))


def run_app(app) -> int:  # noqa: ANN001
    """Run a Textual app; afterwards say plainly if anything could not be saved."""
    import sys

    app.run()
    if app.outbox.waiting:
        print(f"kring: {app.outbox.waiting} change(s) could not be saved: {app.outbox.failing}", file=sys.stderr)
        return 1
    return 0
