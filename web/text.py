"""The one place every text the pages show passes through before a template sees it.

Names, titles and questions are cleaned where they entered kring; this is the
gate again on the way out (what a terminal shows passes the same check):
control characters and direction overrides removed, NFC. Jinja2 then escapes
the result for HTML.
"""

from __future__ import annotations

import unicodedata

# Bidirectional overrides and isolates: they reorder what a reader sees.
_DIRECTION = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def shown(text: object) -> str:
    """`text` as it may be shown: no control characters, no direction overrides, NFC."""
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    return "".join(c for c in value if c not in _DIRECTION and (c.isprintable() or c in "\n\t"))
