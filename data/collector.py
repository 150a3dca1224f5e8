"""Python's cycle collector held while a read makes many objects and no cycles.

A trend of thousands of meetings, or a report of thousands of notes, makes a
dict or a tuple per row, all freed by their reference counts. The collector
walks the heap each time enough of them are alive at once; the more rows, the
more walks over a larger heap, so a read of 100 times the rows took 130 times
as long. Held, nothing is freed later: these objects are in no cycle.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_held() -> Iterator[None]:
    """No collections inside; on again after, only if it was on (a caller that holds
    it already, such as `kring report`, keeps it held)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
