"""Security on shared servers.

* The store's file, folder and SQLite's -wal/-shm files are the owner's only, or the
  owner's and one group's when the user asks for a shared group (`--shared-group`
  or KRING_SHARED_GROUP; tested with the user's own primary group).
* Reports are written owner-only and atomically: never half a file, never through
  a symlink someone else planted.
* Nothing kring writes is readable by others, whatever umask it was started with.
* Text from one person cannot drive another's terminal: escape sequences are
  dropped from names and open answers, and refused in work formats.
"""

from __future__ import annotations

import grp
import os
import stat
import subprocess
from pathlib import Path

import pytest

from kring.data.core.clock import FakeClock
from kring.data.errors import InputError
from kring.data.files import write_private
from kring.data.store import Store, StoreError
from tests.crashdriver import Term, kring_env, say
from tests.ptyterm import KRING


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def primary_group() -> str:
    return grp.getgrgid(os.getgid()).gr_name


@pytest.fixture
def permissive_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def kring(tmp_path: Path, *args: str, env: dict[str, str] | None = None, umask: int = 0) -> subprocess.CompletedProcess:
    """Run the command line as someone with a careless umask would."""
    full = {**os.environ, **kring_env(tmp_path, str(tmp_path / "data" / "kring.db")), "TMPDIR": str(tmp_path / "tmp"),
            **(env or {})}
    return subprocess.run([KRING, *args], env=full, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, preexec_fn=lambda: os.umask(umask))


# --- the store ---------------------------------------------------------------------------------


def test_store_folder_file_and_wal_are_owner_only(tmp_path, permissive_umask):
    path = tmp_path / "nieuw" / "kring.db"
    store = Store(f"sqlite:///{path}")
    from kring.data.networks import create_network

    create_network(store, "Wijkzorg", FakeClock("2026-11-20T19:00:00+01:00"))  # -wal and -shm exist now
    files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
    assert all(f.exists() for f in files)
    assert mode(path.parent) == 0o700
    assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    store.close()


def test_an_existing_store_others_could_read_is_closed_again(tmp_path):
    path = tmp_path / "kring.db"
    Store(f"sqlite:///{path}").close()
    os.chmod(path, 0o644)
    Store(f"sqlite:///{path}").close()
    assert mode(path) == 0o600


def test_an_existing_loose_folder_wal_and_shm_are_closed_again(tmp_path):
    """Made loose by an older kring, a copy or a careless chmod: opening closes them all."""
    import sqlite3

    path = tmp_path / "oud" / "kring.db"
    Store(f"sqlite:///{path}").close()
    other = sqlite3.connect(path)  # another client keeps the -wal and -shm in place
    other.execute("CREATE TABLE IF NOT EXISTS x (y)")
    other.commit()
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert wal.exists() and shm.exists()
    for f in (path, wal, shm):
        os.chmod(f, 0o644)
    os.chmod(path.parent, 0o755)
    Store(f"sqlite:///{path}").close()
    other.close()
    assert mode(path.parent) == 0o700
    assert {f.name: mode(f) for f in (path, wal, shm) if f.exists()} == \
        {f.name: 0o600 for f in (path, wal, shm) if f.exists()}


def test_a_folder_that_holds_more_than_the_store_is_left_as_it_is(tmp_path):
    """A store in /tmp or a home folder must not close that folder to everyone else."""
    shared = tmp_path / "gedeeld"
    shared.mkdir()
    (shared / "iets-anders.txt").write_text("van iemand anders")
    os.chmod(shared, 0o755)
    sticky = tmp_path / "tmp"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)
    for folder, was in ((shared, 0o755), (sticky, 0o1777)):
        Store(f"sqlite:///{folder / 'kring.db'}").close()
        assert mode(folder) == was and mode(folder / "kring.db") == 0o600


def test_shared_group_makes_the_store_the_owner_s_and_the_group_s(tmp_path, monkeypatch, permissive_umask):
    group = primary_group()
    path = tmp_path / "gedeeld" / "kring.db"
    store = Store(f"sqlite:///{path}", shared_group=group)
    from kring.data.networks import create_network

    create_network(store, "Wijkzorg", FakeClock("2026-11-20T19:00:00+01:00"))
    gid = grp.getgrnam(group).gr_gid
    assert mode(path.parent) == 0o2770 and path.parent.stat().st_gid == gid
    for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        assert mode(f) == 0o660 and f.stat().st_gid == gid, f.name
    store.close()
    # the owner opening it without the option does not lock the group out
    Store(f"sqlite:///{path}").close()
    assert mode(path) == 0o660


def test_sharing_an_existing_private_store(tmp_path, monkeypatch):
    path = tmp_path / "kring.db"
    Store(f"sqlite:///{path}").close()
    assert mode(path) == 0o600
    Store(f"sqlite:///{path}", shared_group=primary_group()).close()
    assert mode(path) == 0o660 and mode(path.parent) == 0o2770


def test_shared_group_on_the_command_line(tmp_path):
    group = primary_group()
    r = kring(tmp_path, "sessions", "--shared-group", group)
    assert r.returncode == 0, r.stderr
    db = tmp_path / "data" / "kring.db"
    assert mode(db) == 0o660 and mode(db.parent) == 0o2770
    assert db.stat().st_gid == grp.getgrnam(group).gr_gid


