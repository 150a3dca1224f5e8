"""What every kring App takes from the settings: the theme, remembered when the
user switches it (ctrl+t or the command palette), and the keymap by binding id."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kring.data.errors import InputError
from kring.data.i18n import _

if TYPE_CHECKING:
    from textual.app import App
    from textual.theme import Theme

    from kring.tui.config import Config

DEFAULT_THEME = "kring-contrast"


def start_theme(app: App, config: Config) -> str:
    """The theme to start in: the settings', if the App knows it (the typed settings,
    built later at a first paint, refuse an unknown one in a line of their own)."""
    name = config.get("theme")
    return name if isinstance(name, str) and name in app.available_themes else DEFAULT_THEME


def keymap(config: Config, **own: str) -> dict[str, str]:
    """An App's own remapped keys with the user's laid over them."""
    mine = config.get("keymap")
    return {**own, **{str(k): str(v) for k, v in (mine if isinstance(mine, dict) else {}).items()}}


def remember_theme(app: App, config: Config) -> None:
    """From now on, a theme the user switches to is written to the config file."""
    shown = [app.theme]

    def changed(theme: Theme) -> None:
        if theme.name == shown[0]:
            return  # the theme set at the start, announced late
        shown[0] = theme.name
        try:
            config.remember(theme=theme.name)
        except InputError as exc:
            app.notify(_("The theme is not remembered: {reason}").format(reason=exc), severity="warning",
                       timeout=6)

    app.theme_changed_signal.subscribe(app, changed)
