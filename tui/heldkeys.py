"""Keys that wait for the screen that will take them, while a door's first paint hands over.

The note-taker's screen and the evaluation form paint before the store is open; a
key typed meanwhile has no widget to go to yet. It is kept as (key, character), a
paste as ("paste", text), and posted again, in the order typed, once the full
screen is up: before any key typed after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App

Held = tuple[str, str | None]


def held(event: events.Key | events.Paste) -> Held:
    """What is kept of a key or a paste."""
    return ("paste", event.text) if isinstance(event, events.Paste) else (event.key, event.character)


def replay(app: App, waiting: list[Held]) -> None:
    """Post the keys that waited, in their order, and empty the list (it may be shown meanwhile)."""
    keys, waiting[:] = list(waiting), []
    for key, character in keys:
        if key == "paste" and character is not None:
            app.post_message(events.Paste(character))
        else:
            app.post_message(events.Key(key, character))
