"""`kring report --mail-to`: through a real SMTP server (aiosmtpd) started here, and what arrived read back.
A refused login, an unreachable server and a refused or malformed address are one line, exit 2, and the
meeting is not marked as mailed."""

from __future__ import annotations

import argparse
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from kring.data.mail import mailed
from kring.data.report import render_md
from kring.data.report import build_report
from tests.cli_helpers import one_line_error, run
from tests.test_network import add_note, close
from tests.test_network_cli import NET, make

# the login tests' server takes AUTH without TLS, on this machine only
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SECRET = "Meneer K. vertelde over zijn zoon in de gevangenis"
ADDRESSES = ["anouk@example.org", "bram@example.org", "fatima@example.org", "joris@example.org",
             "lotte@example.org"]


class Inbox:
    """An aiosmtpd handler that keeps what arrived and refuses addresses at nergens.invalid."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        if address.endswith("@nergens.invalid"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"coord", b"geheim")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.where = f"127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_login():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=_login,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    inbox.where = f"127.0.0.1:{controller.port}"
    yield inbox
    controller.stop()


@pytest.fixture
def meeting(capsys, db, clock):
    """A closed meeting of the network, with a decision, an action and a confidential note."""
    from kring.data.store import Store
    from kring.tui.commands.network import prepare_network_meeting

    make(capsys)
    args = argparse.Namespace(network=NET, werkvorm=None, role=[], title=None, place="Buurthuis", participant=[],
                              db=None)
    store, meeting_id = prepare_network_meeting(args, clock)
    add_note(store, meeting_id, "decision", "We werken met vaste duo's", clock)
    add_note(store, meeting_id, "action", "Bel de wijkagent", clock, owner="Bram Jansen", due="2026-12-04")
    add_note(store, meeting_id, "note", SECRET, clock, confidential=True)
    close(store, meeting_id, clock)
    store.close()
    store = Store(f"sqlite:///{db}")
    yield store, meeting_id
    store.close()


def arrived(inbox) -> email.message.EmailMessage:
    [envelope] = inbox.envelopes
    return email.message_from_bytes(envelope.content, policy=policy.default)


def test_the_report_arrives_as_text_and_html_without_confidential_notes(capsys, smtp, meeting):
    store, meeting_id = meeting
    code, out, err = run(capsys, "report", str(meeting_id), "--mail-to", "network", "--smtp", smtp.where,
                         "--mail-from", "coordinator@example.org")
    assert code == 0 and not err, err
    assert "gemaild naar 5 adressen" in out
    msg = arrived(smtp)
    [envelope] = smtp.envelopes
    assert sorted(envelope.rcpt_tos) == sorted(a.replace("example.org", "example.org") for a in ADDRESSES)
    assert envelope.mail_from == "coordinator@example.org" and msg["From"] == "coordinator@example.org"
    assert msg["Subject"] == "Verslag: Wijkzorg Utrecht: bijeenkomst 1 (20 nov. 2026)"
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    expected = render_md(build_report(store, meeting_id))
    assert plain.replace("\r\n", "\n").rstrip() == expected.rstrip()
    assert "<html" in html and "We werken met vaste duo" in html and "Bel de wijkagent" in plain
    for text in (plain, html, envelope.content.decode("utf-8", "replace")):
        assert "gevangenis" not in text and "Meneer K." not in text
    [sent] = mailed(store, meeting_id)
    assert sent["recipients"] == 5 and sent["subject"] == msg["Subject"]


def test_the_server_and_sender_are_remembered(capsys, smtp, meeting, tmp_path):
    import tomllib

    store, meeting_id = meeting
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('theme = "kring-light"\n')
    code, _, err = run(capsys, "report", str(meeting_id), "--mail-to", "anouk@example.org", "--smtp", smtp.where,
                       "--mail-from", "coordinator@example.org")
    assert code == 0, err
    kept = tomllib.loads(config.read_text())
    host, port = smtp.where.split(":")
    assert kept == {"theme": "kring-light", "smtp": {"host": host, "port": int(port), "from": "coordinator@example.org"}}
    code, out, err = run(capsys, "report", str(meeting_id), "--mail-to", "bram@example.org")  # no --smtp now
    assert code == 0 and "gemaild naar 1 adres:" in out, err
    assert [e.rcpt_tos for e in smtp.envelopes] == [["anouk@example.org"], ["bram@example.org"]]
    assert arrived_all(smtp)[1]["From"] == "coordinator@example.org"
    assert len(mailed(store, meeting_id)) == 2


def arrived_all(inbox):
    return [email.message_from_bytes(e.content, policy=policy.default) for e in inbox.envelopes]


def test_login_with_the_password_from_the_environment(capsys, smtp_login, meeting, monkeypatch):
    store, meeting_id = meeting
    monkeypatch.setenv("KRING_SMTP_PASSWORD", "geheim")
    code, _, err = run(capsys, "report", str(meeting_id), "--mail-to", "anouk@example.org", "--smtp",
                       smtp_login.where, "--smtp-user", "coord")
    assert code == 0, err
    assert len(smtp_login.envelopes) == 1 and len(mailed(store, meeting_id)) == 1


def test_a_refused_login_is_one_line_and_nothing_is_marked(capsys, smtp_login, meeting, monkeypatch, english):
    store, meeting_id = meeting
    monkeypatch.setenv("KRING_SMTP_PASSWORD", "fout")
    code, out, err = run(capsys, "report", str(meeting_id), "--mail-to", "anouk@example.org", "--smtp",
                         smtp_login.where, "--smtp-user", "coord")
    assert code == 2 and not out
    line = one_line_error(err)
    assert "refused the login of 'coord'" in line and "535" in line and "fout" not in line
    assert smtp_login.envelopes == [] and mailed(store, meeting_id) == []


def test_an_unreachable_server_is_one_line_and_nothing_is_marked(capsys, meeting, english):
    store, meeting_id = meeting
    port = free_port()  # nothing listens there
    code, out, err = run(capsys, "report", str(meeting_id), "--mail-to", "anouk@example.org", "--smtp",
                         f"127.0.0.1:{port}")
    assert code == 2 and not out
    assert f"cannot reach the SMTP server 127.0.0.1:{port}" in one_line_error(err)
    assert mailed(store, meeting_id) == []


def test_an_address_the_server_refuses_is_one_line_and_nothing_is_marked(capsys, smtp, meeting, english):
    store, meeting_id = meeting
    code, out, err = run(capsys, "report", str(meeting_id), "--mail-to", "anouk@example.org", "--mail-to",
                         "piet@nergens.invalid", "--smtp", smtp.where)
    assert code == 2 and not out
    line = one_line_error(err)
    assert "refused the address piet@nergens.invalid" in line and "550" in line
    assert smtp.envelopes == [] and mailed(store, meeting_id) == []


@pytest.mark.parametrize("argv, words", [
    (["--mail-to", "geen-adres"], "'geen-adres' is not an e-mail address"),
    (["--mail-to", "anouk@example.org", "--include-confidential"], "confidential notes never go by mail"),
    (["--mail-to", "anouk@example.org", "--smtp", "host:poort"], "HOST:PORT"),
    (["--mail-to", "anouk@example.org", "--smtp-user", "coord"], "KRING_SMTP_PASSWORD"),
    (["--mail-to", "anouk@example.org", "--mail-from", "ik"], "'ik' is not an e-mail address"),
])
def test_bad_mail_options_are_one_line_before_anything_is_sent(capsys, smtp, meeting, argv, words, monkeypatch, english):
    store, meeting_id = meeting
    monkeypatch.delenv("KRING_SMTP_PASSWORD", raising=False)
    argv = argv if "--smtp" in argv else [*argv, "--smtp", smtp.where]
    code, out, err = run(capsys, "report", str(meeting_id), *argv)
    assert code == 2 and not out and words in one_line_error(err)
    assert smtp.envelopes == [] and mailed(store, meeting_id) == []


def test_no_server_said_or_remembered(capsys, meeting, english):
    _store, meeting_id = meeting
    code, _, err = run(capsys, "report", str(meeting_id), "--mail-to", "anouk@example.org")
    assert code == 2 and "--smtp HOST:PORT" in one_line_error(err)


def test_starttls_when_offered_and_the_login_inside_it(capsys, meeting, monkeypatch, tmp_path):
    """The server offers STARTTLS and takes a login only over TLS: kring upgrades, then logs in."""
    import ssl

    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))  # kring verifies the server as any client would
    monkeypatch.setenv("KRING_SMTP_PASSWORD", "geheim")
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=_login,
                            auth_required=True, tls_context=server_context, require_starttls=True)
    controller.start()
    try:
        store, meeting_id = meeting
        code, _, err = run(capsys, "report", str(meeting_id), "--mail-to", "anouk@example.org", "--smtp",
                           f"127.0.0.1:{controller.port}", "--smtp-user", "coord")
        assert code == 0, err
        assert len(inbox.envelopes) == 1 and len(mailed(store, meeting_id)) == 1
    finally:
        controller.stop()
