"""Exports never destroy what they are pointed at.

`kring report -o` once replaced the store with a Markdown file and exited 0. Every file a
person names for kring to write goes through one writer (kring.data.files.write_export):
the store's own files are refused (by name, through a symbolic link, as a hard link; the
-wal, -shm and -journal too), a device or named pipe is written into and never replaced
(even by root, who could), and `-o -` is standard output.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from kring.data.errors import InputError
from tests.crashdriver import say
from tests.ptyterm import KRING


@pytest.fixture
def held(tmp_path, clock, standaard):
    """A store with one meeting, closed again (its -wal folded in), as a person leaves it."""
    from kring.data.meetings import create_meeting
    from kring.data.store import Store

    path = tmp_path / "store" / "kring.db"
    store = Store(f"sqlite:///{path}")
    mid = create_meeting(store, standaard, ["Anouk", "Bram", "Fatima"], clock, title="Wijkoverleg")
    store.close()
    return path, mid


def report(path: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KRING_DB": str(path), "KRING_LANG": "nl"}
    return subprocess.run([KRING, "report", *args], env=env, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, cwd=cwd)


def meetings_in(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM meeting").fetchone()[0]
    finally:
        con.close()


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kring: ") and "Traceback" not in err, err
    return lines[0]


def test_a_report_never_replaces_the_store(held, tmp_path, request):
    path, mid = held
    before = path.read_bytes()
    os.link(path, tmp_path / "hard.db")
    (tmp_path / "link.db").symlink_to(path)
    names = [str(path), "kring.db", "./../store/kring.db", str(tmp_path / "hard.db"), str(tmp_path / "link.db"),
             f"{path}-wal", f"{path}-shm", f"{path}-journal"]
    for name in names:
        r = report(path, str(mid), "-o", name, cwd=path.parent)
        assert r.returncode == 2, (name, r.stderr)
        assert "bestand van de opslag zelf" in one_line(r.stderr), name
        assert r.stdout == ""
    assert path.read_bytes() == before and meetings_in(path) == 1
    assert not Path(f"{path}-journal").exists()
    assert (tmp_path / "link.db").is_symlink()
    # the same store named by a symbolic link as --db: its file is still refused
    r = report(tmp_path / "link.db", str(mid), "-o", str(path))
    assert r.returncode == 2 and "bestand van de opslag zelf" in one_line(r.stderr)
    assert meetings_in(path) == 1
    say(request, f"exports: {len(names) + 1} ways of naming the store's own files refused (exit 2, one line); "
                 "the store byte for byte unchanged")


@pytest.fixture
def null_device(tmp_path) -> Path:
    """A private copy of /dev/null (same device numbers): were the writer ever to replace a
    device again, it would replace this one, never the machine's own /dev/null."""
    dev = tmp_path / "null"
    try:
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot make a device file here (needs CAP_MKNOD)")
    return dev


def test_a_device_is_written_into_never_replaced(held, tmp_path, null_device):
    path, mid = held
    before = null_device.lstat()
    r = report(path, str(mid), "-o", str(null_device))
    assert r.returncode == 0, r.stderr
    after = null_device.lstat()
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    # a link to a device writes into the device too
    (tmp_path / "weg.md").symlink_to(null_device)
    assert report(path, str(mid), "-o", str(tmp_path / "weg.md")).returncode == 0
    assert (tmp_path / "weg.md").is_symlink() and stat.S_ISCHR(null_device.lstat().st_mode)


def test_a_named_pipe_is_written_into(held, tmp_path):
    path, mid = held
    fifo = tmp_path / "verslag.pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    r = report(path, str(mid), "--format", "md", "-o", str(fifo))
    reader.join(30)
    assert r.returncode == 0, r.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and got[0].decode().startswith("# Verslag: Wijkoverleg")


def test_dash_and_dev_stdout_are_standard_output(held, tmp_path):
    path, mid = held
    for name in ("-", "/dev/stdout"):
        r = report(path, str(mid), "--format", "csv", "-o", name, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("section;") and not r.stdout.startswith("\ufeff"), name
        assert r.stderr == ""
    assert not (tmp_path / "-").exists()


def test_a_block_device_or_socket_is_refused(tmp_path, english):
    import socket

    from kring.data.files import write_export

    sock = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    try:
        with pytest.raises(InputError, match="socket"):
            write_export(str(sock), "x")
    finally:
        server.close()
    assert stat.S_ISSOCK(sock.lstat().st_mode)
    disks = [p for p in Path("/dev").iterdir() if p.is_block_device()] if Path("/dev").is_dir() else []
    if disks:
        with pytest.raises(InputError, match="disk device"):
            write_export(str(disks[0]), "x")


def test_the_report_command_routes_through_the_one_writer(held, tmp_path, monkeypatch):
    """Any command that writes where a person asks must use write_output (kring.tui.commands)."""
    import kring.data.files as files

    seen: list[str] = []
    real = files.write_export
    monkeypatch.setattr(files, "write_export", lambda name, text, **kw: seen.append(name) or real(name, text, **kw))
    from kring.tui.cli import main

    path, mid = held
    assert main(["--db", str(path), "report", str(mid), "-o", str(tmp_path / "v.md")]) == 0
    assert seen == [str(tmp_path / "v.md")]
    # Only files at a name kring chooses itself may be written privately from tui/: notes_app's
    # rescue file and config.py's config.toml (the theme remembered); anything a person names is an export.
    own_files = {"notes_app.py", "config.py"}
    writers = [p for p in (Path(__file__).parents[1] / "tui").rglob("*.py")
               if "write_private(" in p.read_text() and p.name not in own_files]
    assert writers == []
