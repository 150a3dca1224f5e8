"""Opening the report store: one SQLAlchemy URL, SQLite (WAL) or PostgreSQL."""

from __future__ import annotations

import errno
import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from kring.data import schema
from kring.data.errors import StoreError, first_line
from kring.data.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

# SQLAlchemy and SQLModel load when a store is opened, not when this module is
# imported: the command line resolves the store's path before the first paint
# (see kring.tui.firstpaint), and importing them costs more than drawing it.


SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's own companions of a store file: they are the store as much as the file is.
COMPANIONS = ("-wal", "-shm", "-journal")


BUSY_TIMEOUT_MS = 10_000


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("kring", appauthor=False)) / "kring.db"


def resolve_url(db: str | None) -> str:
    """The settings' store (`--db`, KRING_DB or the config file), else the user's data directory."""
    value = db or str(default_path())
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().absolute())


def shared_group(name: str | None) -> int | None:
    """The group a shared store is kept for (the settings' `shared_group`: --shared-group,
    KRING_SHARED_GROUP or the config file), or None: the store is its owner's only."""
    name = (name or "").strip()
    if not name:
        return None
    import grp

    try:
        gid = grp.getgrgid(int(name)).gr_gid if name.isdigit() else grp.getgrnam(name).gr_gid
    except KeyError:
        raise StoreError(_("shared group: there is no group '{name}' on this machine").format(name=name)) from None
    if gid != os.getegid() and gid not in os.getgroups():
        raise StoreError(_("shared group: you are not a member of the group '{name}'").format(name=name))
    return gid


def _shared_folder(folder: Path) -> bool:
    """A folder kept for a group (setgid, the group may enter and write): its store is
    shared on purpose, so opening it without the option does not lock the group out."""
    mode = folder.stat().st_mode
    return bool(mode & stat.S_ISGID) and mode & 0o070 == 0o070


def store_files(path: Path) -> list[Path]:
    """The store's file and the companions SQLite keeps beside it."""
    return [path] + [path.with_name(path.name + suffix) for suffix in COMPANIONS]


def _secure_sqlite_path(path: Path, group: str | None) -> None:
    """The store holds confidential minutes: its folder and files are the owner's only,
    or the owner's and one group's when the user asks for a shared group (the folder
    then gets the setgid bit, so the -wal and -shm files SQLite makes keep the group)."""
    folder = path.parent
    gid = shared_group(group)
    file_mode = 0o660 if gid is not None else 0o600
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if gid is not None and folder.stat().st_uid == os.getuid():
            os.chown(folder, -1, gid)
            os.chmod(folder, 0o2770)
        elif created or folder == default_path().parent or _own_folder(folder, path):
            _tighten(folder, 0o700)
        if path.is_dir():
            raise StoreError(_("{path}: is a folder, not a store file").format(path=path))
        if not path.exists():
            _create(path, file_mode, gid)
        else:
            _check_file(path)  # before changing anything about a file that may be no store
        if gid is not None:
            for own in store_files(path):
                if own.exists() and own.stat().st_uid == os.getuid():
                    os.chown(own, -1, gid)
                    os.chmod(own, file_mode)
        elif not _shared_folder(folder):
            # the -wal and -shm hold recent minutes as plainly as the file itself
            for own in store_files(path):
                _tighten(own, 0o600)
    except OSError as exc:
        raise StoreError(_("{path}: cannot open the store ({strerror})").format(path=path, strerror=exc.strerror)) from None


def _tighten(path: Path, mode: int) -> None:
    """Take away what group and others may do, if the file or folder is ours. A -wal or
    -shm may be gone meanwhile: SQLite removes them as the last client closes."""
    try:
        info = path.stat()
        if stat.S_IMODE(info.st_mode) & 0o077 and info.st_uid == os.getuid():
            os.chmod(path, mode)
    except FileNotFoundError:
        pass


def _own_folder(folder: Path, path: Path) -> bool:
    """Whether the folder is the store's alone (only its files, or kring's temporary
    ones, are in it), so closing it to others closes nothing else: a store in a
    shared place like /tmp or a home folder leaves that folder as it is."""
    mode = folder.stat().st_mode
    if mode & stat.S_ISVTX or _shared_folder(folder):
        return False
    ours = {p.name for p in store_files(path)}
    with os.scandir(folder) as entries:
        return all(e.name in ours or e.name.startswith(f".{path.name}.") for e in entries)


def _create(path: Path, file_mode: int, gid: int | None) -> None:
    """Make a new, empty store whole before it gets its name, so that no other
    process ever finds an empty file there (which kring refuses: see _check_file)."""
    import sqlite3
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    try:
        if gid is not None:
            os.fchown(fd, -1, gid)
        os.fchmod(fd, file_mode)
        os.close(fd)
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode=WAL")  # writes the header: a store, not an empty file
        finally:
            con.close()
        try:
            os.link(tmp, path)  # never replaces: another kring making the same store at once wins
        except FileExistsError:
            pass
    finally:
        Path(tmp).unlink(missing_ok=True)


