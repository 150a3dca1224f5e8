"""The command line's one way to print: every line passes the text gate on its way out.

Commands print stored text (titles, places, names, notes): a title stored before
the gate existed, or written into the store by hand, must not drive the terminal
it is printed on. `tests/test_textgate.py` checks that no command prints
any other way.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from kring.data.core.textgate import shown


def say(*parts: Any, sep: str = " ", end: str = "\n", file: TextIO | None = None, flush: bool = False) -> None:
    """print(), through the gate (standard output unless `file` says otherwise)."""
    out = file if file is not None else sys.stdout
    text = shown(sep.join(str(p) for p in parts) + end)
    try:
        out.write(text)
        if flush:  # a line another program waits for (serve's link) must not sit in a buffer
            out.flush()
    except BrokenPipeError:
        raise  # the reader stopped: the command line ends quietly
    except OSError:
        if out is not sys.stdout:
            raise
        from kring.data.files import write_export

        write_export("-", "")  # `> /dev/full`: one line saying so, not a crash
