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
