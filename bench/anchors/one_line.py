"""The start-up anchor: the smallest Textual app that shows one line."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class OneLine(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("ready: one line")


if __name__ == "__main__":
    OneLine().run()
