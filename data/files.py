"""Writing exports with the same care as the store: owner-only, never half-written,
and never over something an export must not destroy.

Every file a person names for kring to write (`-o`) goes through `write_export`:
`-` is standard output; the store's own files are refused; a device or a named
pipe is written into, never replaced by a regular file; anything else is written
atomically and owner-only by `write_private`.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from pathlib import Path
from typing import Iterable

from kring.data.errors import InputError
from kring.data.i18n import _

# Names of a file descriptor already open in this process: written to that descriptor,
# as a shell's redirection gave it (reopening a redirected file would start at its top).
_STD_NAMES = {"/dev/stdout": 1, "/dev/stderr": 2}
_FD_NAME = re.compile(r"^/(?:dev/fd|proc/self/fd)/(\d+)$")


def is_stdout(name: str) -> bool:
    return name == "-" or _descriptor(name) == 1


def _descriptor(name: str) -> int | None:
    if name in _STD_NAMES:
        return _STD_NAMES[name]
    found = _FD_NAME.match(name)
    return int(found.group(1)) if found else None


def write_export(name: str, text: str, *, protected: Iterable[Path] = ()) -> Path | None:
    """Write `text` where a person asked: the path written, or None for standard output.
    `protected` are files that must survive any export (the store's, with its -wal,
    -shm and -journal): refused by name, through symbolic links and as hard links."""
    if name == "-":
        _write_stream(name, sys.stdout, text)
        return None
    fd = _descriptor(name)
    if fd is not None:
        _write_fd(name, fd, text)
        return Path(name)
    target = Path(name).expanduser()
    _refuse_protected(target, list(protected))
    try:
        info = target.stat()  # follows a link: a link to a device writes into the device
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(_("{target}: cannot write ({strerror})").format(target=target, strerror=exc.strerror)) from None
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        _write_into(target, info, text)
        return target
    return write_private(target, text)


def _refuse_protected(target: Path, protected: list[Path]) -> None:
    if not protected:
        return
    resolved = target.resolve()
    try:
        mine = target.stat()
        same = {(mine.st_dev, mine.st_ino)}
    except OSError:
        same = set()
    for own in protected:
        hit = own.resolve() == resolved
        if not hit and same:
            try:
                theirs = own.stat()
            except OSError:
                continue
            hit = (theirs.st_dev, theirs.st_ino) in same
        if hit:
            raise InputError(_("{target}: is the store's own file ({name}); writing there would destroy every meeting").format(target=target, name=own.name))


def _write_fd(name: str, fd: int, text: str) -> None:
    """Write to a descriptor this process already has open (standard output, a shell's 3>…)."""
    if fd in (1, 2):
        _write_stream(name, sys.stdout if fd == 1 else sys.stderr, text)
        return
    try:
        copy = os.dup(fd)
    except OSError as exc:
        raise _cannot(name, exc) from None
    _write_all(name, copy, text)


def _cannot(name: object, exc: OSError) -> InputError:
    return InputError(_("{name}: cannot write ({strerror})").format(name=name, strerror=exc.strerror or exc))


def flush_stdout() -> None:
    """What commands said on standard output reaches it now, or the one line says why not
    (`kring sessions > /dev/full`), instead of a failed flush as the process exits."""
    _write_stream("-", sys.stdout, "")


def _write_stream(name: str, stream, text: str) -> None:  # noqa: ANN001 - a text stream
    """Standard output or error, as the shell gave it (`> /dev/full`, a full disk). A reader
    that stopped (BrokenPipeError) is the command line's to settle; any other failure is one
    line, and what is still buffered is dropped so that the flush at exit cannot fail again."""
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _drop_buffer(stream)
        shown = _("standard output") if name in ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1") else name
        raise _cannot(shown, exc) from None


def _drop_buffer(stream) -> None:  # noqa: ANN001 - a text stream
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real descriptor under it: nothing will flush there
        pass


def _write_all(name: object, fd: int, text: str) -> None:
    """Write `text` whole to the descriptor `fd` and close it. Unbuffered: a failure is
    said once, naming `name` and why; closing cannot raise a second, rawer error over it."""
    data = text.encode("utf-8")
    failure: OSError | None = None
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except OSError as exc:
        failure = exc
    try:
        os.close(fd)
    except OSError as exc:  # a close can report a late write error (NFS, a full disk)
        failure = failure or exc
    if failure is not None:
        raise _cannot(name, failure) from None


def _write_into(target: Path, info: os.stat_result, text: str) -> None:
    """A device or a named pipe: written into as it is; replacing it by a regular file
    (which root could) would break it for everyone who uses it."""
    if stat.S_ISBLK(info.st_mode):
        raise InputError(_("{target}: is a disk device; a report written there would overwrite the disk").format(target=target))
    if stat.S_ISSOCK(info.st_mode):
        raise InputError(_("{target}: is a socket, not a file; give a file name").format(target=target))
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)  # never O_CREAT: no file appears
    except OSError as exc:
        raise InputError(_("{target}: cannot write ({strerror})").format(target=target, strerror=exc.strerror)) from None
    if stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a regular file meanwhile: write it whole instead
        os.close(fd)
        write_private(target, text)
        return
    _write_all(target, fd, text)


def write_private(path: str | os.PathLike[str], text: str) -> Path:
    """Write atomically (temp file beside the target, then rename), mode 0600."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError(_("{target}: is a folder; give a file name").format(target=target))
    if not folder.is_dir():
        raise InputError(_("{target}: the folder {folder} does not exist").format(target=target, folder=folder))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")  # 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except PermissionError:
        raise InputError(_("{target}: cannot write here (permission denied)").format(target=target)) from None
    except OSError as exc:
        raise InputError(_("{target}: cannot write ({strerror})").format(target=target, strerror=exc.strerror)) from None
    return target
