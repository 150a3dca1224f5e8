"""kring network share · unshare: a facilitator's database role and its networks (PostgreSQL)."""

from __future__ import annotations

import argparse

from kring.tui.commands import open_store
from kring.tui.output import say
from kring.data.i18n import _


def register(nsub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Adds its commands to `kring network`."""
    for name, func, help_text in (
        ("share", cmd_share, "on PostgreSQL: let a facilitator's database role see and use one network"),
        ("unshare", cmd_unshare, "on PostgreSQL: take a network away from a database role"),
    ):
        q = nsub.add_parser(name, parents=[common], help=help_text)
        q.add_argument("name", help=_("the network"))
        q.add_argument("--with", dest="role", required=True, metavar="ROLE", help=_("the PostgreSQL role"))
        q.set_defaults(func=func)


def _say(done, yes: str, no: str) -> None:  # noqa: ANN001
    from kring.data.i18n import _

    say((yes if done.changed else no).format(network=done.network, role=done.role))
    say(_("Roles with access to '{network}': {roles}").format(
        network=done.network, roles=", ".join(done.roles) or _("none (only the store's owner)")))


def cmd_share(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.share import needs_postgresql, share_network

    store = open_store(args)
    needs_postgresql(store, "network share")
    _say(share_network(store, args.name, args.role), _("Network '{network}' is now shared with role '{role}'."),
         _("Network '{network}' was already shared with role '{role}'."))
    return 0


def cmd_unshare(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.share import needs_postgresql, unshare_network

    store = open_store(args)
    needs_postgresql(store, "network unshare")
    _say(unshare_network(store, args.name, args.role), _("Network '{network}' is no longer shared with role '{role}'."),
         _("Network '{network}' was not shared with role '{role}'."))
    return 0
