"""Start-up: the moderator's first frame parses the style rules once.

Textual parses every rule again when the theme changes or a screen brings a
CSS file of its own; either costs a tenth of the start-up time (issue #8)."""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

from kring.screens.agenda_core import AgendaScreen


def agenda_css() -> str:
    [path] = AgendaScreen(None).css_path  # no meeting needed to know its file
    return str(path)


async def test_the_agenda_shows_without_parsing_the_rules_again(make_app, meeting_id, monkeypatch):
    reparsed = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparsed.append(1), original(self))[1])
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "AgendaScreen"
        assert app.stylesheet.has_source(agenda_css())
        assert reparsed == []
        assert app.theme == "kring-contrast" and app.has_class("-theme-kring-contrast", "-dark-mode")
        assert app.screen.styles.background.hex == "#000000"  # the theme's colours, not Textual's
        await pilot.press("ctrl+t")  # the light theme, the usual way
        await pilot.pause()
        assert app.theme == "kring-light" and app.has_class("-light-mode")
        assert app.screen.styles.background.hex == "#FFFFFF"


async def test_the_note_takers_app_pushes_its_own_screen_and_rules(store, meeting_id):
    from kring.screens.notes import NotesScreen
    from kring.tui.notes_app import NotesApp

    app = NotesApp(store, meeting_id, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen) and len(app.screen_stack) == 2  # over Textual's base
        assert all(app.stylesheet.has_source(str(path)) for path in app.screen.css_path)
        assert not app.stylesheet.has_source(agenda_css())
