"""`kring report [ID] --mail-to ADDRESS|network … --smtp HOST:PORT [--mail-from A] [--smtp-user U]`

The report goes to every address in one message (kring.data.mail). The SMTP
server, user and sender given once are remembered in the user's config file
(its `[smtp]` table); the password only ever comes from KRING_SMTP_PASSWORD.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from kring.data.errors import InputError

PASSWORD_ENV = "KRING_SMTP_PASSWORD"


def add_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mail-to", action="append", default=[], metavar="ADDRESS",
                   help="mail the report to this address (repeatable; 'network': every member with an address)")
    p.add_argument("--smtp", default=None, metavar="HOST:PORT", help="the SMTP server (remembered)")
    p.add_argument("--mail-from", default=None, metavar="ADDRESS",
                   help="the sender (remembered; default: your login at this host)")
    p.add_argument("--smtp-user", default=None, metavar="USER",
                   help=f"log in as USER (remembered); the password comes from ${PASSWORD_ENV}")


# --- remembered settings: the one place to read them from the settings object once it holds them -----


def _config_file() -> Path:
    import platformdirs

    folder = os.environ.get("KRING_CONFIG_DIR") or platformdirs.user_config_dir("kring", appauthor=False)
    return Path(folder) / "config.toml"


def remembered() -> dict[str, Any]:
    """host, port, user and from as the user's config file keeps them, with KRING_SMTP_… over them."""
    import tomllib

    try:
        data = tomllib.loads(_config_file().read_text(encoding="utf-8-sig")).get("smtp") or {}
    except FileNotFoundError:
        data = {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{_config_file()}: cannot read the config file ({str(exc).splitlines()[0]})") from None
    out = {k: data[k] for k in ("host", "port", "user", "from") if k in data}
    for key in ("host", "port", "user", "from"):
        value = os.environ.get(f"KRING_SMTP_{key.upper()}", "").strip()
        if value:
            out[key] = value
    return out


def remember(values: dict[str, Any]) -> None:
    """Keep what was given in the config file's [smtp] table, the rest of the file as it was."""
    import tomllib

    import tomli_w

    from kring.data.files import write_private

    path = _config_file()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        data = {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # a file kring cannot read is not overwritten: the next mail asks for the options again
    smtp = dict(data.get("smtp") or {})
    if all(smtp.get(k) == v for k, v in values.items()):
        return
    smtp.update(values)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_private(path, tomli_w.dumps({**data, "smtp": smtp}))


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
    from kring.data.i18n import _
    from kring.data.mail import SmtpServer, build_message, parse_server, record_mailed, send
    from kring.data.networks import check_email
    from kring.data.report import build_report

    if args.include_confidential:
        raise InputError("--include-confidential cannot go with --mail-to: confidential notes never go by mail")
    to = recipients(args, store, meeting_id)
    known = remembered()
    server_text = args.smtp or (f"{known['host']}:{known.get('port', 587)}" if known.get("host") else "")
    if not server_text:
        raise InputError("--mail-to: say which SMTP server sends it with --smtp HOST:PORT (it is remembered)")
    host, port = parse_server(server_text)
    user = (args.smtp_user if args.smtp_user is not None else known.get("user")) or ""
    password = os.environ.get(PASSWORD_ENV, "")
    if user and not password:
        raise InputError(f"--smtp-user {user}: set the password in the environment variable {PASSWORD_ENV}")
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
    remember(given)
    return _("Report of meeting {id} mailed to {count} addresses: {subject}").format(
        id=meeting_id, count=len(to), subject=msg["Subject"])
