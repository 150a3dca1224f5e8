"""The report goes round by mail: one message, the Markdown as its plain-text part
and the self-contained HTML report as its HTML part (Python's email and smtplib).

STARTTLS whenever the server offers it; a password is never sent over a plain
connection except to this machine's own server. Whatever goes wrong (the
server cannot be reached, refuses the login, refuses an address) is one line,
a MailError, and the meeting is not marked as mailed. A mail that went is
recorded in the meeting's log (`report_mailed`: how many addresses, the
subject), never the addresses themselves.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Iterable

from kring.data.core.events import EventKind
from kring.data.core.textgate import shown
from kring.data.errors import InputError
from kring.data.networks import check_email
from kring.data.store import Store
from kring.data.i18n import _

MAILED = EventKind.REPORT_MAILED
TIMEOUT_SECONDS = 20
LOOPBACK = ("localhost", "127.0.0.1", "::1")


class MailError(InputError):
    """The mail did not go: one line that says why."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int = 587
    user: str = ""
    password: str = ""

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def parse_server(text: str) -> tuple[str, int]:
    """'HOST:PORT' (or HOST alone: port 587, the submission port)."""
    value = (text or "").strip()
    host, sep, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    if not sep:
        host, port = value, "587"
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(_("--smtp '{value}': give the server as HOST:PORT, e.g. smtp.example.org:587").format(value=value))
    return host, int(port)


def check_addresses(addresses: Iterable[str]) -> list[str]:
    """Every address checked (one line for the first that is not one), repeats left out."""
    out: list[str] = []
    for raw in addresses:
        address = check_email(raw)
        if address and address.casefold() not in {a.casefold() for a in out}:
            out.append(address)
    return out


def subject_of(report: dict[str, Any]) -> str:
    from kring.data.labels import date_short

    session = report["session"]
    moment = session.get("started_at") or session.get("created_at")
    import pendulum

    when = date_short(pendulum.parse(moment)) if moment else ""
    return shown(_("Report: {title} ({date})").format(title=session["title"], date=when)).replace("\n", " ")


def build_message(report: dict[str, Any], sender: str, recipients: list[str]) -> EmailMessage:
    """One message: text/plain (the Markdown) and text/html (the report), the subject 'Verslag: title (date)'."""
    from kring.data.report import render_html, render_md

    msg = EmailMessage()
    msg["Subject"] = subject_of(report)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "kring")
    msg.set_content(render_md(report), subtype="plain", charset="utf-8")
    msg.add_alternative(render_html(report), subtype="html", charset="utf-8")
    return msg


def send(msg: EmailMessage, server: SmtpServer) -> None:
    """Deliver through `server`: STARTTLS when offered, then the login when a user is given."""
    try:
        with smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            elif server.user and server.host not in LOOPBACK:
                raise MailError(_("the SMTP server {where} offers no STARTTLS: kring does not send your password over an "
                                  "unencrypted connection").format(where=server.where))
            if server.user:
                smtp.login(server.user, server.password)
            _deliver(smtp, msg)
    except MailError:
        raise
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(_("the SMTP server {where} refused the login of '{user}' ({said}); check --smtp-user "
                          "and KRING_SMTP_PASSWORD").format(where=server.where, user=server.user, said=_said(exc.smtp_code, exc.smtp_error))
                        ) from None
    except smtplib.SMTPNotSupportedError:
        raise MailError(_("the SMTP server {where} offers no login; leave out --smtp-user").format(where=server.where)) from None
    except smtplib.SMTPRecipientsRefused as exc:
        refused = ", ".join(f"{a} ({_said(*why)})" for a, why in exc.recipients.items())
        raise MailError(_("the SMTP server {where} refused the address {refused}; nothing was sent").format(where=server.where, refused=refused)
                        ) from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(_("the SMTP server {where} refused the sender {sender} ({said}); set --mail-from").format(where=server.where, sender=exc.sender, said=_said(exc.smtp_code, exc.smtp_error))) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(_("the SMTP server {where} said {said}").format(where=server.where, said=_said(exc.smtp_code, exc.smtp_error))) from None
    except ssl.SSLError as exc:
        raise MailError(_("STARTTLS with {where} failed ({reason})").format(where=server.where, reason=exc.reason or exc)) from None
    except (smtplib.SMTPException, OSError) as exc:  # refused, unknown host, timed out, hung up
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        if isinstance(exc, socket.timeout):
            reason = f"no answer in {TIMEOUT_SECONDS} s"
        raise MailError(_("cannot reach the SMTP server {where} ({reason}); nothing was sent").format(where=server.where, reason=reason)) from None


def _deliver(smtp: smtplib.SMTP, msg: EmailMessage) -> None:
    """All addresses or none: one the server refuses stops the message before its data is sent
    (smtplib's send_message would send it to the others)."""
    sender = msg["From"]
    to = [a.strip() for a in str(msg["To"]).split(",") if a.strip()]
    code, said = smtp.mail(sender)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, said, sender)
    refused = {}
    for address in to:
        code, said = smtp.rcpt(address)
        if code not in (250, 251):
            refused[address] = (code, said)
    if refused:
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, said = smtp.data(msg.as_bytes(policy=msg.policy.clone(linesep="\r\n")))  # SMTP's line ends
    if code != 250:
        raise smtplib.SMTPDataError(code, said)


def _said(code: Any, text: Any) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return shown(f"{code} {text}".splitlines()[0] if text else str(code)).strip()


def record_mailed(store: Store, meeting_id: int, at: Any, count: int, subject: str) -> None:
    from kring.data.meetings import append_event

    append_event(store, meeting_id, MAILED, at, {"recipients": count, "subject": subject}, origin="report")


def mailed(store: Store, meeting_id: int) -> list[dict[str, Any]]:
    """When the meeting's report was mailed, and to how many addresses."""
    from kring.data.meetings import load_events

    return [{"at": e.at, **e.data} for e in load_events(store, meeting_id) if e.kind == MAILED]


def network_addresses(store: Store, meeting_id: int) -> list[str]:
    """The addresses of the members of the meeting's network (`--mail-to network`)."""
    from sqlmodel import col, select

    from kring.data.models import Meeting, Member

    with store.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None or meeting.network_id is None:
            raise InputError(_("--mail-to network: meeting {meeting_id} belongs to no network").format(meeting_id=meeting_id))
        rows = s.exec(select(Member.email).where(Member.network_id == meeting.network_id)
                      .order_by(col(Member.seat), col(Member.id))).all()
    found = [r for r in rows if r]
    if not found:
        raise InputError(_("--mail-to network: no member of the network has an e-mail address (add them with: kring "
                           "network edit)"))
    return found
