"""Start-up: no garbage collection until a door's first screen is out.

Importing Textual and kring, composing and drawing the first screen make some
hundred thousand objects and few cycles among them; the collector walks them
a hundred times over on the way, a tenth of the start-up's CPU. Each door
(`kring run`, resume, notes, evaluate, serve, demo) holds it from the command
line's start and lets it go once its first screen is on the terminal (the
link printed, for serve), or when the command ends, whichever comes first.
Nothing is freed later than otherwise but objects in cycles, for those
hundred milliseconds.
"""

from __future__ import annotations

import gc

DOORS = frozenset({"run", "resume", "notes", "evaluate", "serve", "demo"})

_held = False


def hold(command: str | None) -> None:
    """No collections from now on, for a door's start; only if they were on."""
    global _held
    if command in DOORS and not _held and gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Collections on again, as before `hold` (once; a no-op when not held)."""
    global _held
    if _held:
        _held = False
        gc.enable()


def held() -> bool:
    return _held
