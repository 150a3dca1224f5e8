"""The one place every text the pages show passes through before a template sees it.

Names, titles and questions were cleaned where they entered kring; on the way
out they pass the same gate as what a terminal prints (`kring.data.core.textgate`):
no control characters, no direction overrides. Jinja2 then escapes the result
for HTML.
"""

from __future__ import annotations

from kring.data.core import textgate


def shown(text: object) -> str:
    """`text` as a page may show it ("" for none)."""
    return "" if text is None else textgate.shown(text)
