"""A work format's or an evaluation form's own texts in the interface's language.

The built-in formats and forms are written in Dutch; any text may carry its English
beside it under `en:` (a format's title and description, a step's title,
instructions and prompts, a question's text, labels and ends). A meeting's stored
copy keeps both; what is shown takes the texts of the language kring speaks, and
the written ones where no English is given.
"""

from __future__ import annotations

from typing import Any

from kring.data import i18n

WRITTEN = "nl"  # the language the main texts are written in
TRANSLATED = ("en",)  # the languages a text may carry beside it


def in_language(data: dict[str, Any], lang: str | None = None) -> dict[str, Any]:
    """`data` (a format or form as plain data) with the texts of `lang` (default: the
    interface's) in place and the translations taken out; `data` itself in Dutch."""
    lang = lang or i18n.current()
    if lang == WRITTEN or not isinstance(data, dict):
        return data
    out = _overlay(data, lang)
    steps, shown = data.get("steps"), out.get("steps")
    if isinstance(steps, list) and isinstance(shown, list):
        _follow_loops(steps, shown)
    return out


def _overlay(value: Any, lang: str) -> Any:
    if isinstance(value, dict):
        out = {k: _overlay(v, lang) for k, v in value.items() if k not in TRANSLATED}
        own = value.get(lang)
        if isinstance(own, dict):
            out.update((k, v) for k, v in own.items() if v not in (None, "", [], {}))
        return out
    if isinstance(value, list):
        return [_overlay(v, lang) for v in value]
    return value


def _follow_loops(written: list[Any], shown: list[Any]) -> None:
    """A loop back (`loop_to`) may name a step by its written title: name it by the shown one."""
    titles = {w.get("title"): s.get("title") for w, s in zip(written, shown)
              if isinstance(w, dict) and isinstance(s, dict)}
    for step in shown:
        if isinstance(step, dict) and step.get("loop_to") in titles and step["loop_to"] not in (
                s.get("id") for s in shown if isinstance(s, dict)):
            step["loop_to"] = titles[step["loop_to"]]


def titles_shown(steps: list[Any], lang: str | None = None) -> dict[str, str]:
    """Each step's title in every language it has, mapped to its title in `lang` (default:
    the interface's): a note keeps the title it was taken under (English for a note-taker
    with --lang en), and is named by the one the reader's interface speaks."""
    lang = lang or i18n.current()
    out: dict[str, str] = {}
    for step in steps:
        if not isinstance(step, dict) or not isinstance(step.get("title"), str):
            continue
        shown = in_language(step, lang).get("title") or step["title"]
        for other in (WRITTEN, *TRANSLATED):
            title = in_language(step, other).get("title")
            if isinstance(title, str) and title:
                out.setdefault(title, shown)
    return out
