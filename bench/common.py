"""What every benchmark shares: a private store and config, figures, statistics."""

from __future__ import annotations

import statistics
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


def isolated_env(folder: Path, **extra: str) -> dict[str, str]:
    """Environment for a kring process with its own store, config and locale."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        "KRING_DB": str(folder / "kring.db"),
        "KRING_LANG": "nl",
        "KRING_CONFIG_DIR": str(folder / "config"),
        "HOME": str(folder / "home"),
        "XDG_DATA_HOME": str(folder / "xdg-data"),
        "XDG_CONFIG_HOME": str(folder / "xdg-config"),
        "XDG_STATE_HOME": str(folder / "xdg-state"),
        "XDG_CACHE_HOME": str(folder / "xdg-cache"),
    }
    env.update(extra)
    return env


def workdir(name: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"kring-bench-{name}-"))


@dataclass
class Figure:
    """One line of the table: what was measured, its value, the target and the anchor."""

    bench: str  # "1 start-up"
    name: str  # what the value is
    value: float | None  # None: not measured
    unit: str = ""
    target: str = ""  # e.g. "<= 1.3x"
    anchor: str = ""  # what it is compared with, and the anchor's own figure
    met: bool | None = None  # None: no target, or not measured
    note: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    k = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[k]
