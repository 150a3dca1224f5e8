"""Where kring keeps a person's own files on this machine."""

from __future__ import annotations

import os
from pathlib import Path


def config_dir() -> Path:
    """The user's config folder: config.toml, own work formats and forms.

    KRING_CONFIG_DIR moves it (tests and benchmarks keep a person's own config out
    that way); it is the one setting read before the config file, which it locates.
    """
    base = os.environ.get("KRING_CONFIG_DIR")
    if not base:
        import platformdirs

        base = platformdirs.user_config_dir("kring", appauthor=False)
    return Path(base)


def cache_dir() -> Path:
    """kring's caches (what a first paint reads instead of parsing): XDG's cache folder,
    found without platformdirs, which a first paint does not load."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kring"


def keep_cached(file: Path, data: bytes) -> None:
    """Write a cache file whole (the old one or the new, never half of one), the owner's
    only. Raises OSError: a cache not kept is read the slow way next time."""
    file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, file)
