"""What every kring App shares: the themes, the shared look, help and quit.

Each client (moderator, note-taker, evaluation, network editor, history) is a
small App on top of this one, with its own first screen and its own keys.
"""

from __future__ import annotations

from textual.app import App

from kring.tui.theme import CONTRAST, LIGHT

DARK_THEME, LIGHT_THEME = CONTRAST.name, LIGHT.name


class KringBaseApp(App[None]):
    TITLE = "kring"
    CSS_PATH = "app.tcss"  # relative to the subclass's module: all of them live in kring.tui

    def __init__(self) -> None:
        super().__init__()
        self._quiet_theme(DARK_THEME)

    def _quiet_theme(self, name: str) -> None:
        """Start in our theme without Textual's theme change, which parses every
        style rule again (a tenth of the start-up time): before the first parse
        the stylesheet only needs the theme's colours. Later changes (ctrl+t) go
        the usual way."""
        self.register_theme(CONTRAST)
        self.register_theme(LIGHT)
        self.set_reactive(App.theme, name)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.set_class(True, f"-theme-{name}", update=False)
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)

    def action_help(self) -> None:
        """The keys of the screen underneath, with what they do."""
        from kring.screens.dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME
