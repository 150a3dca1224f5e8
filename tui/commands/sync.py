"""kring sync --to URL · --from URL NET: a laptop's meetings and the central store."""

from __future__ import annotations

import argparse
import sys

from kring.tui.commands import open_store
from kring.tui.output import say
from kring.data.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sync", parents=[common], help=_("push this store's meetings to a central store, or pull a "
                                                      "network down from it"))
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--to", metavar="URL", help=_("the central store: push every meeting of this store to it"))
    how.add_argument("--from", dest="source", metavar="URL",
                     help=_("the central store: pull the network NET (members, open actions) down from it"))
    p.add_argument("network", nargs="?", metavar=_("NET"), help=_("with --from: the network to pull"))
    p.set_defaults(func=cmd_sync)


def _added(report) -> str:  # noqa: ANN001
    from kring.data.i18n import _

    names = {"meeting": _("meetings"), "event": _("events"), "note": _("notes"),
             "note_revision": _("note revisions"), "evaluation_response": _("evaluation answers"),
             "participant": _("participants"), "network": _("networks"), "member": _("members"),
             "learning_question": _("learning questions"), "evaluation_receipt": _("evaluation receipts"),
             "planned_meeting": _("planned meetings")}
    parts = [f"{n} {names[k]}" for k, n in report.added.items() if n]
    return ", ".join(parts) if parts else _("nothing new")


def cmd_sync(args: argparse.Namespace) -> int:
    from kring.data.errors import InputError, StoreError
    from kring.data.i18n import _
    from kring.data.store import _display
    from kring.data.sync import open_central, pull, push, sync_failure

    if args.to is not None and args.network:
        raise InputError(_("sync --to pushes every meeting; name a network only with --from URL NET"))
    if args.source is not None and not args.network:
        raise InputError(_("sync --from: name the network to pull (kring sync --from URL NET)"))
    local = open_store(args)
    url = args.to if args.to is not None else args.source
    central = open_central(url, what="sync")
    if central.url == local.url:
        raise InputError(_("sync: the central store is this store itself"))
    done = [0, 0]
    try:
        if args.to is not None:
            report = push(local, central, progress=lambda n, total: done.__setitem__(slice(0, 2), [n, total]))
            say(_("{count} meeting(s) pushed to {url}: {added}.").format(
                count=report.meetings, url=_display(central.url), added=_added(report)))
        else:
            report = pull(central, local, args.network)
            say(_("Network '{network}' pulled from {url}: {added}.").format(
                network=args.network, url=_display(central.url), added=_added(report)))
    except (InputError, StoreError):
        raise
    except Exception as exc:  # noqa: BLE001 - a database's refusal or a lost connection, said in one line
        raise sync_failure(exc, done[0], done[1]) from None
    for text in report.conflicts:
        say("kring: " + _("warning") + ": " + _(
            "this note was changed in both stores; both versions are kept in its history: {text}").format(
            text=text[:70]), file=sys.stderr)
    return 0
