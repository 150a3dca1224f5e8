"""The command palette (ctrl+p) in the interface's language: the keys of the
screen underneath that apply now, found by what they do, and the App's own
commands (theme, keys, quit).

Every screen offers what its keys offer: a screen may narrow that with
`applies(action) -> bool` (the agenda leaves out a loop back where no step loops)
and name them more fully with `PALETTE_NAMES` (action -> name).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Iterable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kring.data.i18n import N_, _

if TYPE_CHECKING:
    from textual.screen import Screen


def _textuals_own() -> set[str]:
    """The actions of the keys every Textual screen has (focus, copy): named in English, and
    not what the screen is for."""
    from textual.binding import Binding
    from textual.screen import Screen

    return {b.action for b in Screen.BINDINGS if isinstance(b, Binding)}


def screen_commands(screen: Screen) -> list[tuple[str, str, str]]:
    """(name, help, action) of each of the screen's own keys that works now, in the footer's order."""
    applies = getattr(screen, "applies", None)
    textuals = _textuals_own()
    names: dict[str, str] = getattr(screen, "PALETTE_NAMES", {})
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if active.node is not screen or not active.enabled or binding.action in seen | textuals:
            continue
        if applies is not None and not applies(binding.action):
            continue
        seen.add(binding.action)
        name = names.get(binding.action) or binding.tooltip or binding.description
        out.append((name, _("key {key}").format(key=spoken_key(binding.key)), binding.action))
    return out


_SPOKEN = {"space": N_("space")}  # the rest reads the same in Dutch: tab, esc, ?, +


def spoken_key(keys: str) -> str:
    """A binding's first key as a person reads it in the interface's language: `ctrl+e`,
    `spatie`, `?` (the footer's terse `^e` is Textual's; in a sentence a word reads better)."""
    from textual.keys import format_key

    *modifiers, base = keys.split(",")[0].strip().split("+")
    word = _(_SPOKEN[base]) if base in _SPOKEN else format_key(base)
    return "+".join([*modifiers, word])


class ScreenKeys(Provider):
    """The keys of the screen underneath, by name."""

    def _commands(self) -> Iterable[tuple[str, str, str]]:
        return screen_commands(self.screen)

    async def discover(self) -> Hits:
        for name, help_text, action in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.screen.run_action, action), help=help_text)
