"""Writing exports with the same care as the store: owner-only, never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kring.data.errors import InputError


def write_private(path: str | os.PathLike[str], text: str) -> Path:
    """Write atomically (temp file beside the target, then rename), mode 0600."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise InputError(f"{target}: is a folder; give a file name")
    if not folder.is_dir():
        raise InputError(f"{target}: the folder {folder} does not exist")
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
        raise InputError(f"{target}: cannot write here (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror})") from None
    return target
