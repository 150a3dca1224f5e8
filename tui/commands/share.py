"""kring network share · unshare: a facilitator's database role and its networks (PostgreSQL)."""

from __future__ import annotations

import argparse

from kring.tui.commands import open_store
from kring.tui.output import say
from kring.data.i18n import N_, _


def register(nsub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds its commands to `kring network`."""
    for name, func, help_text in (
        ("share", cmd_share, N_("on PostgreSQL: let a facilitator's database role see and use one network")),
        ("unshare", cmd_unshare, N_("on PostgreSQL: take a network away from a database role")),
    ):
        q = nsub.add_parser(name, parents=[common], help=_(help_text))
        q.add_argument("name", metavar=_("NAME"), help=_("the network"))
        q.add_argument("--with", dest="role", required=True, metavar=_("ROLE"), help=_("the PostgreSQL role"))
        q.set_defaults(func=func)


def cmd_share(args: argparse.Namespace) -> int:
    from kring.data.share import share_network

    return _change(args, "network share", share_network, _("Network '{network}' is now shared with role '{role}'."),
                   _("Network '{network}' was already shared with role '{role}'."))


def cmd_unshare(args: argparse.Namespace) -> int:
    from kring.data.share import unshare_network

    return _change(args, "network unshare", unshare_network,
                   _("Network '{network}' is no longer shared with role '{role}'."),
                   _("Network '{network}' was not shared with role '{role}'."))


def _change(args: argparse.Namespace, command: str, change, changed: str, unchanged: str) -> int:  # noqa: ANN001
    """Share or unshare (`change`) the network with the role; say which, and who now has access."""
    from kring.data.share import needs_postgresql

    store = open_store(args)
    needs_postgresql(store, command)
    done = change(store, args.name, args.role)
    say((changed if done.changed else unchanged).format(network=done.network, role=done.role))
    say(_("Roles with access to '{network}': {roles}").format(
        network=done.network, roles=", ".join(done.roles) or _("none (only the store's owner)")))
    return 0