def test_an_unknown_or_foreign_group_is_refused_in_one_line(tmp_path, monkeypatch):
    r = kring(tmp_path, "sessions", env={"KRING_SHARED_GROUP": "geen-groep-die-bestaat"})
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "geen-groep-die-bestaat" in lines[0] and lines[0].startswith("kring: "), r.stderr
    assert not (tmp_path / "data" / "kring.db").exists()
    mine = set(os.getgroups()) | {os.getegid()}
    foreign = [g.gr_name for g in grp.getgrall() if g.gr_gid not in mine]
    if foreign:
        with pytest.raises(StoreError, match="geen lid van de groep"):
            Store(f"sqlite:///{tmp_path / 'x.db'}", shared_group=foreign[0])


# --- reports -------------------------------------------------------------------------------------


def test_reports_are_owner_only_whatever_the_umask(tmp_path, store, meeting_id):
    store.close()
    (tmp_path / "tmp").mkdir()
    for fmt in ("md", "html", "json", "csv"):
        out = tmp_path / f"verslag.{fmt}"
        out.write_text("oud")
        os.chmod(out, 0o644)  # an earlier, careless copy
        r = kring(tmp_path, "report", str(meeting_id), "--format", fmt, "-o", str(out),
                  env={"KRING_DB": store.url})
        assert r.returncode == 0, r.stderr
        assert mode(out) == 0o600 and out.read_text() != "oud"


def test_a_report_never_writes_through_a_planted_symlink(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("niet aankomen")
    link = tmp_path / "verslag.md"
    link.symlink_to(victim)
    write_private(link, "# Verslag\n")
    assert victim.read_text() == "niet aankomen"
    assert not link.is_symlink() and link.read_text() == "# Verslag\n" and mode(link) == 0o600


def test_a_report_that_cannot_be_finished_leaves_the_old_one_whole(tmp_path, monkeypatch):
    folder = tmp_path / "verslagen"  # its own folder: the test's cache folder sits in tmp_path
    folder.mkdir()
    target = folder / "verslag.md"
    target.write_text("het vorige verslag")

    def disk_full(_fd):  # noqa: ANN001, ANN202
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(InputError) as caught:
        write_private(target, "# Nieuw verslag\n" * 1000)
    assert "No space left on device" in str(caught.value) and "\n" not in str(caught.value)
    assert target.read_text() == "het vorige verslag"
    assert sorted(p.name for p in folder.iterdir()) == ["verslag.md"]  # no temp file left behind


# --- nothing for the world ---------------------------------------------------------------------------


def test_nothing_kring_writes_is_readable_by_others(tmp_path, request):
    """Started with umask 000, every file and folder kring makes is still the owner's only."""
    (tmp_path / "tmp").mkdir(mode=0o700)
    before = {p for p in tmp_path.rglob("*")}
    steps = [
        ["sessions"], ["network", "new", "Wijkzorg"], ["network", "add", "Wijkzorg", "Anouk"],
        ["network", "add", "Wijkzorg", "Bram"], ["formats", "list"],
    ]
    for args in steps:
        r = kring(tmp_path, *args)
        assert r.returncode == 0, (args, r.stderr)
    # a live meeting in a terminal, then its report
    term = Term("demo", env=kring_env(tmp_path, str(tmp_path / "data" / "kring.db"), TMPDIR=str(tmp_path / "tmp")))
    try:
        term.wait_for("Stap 1")
        term.press("q")
        term.proc.wait(15)
    finally:
        term.stop()
    r = kring(tmp_path, "report", "--format", "html", "-o", str(tmp_path / "data" / "verslag.html"))
    assert r.returncode == 0, r.stderr
    made = sorted(p for p in tmp_path.rglob("*") if p not in before)
    assert made, "kring wrote nothing?"
    loose = [f"{p.relative_to(tmp_path)} {oct(mode(p))}" for p in made if mode(p) & 0o077]
    assert not loose, loose
    say(request, f"security: {len(made)} files and folders made by {len(steps) + 2} commands under umask 000, "
                 "none readable by others")


def test_the_command_line_sets_an_owner_only_umask(monkeypatch, tmp_path):
    from kring.tui.cli import main

    monkeypatch.setenv("KRING_DB", str(tmp_path / "k.db"))
    old = os.umask(0o022)
    try:
        assert main(["formats", "list"]) == 0
        assert os.umask(0o022) == 0o077
        monkeypatch.setenv("KRING_SHARED_GROUP", primary_group())
        assert main(["sessions"]) == 0
        assert os.umask(0o022) == 0o007  # the group may read the shared store's files, the world may not
    finally:
        os.umask(old)


# --- one person's text must not drive another's terminal -----------------------------------------------


def test_escape_sequences_are_dropped_from_names_and_open_answers():
    from kring.data.meetings import clean_names
    from kring.data.networks import clean_name
    from kring.workformats.forms import find_form

    assert clean_names(["Anouk\x1b]0;gehackt\x07", "Bram\x1b[2J"]) == ["Anouk]0;gehackt", "Bram[2J"]
    assert clean_name("Fatima\x1b[31m") == "Fatima[31m"
    form = find_form("standaard")
    top = next(q for q in form.questions if q.type.value == "open")
    assert top.check("Fijn\x1b[2J\x1b]52;c;ZWNobyBoaQ==\x07 gesprek") == "Fijn[2J]52;c;ZWNobyBoaQ== gesprek"
