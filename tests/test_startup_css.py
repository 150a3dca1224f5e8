"""Start-up: the moderator's first frame parses the style rules once.

Textual parses every rule again when the theme changes or a screen brings a
CSS file of its own; either costs a tenth of the start-up time (issue #8)."""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

from kring.tui.app import AGENDA_CSS


async def test_the_agenda_shows_without_parsing_the_rules_again(make_app, meeting_id, monkeypatch):
    reparsed = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparsed.append(1), original(self))[1])
    app = make_app(meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "AgendaScreen"
        assert app.stylesheet.has_source(str(AGENDA_CSS))
        assert reparsed == []
        assert app.theme == "kring-contrast" and app.has_class("-theme-kring-contrast", "-dark-mode")
        assert app.screen.styles.background.hex == "#000000"  # the theme's colours, not Textual's
        await pilot.press("ctrl+t")  # the light theme, the usual way
        await pilot.pause()
        assert app.theme == "kring-light" and app.has_class("-light-mode")
        assert app.screen.styles.background.hex == "#FFFFFF"


async def test_the_note_takers_app_does_not_load_the_agendas_rules(store, meeting_id):
    from kring.tui.notes_app import NotesApp

    app = NotesApp(store, meeting_id, watch=False)
    assert str(AGENDA_CSS) not in map(str, app.css_path)
