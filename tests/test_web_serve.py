"""`kring serve` as a person starts it: one line with the link, clean stops, bad input."""

from __future__ import annotations

import http.cookiejar
import re
import select
import signal
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlmodel import select as sql_select

from kring.data.meetings import append_event, create_meeting
from kring.data.models import EvaluationReceipt, EvaluationResponse, WebLink
from kring.data.weblink import served_link
from tests.ptyterm import KRING, kring_env

LINK = re.compile(r"^http://127\.0\.0\.1:(\d+)/m/([A-Za-z0-9_-]{32,})$")


@pytest.fixture
def meeting(store, clock, standaard):
    return create_meeting(store, standaard, ["Anouk", "Bram", "Fatima"], clock)


def start(tmp_path, db_url, *args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([KRING, "serve", "--port", "0", *args], env=kring_env(tmp_path, db_url),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    assert ready, "kring serve printed no link"
    line = proc.stdout.readline().rstrip("\n")
    assert LINK.match(line), line
    return proc, line


class Phone:
    """A browser without script: it keeps its cookies and sends plain forms."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def answer(self, link: str, who: str, **answers: str) -> int:
        status, html = self.get(f"{link}/form")
        assert status == 200, html
        seal = re.search(r'name="seal" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"seal": seal, "who": who, **answers}).encode()
        try:
            with self.opener.open(urllib.request.Request(f"{link}/form", data=body), timeout=10) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kw):  # noqa: ANN002, ANN003 - the 303 itself is the answer
        return None


def test_prints_the_link_on_one_line_records_it_and_stops_on_sigterm(tmp_path, db_url, store, meeting):
    proc, link = start(tmp_path, db_url)
    try:
        status, html = Phone().get(link)  # printed as the socket listens; answered once the server is up
        assert status == 200 and "<h1" in html
        assert served_link(store, meeting) == link  # recorded by then, for the agenda
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert out == "" and "Traceback" not in err  # the link was the only line
    assert served_link(store, meeting) is None  # the agenda no longer shows it
    with store.session() as s:
        assert s.exec(sql_select(WebLink.token)).one() == LINK.match(link).group(2)  # the token stays


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_stop_loses_no_acknowledged_answer(tmp_path, db_url, store, meeting, sig):
    proc, link = start(tmp_path, db_url)
    try:
        assert Phone().answer(link, "Bram", roti="4", top="Goed") == 303
    finally:
        proc.send_signal(sig)  # at once after the answer was acknowledged
        _out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    with store.session() as s:
        assert s.exec(sql_select(EvaluationReceipt.participant)).all() == ["Bram"]
        assert s.exec(sql_select(EvaluationResponse.answers)).one() == {"roti": 4, "top": "Goed"}


def test_the_server_stops_when_the_meeting_closes(tmp_path, db_url, store, clock, meeting):
    proc, link = start(tmp_path, db_url)
    try:
        append_event(store, meeting, "close", clock.now())
        proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert served_link(store, meeting) is None


def test_bad_input_is_one_line_and_status_2(tmp_path, db_url, store, clock, meeting):
    env = kring_env(tmp_path, db_url)
    r = subprocess.run([KRING, "serve", "--port", "70000"], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = subprocess.run([KRING, "serve", "9999"], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "9999" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    proc, link = start(tmp_path, db_url)
    try:  # the port is taken
        port = LINK.match(link).group(1)
        r = subprocess.run([KRING, "serve", "--port", port], env=env, capture_output=True, text=True, timeout=30)
        assert r.returncode == 2 and port in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    append_event(store, meeting, "close", clock.now())
    r = subprocess.run([KRING, "serve", str(meeting)], env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert r.stdout == ""


def test_binds_only_where_asked(tmp_path, db_url, meeting):
    proc, link = start(tmp_path, db_url)
    try:
        port = int(LINK.match(link).group(1))
        with open("/proc/net/tcp") as fh:  # listening sockets: local address in hex, state 0A
            listening = [line.split()[1] for line in fh.readlines()[1:] if line.split()[3] == "0A"]
        ours = [addr for addr in listening if int(addr.split(":")[1], 16) == port]
        assert ours == ["0100007F:%04X" % port]  # 127.0.0.1 only
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
