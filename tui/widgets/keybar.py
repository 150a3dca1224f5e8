"""The agenda's line of keys: what Textual's compact Footer shows, as one widget.

The Footer mounts a widget for every key, after the first frame, and lays the
line out again whenever the keys change; on the projector that line is part of
the first picture, and start-up time goes into every widget (issue #8). This
draws the same line (`space Start/pauze n Volgende … ? Toetsen`, the same
colours) in one widget, from the screen's active bindings. When the line is too
narrow, the keys at its end give way first, but the help key stays: `?` lists
them all. A click on a key presses it, as on the Footer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import ActiveBinding, Screen

HELP_ACTION = "help"
DIM = Style(dim=True)  # a key that does nothing here now, as the Footer dims it


def in_declared_order(screen: Screen) -> list[ActiveBinding]:
    """The screen's active bindings in Textual's order (the focused widget's, its
    ancestors', the screen's, the App's), each as its BINDINGS declare them: a key
    the user's keymap remaps keeps its action's place, where Textual would move it
    to the end of its widget's keys."""
    declared: dict[str | None, int] = {}
    for node, _remapped in screen._modal_binding_chain:
        for bindings in node._bindings.key_to_bindings.values():
            for binding in bindings:
                declared.setdefault(binding.id, len(declared))
    active = list(screen.active_bindings.values())
    return sorted(active, key=lambda a: declared.get(a.binding.id, len(declared)) if a.binding.id else len(declared))


class KeyBar(Widget, can_focus=False):
    """The keys of the screen that are shown (`Binding.show`), as the compact Footer has them."""

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
        .key-bar--description { color: $footer-description-foreground; background: $footer-description-background; }
        &.-disabled { text-style: dim; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each key as drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def keys(self) -> list[tuple[str, str, str, bool, bool]]:
        """(key, shown as, description, enabled, is the help key) of each shown key,
        one per action, in the screen's order with the help key last."""
        seen: set[str] = set()
        found = []
        for _node, binding, enabled, _tooltip in in_declared_order(self.screen):
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            found.append((binding.key, self.app.get_key_display(binding), binding.description, enabled,
                          binding.action == HELP_ACTION))
        return sorted(found, key=lambda k: k[4])

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        pieces = self.keys()
        # Too narrow: keys give way from the end, the help key excepted.
        while len(pieces) > 1 and sum(cell_len(f"{p[1]} {p[2]}") + 1 for p in pieces) - 1 > self.size.width:
            del pieces[-2 if pieces[-1][4] else -1]
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for key, shown, description, enabled, _help in pieces:
            if line:
                line.append(" ")
            start = line.cell_len
            look = Style() if enabled else DIM
            line.append(shown, key_style + look)
            if description:
                line.append(f" {description}", text_style + look)
            self._spans.append((start, line.cell_len, key))
        line.stylize_before(self.rich_style)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
