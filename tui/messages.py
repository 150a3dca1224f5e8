"""The messages kring's parts send one another.

Screens and widgets post or handle these; they never import an App module, so
the arrows run one way: the Apps know the screens, the screens know messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from kring.data.live import Snapshot


class StoreChanged(Message):
    """The store holds something new for this meeting: a freshly loaded snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class WriteTrouble(Message):
    """The outbox cannot write (`reason`), or writes again (None)."""

    def __init__(self, reason: str | None) -> None:
        super().__init__()
        self.reason = reason  # None: writing works again


class FollowTrouble(Message):
    """The store follower cannot read the store (`reason`), or reads it again (None)."""

    def __init__(self, reason: str | None) -> None:
        super().__init__()
        self.reason = reason


class ScreenShown(Message):
    """A screen's picture is on the terminal: the first time, or again after a dialog
    over it closed. The App may start what waits for that (opening the store)."""
