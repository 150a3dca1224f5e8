"""Keys that wait for the screen that will take them, while a door's first paint hands over.

The note-taker's screen and the evaluation form paint before the store is open; a
key typed meanwhile has no widget to go to yet. It is kept as (key, character), a
paste as ("paste", text), and handed on, in the order typed, once the full screen
is up: before any key typed after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

Held = tuple[str, str | None]


def held(event: events.Key | events.Paste) -> Held:
    """What is kept of a key or a paste."""
    return ("paste", event.text) if isinstance(event, events.Paste) else (event.key, event.character)


async def replay(waiting: list[Held], dispatch: Callable[[events.Event], Awaitable[None]]) -> None:
    """Hand the keys that waited to `dispatch` (the App's own key handling, past its hold),
    in their order, emptying the list (it may be shown meanwhile).

    The caller holds keys until this returns: one that comes meanwhile joins the list
    behind the others. Posted to the App again instead, they would go behind any key
    already queued after the message that ended the wait, so a digit typed before
    Enter would land on the next question.
    """
    while waiting:
        key, character = waiting.pop(0)
        if key == "paste" and character is not None:
            await dispatch(events.Paste(character))
        else:
            await dispatch(events.Key(key, character))
