"""`kring report [ID] --mail-to ADDRESS|network … --smtp HOST:PORT [--mail-from A] [--smtp-user U]`

The report goes to every address in one message (kring.data.mail). The SMTP
server, user and sender given once are remembered in the user's config file
(its `[smtp]` table); the password only ever comes from KRING_SMTP_PASSWORD.
"""

from __future__ import annotations

import argparse
from typing import Any

from kring.data.errors import InputError
from kring.data.i18n import _

PASSWORD_ENV = "KRING_SMTP_PASSWORD"


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mail-to", action="append", default=[], metavar=_("ADDRESS"),
                   help=_("mail the report to this address (repeatable; 'network': every member with an address)"))
    p.add_argument("--smtp", default=None, metavar=_("HOST:PORT"), help=_("the SMTP server (remembered)"))
    p.add_argument("--mail-from", default=None, metavar=_("ADDRESS"),
                   help=_("the sender (remembered; default: your login at this host)"))
    p.add_argument("--smtp-user", default=None, metavar=_("USER"),
                   help=_("log in as USER (remembered); the password comes from ${variable}").format(
                       variable=PASSWORD_ENV))


# --- remembered settings: the settings object's [smtp], written back through the config ----------------


def remembered(args: argparse.Namespace) -> dict[str, Any]:
    """host, port, user, from and the password as the settings have them (KRING_SMTP_… over config.toml)."""
    from kring.tui.commands import config_of

    smtp = config_of(args).settings.smtp
    out: dict[str, Any] = {"port": smtp.port}
    for key, value in (("host", smtp.host), ("user", smtp.user), ("from", smtp.sender)):
        if value:
            out[key] = value
    out["password"] = smtp.password.get_secret_value() if smtp.password is not None else ""
    return out


def remember(args: argparse.Namespace, values: dict[str, Any]) -> None:
    """Keep what was given in the config file's [smtp] table, with what it held already."""
    from kring.tui.commands import config_of

    config = config_of(args)
    smtp = dict(config.file.get("smtp") or {})
    if all(smtp.get(k) == v for k, v in values.items()):
        return
    config.remember(smtp={**smtp, **values})


def default_sender() -> str:
    """The user's login at this host."""
    import getpass
    import socket

    return f"{getpass.getuser()}@{socket.getfqdn()}"


# --- mailing ----------------------------------------------------------------------------------------------


def recipients(args: argparse.Namespace, store: Any, meeting_id: int) -> list[str]:
    from kring.data.mail import check_addresses, network_addresses

    given: list[str] = []
    for value in args.mail_to:
        if value.strip().casefold() == "network":
            given += network_addresses(store, meeting_id)
        else:
            given += [part for part in value.replace(";", ",").split(",") if part.strip()]
    return check_addresses(given)


def mail_report(args: argparse.Namespace, store: Any, meeting_id: int) -> str:
    """Send the meeting's report (never its confidential notes); the line to print when it went."""
    from kring.data.core.clock import SystemClock
    from kring.data.i18n import _, ngettext
    from kring.data.mail import SmtpServer, build_message, parse_server, record_mailed, send
    from kring.data.networks import check_email
    from kring.data.report import build_report

    if args.include_confidential:
        raise InputError(_("--include-confidential cannot go with --mail-to: confidential notes never go by mail"))
    to = recipients(args, store, meeting_id)
    known = remembered(args)
    server_text = args.smtp or (f"{known['host']}:{known.get('port', 587)}" if known.get("host") else "")
    if not server_text:
        raise InputError(_("--mail-to: say which SMTP server sends it with --smtp HOST:PORT (it is remembered)"))
    host, port = parse_server(server_text)
    user = (args.smtp_user if args.smtp_user is not None else known.get("user")) or ""
    password = known["password"]
    if user and not password:
        raise InputError(_("--smtp-user {user}: set the password in the environment variable {password_env}").format(user=user, password_env=PASSWORD_ENV))
    sender = check_email(args.mail_from or known.get("from") or "") or default_sender()

    report = build_report(store, meeting_id, include_confidential=False)
    msg = build_message(report, sender, to)
    send(msg, SmtpServer(host, port, user, password))
    record_mailed(store, meeting_id, SystemClock().now(), len(to), str(msg["Subject"]))
    given = {"host": host, "port": port}
    if args.smtp_user is not None:
        given["user"] = args.smtp_user
    if args.mail_from:
        given["from"] = sender
    remember(args, given)
    return ngettext("Report of meeting {id} mailed to {count} address: {subject}",
                    "Report of meeting {id} mailed to {count} addresses: {subject}", len(to)).format(
        id=meeting_id, count=len(to), subject=msg["Subject"])
