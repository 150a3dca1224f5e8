"""Start-up: the style rules as Textual parsed them last time.

Textual parses every style rule (its own widgets', kring's .tcss files) at every
start, in Python: some 5 ms of the first frame. What it parsed is kept in the
user's cache folder, per theme, and handed to the stylesheet's own parse cache
before the first parse: Textual looks each source up there by its full text,
file and place, so a changed rule is parsed anew and a rule never seen is parsed
as ever. The whole file is keyed by Textual's and Python's versions and the
theme's colours (which the rules are parsed with); anything unexpected in it
and it is not used. Kept when something new was parsed: once the first frame is
out (in the thread that opens the store) and as the App ends.
"""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path
from typing import Any

from kring.data.folders import cache_dir, keep_cached

_VERSION = 1


def _file(theme: str) -> Path:
    """One file a client (App) and theme: each door's own rules, no more to load."""
    return cache_dir() / f"styles-{theme}.pickle"


def _textual() -> tuple:
    """Textual as installed: the files that make and hold parsed rules (textual.__version__
    would read the package's metadata, milliseconds)."""
    from textual.css import model, parse, styles

    return tuple((m.__file__, os.stat(m.__file__).st_mtime_ns, os.stat(m.__file__).st_size)
                 for m in (parse, styles, model))


def _stamp(stylesheet: Any) -> tuple:
    return _VERSION, _textual(), sys.version_info[:2], tuple(sorted(stylesheet._variables.items()))


def load(stylesheet: Any, theme: str) -> int:
    """Hand what was kept for `theme` to `stylesheet`'s parse cache (before its first
    parse); returns how many sources it holds rules for. Any doubt: none.
    `theme`: the theme's name and the App's, which parse different files."""
    try:
        stamp, entries = pickle.loads(_file(theme).read_bytes())
        if stamp != _stamp(stylesheet) or not isinstance(entries, list):
            return 0
        cache = stylesheet._parse_cache
        for key, rules in entries:
            cache.set(key, rules)
        stylesheet._kring_kept = {key for key, _rules in entries}
        return len(entries)
    except Exception:  # noqa: BLE001 - none kept, another Textual's, damaged: Textual parses
        return 0


def keep(stylesheet: Any, theme: str) -> None:
    """Keep what `stylesheet` parsed for the next start, if it parsed anything not kept.
    Safe from a thread: the cache's entries are copied at once, not looked up one by one
    (a look-up reorders Textual's cache)."""
    try:
        stamp = _stamp(stylesheet)
        entries = [(key, link[3]) for key, link in list(stylesheet._parse_cache._cache.items())]
        kept = getattr(stylesheet, "_kring_kept", set())
        if not entries or {key for key, _rules in entries} <= kept:
            return
        stylesheet._kring_kept = kept | {key for key, _rules in entries}
        data = pickle.dumps((stamp, entries), protocol=pickle.HIGHEST_PROTOCOL)
        file = _file(theme)
        keep_cached(file, data)
    except Exception:  # noqa: BLE001 - not kept: the next start parses, as Textual always did
        pass