def _check_file(path: Path) -> None:
    """Refuse, before SQLite sees it, a file that is no store: SQLite would take an empty
    file for a new database, and say little more than "not a database" for the rest."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM):
            return  # said as "read-only for you" when SQLite opens it
        raise StoreError(_("{path}: cannot open the store ({strerror})").format(path=path, strerror=exc.strerror)) from None
    if not head:
        raise StoreError(_("{path}: the file is empty (0 bytes), not a kring store (only a missing file becomes a "
                           "new store)").format(path=path))
    if head != SQLITE_HEADER:
        raise StoreError(_("{path}: not a kring store (the file is not a database); point --db elsewhere").format(path=path))


def _whoami() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


class Store:
    """The hub every kring process shares. Hands out short-lived ORM sessions."""

    def __init__(self, url: str, *, migrate: bool = True, shared_group: str | None = None) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite and url not in ("sqlite://", "sqlite:///:memory:"):
            self.path: Path | None = Path(url.removeprefix("sqlite:///"))
            _secure_sqlite_path(self.path, shared_group)
        else:
            self.path = None
        self.where = str(self.path) if self.path is not None else _display(url)
        try:
            self.engine = _make_engine(url, self.is_sqlite)
            self.write_engine = self.engine.execution_options(kring_write=True)
            if migrate:
                schema.ensure_current(self.engine)
        except StoreError as exc:
            raise StoreError(f"{self.where}: {exc}") from None
        except ImportError as exc:  # the URL's driver is not installed
            raise StoreError(f"{self.where}: {_missing_driver(url, exc)}") from None
        except SQLAlchemyError as exc:
            reason = first_line(exc)
            if self.path is not None and _read_only(self.path, reason):
                raise StoreError(
                    _("{path}: the store is read-only for you ({reason}); check the permissions of the file "
                      "and its folder").format(path=self.path, reason=reason)
                ) from None
            raise (damage(self.where, exc) or StoreError(f"{self.where}: {_cannot_open(exc, reason)}")) from None

    @classmethod
    def open(cls, db: str | None = None, *, shared_group: str | None = None) -> "Store":
        return cls(resolve_url(db), shared_group=shared_group)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A reading session: never blocks a writer."""
        from sqlmodel import Session

        with self._told_if_damaged(), Session(self.engine, expire_on_commit=False) as s:
            yield s

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A writing session, committed on success. On SQLite it takes the write
        lock up front (BEGIN IMMEDIATE) so the busy timeout, not a deadlock,
        settles two writers."""
        from sqlmodel import Session

        with self._told_if_damaged(), Session(self.write_engine, expire_on_commit=False) as s:
            yield s
            s.commit()

    @contextmanager
    def _told_if_damaged(self) -> Iterator[None]:
        """Damage is found where a read or write reaches it, often long after the store
        opened: every session turns it into one line naming the store, never SQL."""
        from sqlalchemy.exc import DatabaseError

        try:
            yield
        except DatabaseError as exc:
            told = damage(self.where, exc)
            if told is None:
                raise
            raise told from None

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(url: str, is_sqlite: bool) -> Engine:
    from sqlalchemy import event as sa_event
    from sqlmodel import create_engine

    if is_sqlite:
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )

        @sa_event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            cur = dbapi_conn.cursor()
            # WAL lets the note-taker write while the moderator reads; NORMAL
            # sync is durable across process crashes (the kill -9 case).
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        # pysqlite's own deferred BEGIN lets two writers deadlock on lock
        # upgrade; writers begin IMMEDIATE so the busy timeout settles them.
        @sa_event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None

        @sa_event.listens_for(engine, "begin")
        def _begin(conn):  # noqa: ANN001
            write = conn.get_execution_options().get("kring_write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine
    if url.startswith("postgresql"):
        # kring's reads are short and interactive; PostgreSQL's JIT compiler, which
        # a planner estimate can switch on, costs more (100+ ms) than such a query.
        return create_engine(url, pool_pre_ping=True, connect_args={"options": "-c jit=off"})
    return create_engine(url, pool_pre_ping=True)


# What SQLite says when pages of its file are not what it wrote.
# SQLite's words for a damaged file; "vtable constructor failed" is the full-text index
# (note_fts) whose own pages are rubbish, met by a search or a note's history.
_DAMAGED = ("malformed", "file is not a database", "database corrupt", "file is encrypted",
            "vtable constructor failed")


def damage(where: str, exc: BaseException) -> StoreError | None:
    """The one line for a store found damaged, or None if `exc` says something else."""
    reason = first_line(exc)
    if not any(word in reason.lower() for word in _DAMAGED):
        return None
    return StoreError(_("{where}: the store is damaged ({reason}); restore it from a backup (sqlite3's .recover "
                        "can rescue what is left)").format(where=where, reason=reason))


def _cannot_open(exc: BaseException, reason: str) -> str:
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError) and "connect" in reason.lower():
        return f"cannot reach the database server ({reason})"
    return f"cannot open the store ({reason})"


def _missing_driver(url: str, exc: ImportError) -> str:
    module = getattr(exc, "name", None) or "its driver"
    if url.startswith("postgresql"):
        hint = "pip install 'kring[postgres]'"
        if not url.startswith("postgresql+psycopg:"):
            hint += " and write the URL as postgresql+psycopg://…"
        return f"the PostgreSQL driver ({module}) is not installed; install it with: {hint}"
    return f"the database driver ({module}) for this URL is not installed"


def _read_only(path: Path, reason: str) -> bool:
    """Whether opening failed because this user may not write the store (SQLite also
    needs to write the -wal and -shm files beside it, so the folder counts too)."""
    if "readonly" in reason or "read-only" in reason:
        return True
    return "unable to open" in reason and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _display(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    # never print a password
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as given
        return url
