"""What every kring App shares: the themes, the shared look, help and quit, and
what it takes from the settings: the theme (remembered when switched) and the keymap.

Each client (moderator, note-taker, evaluation, network editor, history) is a
small App on top of this one, with its own first screen and its own keys.
"""

from __future__ import annotations

from typing import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.widget import Widget

from kring.data.i18n import _
from kring.data.labels import use_zone
from kring.tui import csscache, preferences, startgc
from kring.tui.config import Config
from kring.tui.palette import ScreenKeys
from kring.tui.theme import CONTRAST, LIGHT, THEMES

DARK_THEME, LIGHT_THEME = CONTRAST.name, LIGHT.name


class KringBaseApp(App[None]):
    TITLE = "kring"
    CSS_PATH = "app.tcss"  # relative to the subclass's module: all of them live in kring.tui
    COMMANDS = App.COMMANDS | {ScreenKeys}

    def __init__(self, config: Config | None = None) -> None:
        """`config`: the settings' layers (default: the user's config file)."""
        super().__init__()
        self.config = config or Config.load()
        use_zone(self.config.zone())  # every clock time this App shows, in the user's zone
        self._quiet_theme()
        self.set_keymap(preferences.keymap(self.config, **self.OWN_KEYMAP))

    # Keys a client moves for all its screens; the user's keymap is laid over them.
    OWN_KEYMAP: dict[str, str] = {}

    _theme_chosen = False

    def get_css_variables(self) -> dict[str, str]:
        """The theme's colours, worked out once, for the theme kring starts in: Textual's
        __init__ asks for its default theme's first, which no rule is ever parsed with."""
        return super().get_css_variables() if self._theme_chosen else {}

    def get_driver_class(self):  # noqa: ANN201 - Textual's signature
        """Textual's driver for this terminal, sending each style once a frame, not once a
        run of cells (`kring.tui.lean_output`), and reading every byte and paste the terminal
        sends without falling over (`kring.tui.terminal_input`), after what was typed before it
        started (`kring.tui.earlyterminal`)."""
        from kring.tui.earlyterminal import taken_early
        from kring.tui.lean_output import lean_driver

        return taken_early(lean_driver(super().get_driver_class()))

    async def on_event(self, event: events.Event) -> None:
        """A key's binding runs in its turn, in the queue of the widget with the focus.

        Textual forwards a key to that widget and runs the binding (backspace, ctrl+w, left
        in an Input) only when the key has bubbled back up to the App, after its queue
        has passed it on: by then the widget has taken the keys queued behind it, so
        "abc", backspace, "d" arriving in one read gave "abc" (and "d" deleted). Here the
        key does not bubble by itself; right behind it in the widget's queue the bindings
        from the widget up are tried (as Textual's App._on_key would), and only a key none
        takes goes on up to the parents' handlers."""
        if not isinstance(event, events.Key) or event.is_forwarded or not self._screen_stack or not self.focused:
            await super().on_event(event)
            return
        event.bubble = False  # type: ignore[misc]  # this key only; the binding runs in order below
        await super().on_event(event)  # priority bindings, else forwarded to the focused widget
        target = self.focused or self.screen
        if event.is_forwarded:
            target.call_later(self._bindings_in_turn, target, event)

    async def _bindings_in_turn(self, widget: Widget, event: events.Key) -> None:
        del event.bubble  # the class's own again: a key nothing takes bubbles up as in Textual
        if event._stop_propagation:  # the widget took it
            return
        if await self._check_bindings(event.key):
            return
        if widget.parent is not None and widget.is_attached:
            event._bubble_to(widget.parent)

    def _quiet_theme(self) -> None:
        """Start in the settings' theme without Textual's theme change, which parses
        every style rule again (a tenth of the start-up time): before the first parse
        the stylesheet only needs the theme's colours. Later changes (ctrl+t) go
        the usual way, and are remembered."""
        for theme in THEMES:
            self.register_theme(theme)
        name = preferences.start_theme(self, self.config)
        self.set_reactive(App.theme, name)
        self._theme_chosen = True
        self.stylesheet.set_variables(self.get_css_variables())
        csscache.load(self.stylesheet, self.styles_kept)  # the rules as parsed last time, in these colours
        dark = self.current_theme.dark
        self.set_class(True, f"-theme-{name}", update=False)
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)

    @property
    def styles_kept(self) -> str:
        """Under what the style rules this App parsed are kept (kring.tui.csscache)."""
        return f"{type(self).__name__}-{self.theme}"

    # Kept at the first frame (a door that paints first): the rules the next first frame
    # needs, not every dialog's too, which would only be more to load.
    styles_kept_at_start = False

    def on_unmount(self) -> None:
        if not self.styles_kept_at_start:
            csscache.keep(self.stylesheet, self.styles_kept)  # for the next start, if something new was parsed

    def on_mount(self) -> None:
        preferences.remember_theme(self, self.config)
        if startgc.held():  # each door lets go at its first screen; this in case one never says so
            self.set_timer(2.0, startgc.release)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands, in the interface's language."""
        yield SystemCommand(_("Theme"), _("High contrast, light, or colour-blind safe"), self.action_toggle_theme)
        yield SystemCommand(_("Keys"), _("Every key of this screen, with what it does"), self.action_help)
        yield SystemCommand(_("Quit"), _("Leave kring"), self.action_quit)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("What do you want to do?")))

    def action_help(self) -> None:
        """The keys of the screen underneath, with what they do."""
        from kring.screens.dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        """The next of kring's themes: high contrast, light, colour-blind safe."""
        names = [theme.name for theme in THEMES]
        at = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(at + 1) % len(names)]
