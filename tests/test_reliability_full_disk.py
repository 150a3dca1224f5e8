"""A full disk or a device that refuses the bytes: one line naming the file and why, exit 2.

`kring report 2 -o /dev/full` once ended in "onverwachte fout … crash.log": the one-line
error was raised, and then replaced by the error of closing the file with the bytes still
buffered. /dev/full refuses every write with ENOSPC, as a full disk does; every command that
writes where a person asks (a file, `-o -`, `-o /dev/stdout`, standard output redirected)
is driven against it, and the store is checked whole afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.ptyterm import KRING

pytestmark = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")


@pytest.fixture
def store_path(tmp_path, clock, standaard):
    from kring.data.meetings import create_meeting
    from kring.data.networks import add_member, create_network
    from kring.data.store import Store

    path = tmp_path / "store" / "kring.db"
    store = Store(f"sqlite:///{path}")
    net = create_network(store, "Walk netwerk", clock, theme="Lopen")
    add_member(store, net, "Karel Appel", clock)
    create_meeting(store, standaard, ["Karel Appel", "Bram"], clock, title="Wijkoverleg", network_id=net)
    store.close()
    return path


def kring(path: Path, *args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:  # noqa: ANN001
    env = {**os.environ, "KRING_DB": str(path), "KRING_LANG": "nl"}
    return subprocess.run([KRING, *args], env=env, stdout=stdout, stderr=subprocess.PIPE, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def rows(path: Path) -> tuple:
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("meeting", "participant", "member", "network"))
    finally:
        con.close()


WRITERS = [
    ("report", "1", "-o", "/dev/full"),
    ("report", "1", "--format", "html", "-o", "/dev/full"),
    ("report", "1", "--format", "json", "-o", "/dev/full"),
    ("report", "1", "--format", "csv", "-o", "/dev/full"),
    ("report", "--network", "Walk netwerk", "-o", "/dev/full"),
    ("network", "ics", "Walk netwerk", "-o", "/dev/full"),
]


@pytest.mark.parametrize("argv", WRITERS, ids=" ".join)
def test_a_full_device_is_one_line_and_exit_2(store_path, argv):
    before = rows(store_path)
    r = kring(store_path, *argv)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, r.stderr
    assert len(lines) == 1 and "Traceback" not in r.stderr and "crash.log" not in r.stderr, r.stderr
    assert lines[0].startswith("kring: /dev/full: ") and "No space left on device" in lines[0], lines[0]
    assert rows(store_path) == before


@pytest.mark.parametrize("argv", [
    ("report", "1", "-o", "-"),
    ("report", "1", "-o", "/dev/stdout"),
    ("report", "1", "--format", "json"),
    ("report", "--network", "Walk netwerk", "-o", "-"),
    ("network", "ics", "Walk netwerk", "-o", "-"),
    ("sessions",),
    ("network", "show", "Walk netwerk"),
], ids=" ".join)
def test_standard_output_on_a_full_device_is_one_line_and_exit_2(store_path, argv):
    before = rows(store_path)
    with open("/dev/full", "w") as full:
        r = kring(store_path, *argv, stdout=full)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, r.stderr
    # one line: no second complaint from the flush as the process exits
    assert len(lines) == 1 and "Traceback" not in r.stderr and "crash.log" not in r.stderr, r.stderr
    assert "standaarduitvoer" in lines[0] and "No space left on device" in lines[0], lines[0]
    assert rows(store_path) == before


def test_a_failing_close_does_not_replace_the_one_line(tmp_path, monkeypatch, english):
    """A close that reports a late write error (NFS, a full disk) is said, by name, once."""
    import errno

    from kring.data import files
    from kring.data.errors import InputError

    real_close = os.close
    closed: list[int] = []

    def failing_close(fd: int) -> None:
        real_close(fd)
        closed.append(fd)
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        monkeypatch.setattr(files.os, "close", failing_close)
        with pytest.raises(InputError, match=r"pipe: cannot write \(Input/output error\)"):
            files.write_export(str(fifo), "verslag")
    finally:
        monkeypatch.undo()
        os.close(reader)
    assert closed, "the descriptor was closed"
