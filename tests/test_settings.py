"""Settings: one typed object from the command line, the environment and the
config file (in that order, then the defaults); a broken file said in one line;
the keymap remaps keys by binding id; the theme chosen is remembered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kring.tui.config import Config, ConfigError, default_path


def write_config(text: str) -> Path:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_tests_never_read_the_users_own_config(tmp_path):
    assert default_path() == tmp_path / "config" / "config.toml"


def test_defaults_without_a_config_file(monkeypatch):
    monkeypatch.delenv("KRING_LANG")
    s = Config.load().settings
    assert (s.db, s.lang, s.theme, s.keymap, s.shared_group) == (None, None, "kring-contrast", {}, None)
    assert (s.smtp.host, s.smtp.port, s.smtp.user, s.smtp.sender, s.smtp.password) == (None, 587, None, None, None)


def test_command_line_beats_environment_beats_file_beats_defaults(monkeypatch, tmp_path):
    write_config('db = "file.db"\nlang = "en"\ntheme = "kring-light"\nshared_group = "file-group"\n'
                 '[smtp]\nhost = "smtp.file.example"\nport = 2525\nuser = "anouk"\nfrom = "Anouk <a@example.org>"\n'
                 '[keymap]\n"agenda.next" = "right"\n"agenda.previous" = "left"\n')
    monkeypatch.delenv("KRING_LANG")
    s = Config.load().settings
    assert (s.db, s.lang, s.theme, s.shared_group) == ("file.db", "en", "kring-light", "file-group")
    assert (s.smtp.host, s.smtp.port, s.smtp.user, s.smtp.sender) == ("smtp.file.example", 2525, "anouk",
                                                                      "Anouk <a@example.org>")
    monkeypatch.setenv("KRING_DB", "env.db")
    monkeypatch.setenv("KRING_LANG", "nl_BE.UTF-8")
    monkeypatch.setenv("KRING_THEME", "kring-contrast")
    monkeypatch.setenv("KRING_SMTP_PORT", "465")
    monkeypatch.setenv("KRING_SMTP_PASSWORD", "geheim")
    monkeypatch.setenv("KRING_KEYMAP", '{"agenda.next": "l"}')
    s = Config.load().settings
    assert (s.db, s.lang, s.theme, s.shared_group) == ("env.db", "nl", "kring-contrast", "file-group")
    assert (s.smtp.host, s.smtp.port) == ("smtp.file.example", 465)
    assert s.smtp.password.get_secret_value() == "geheim" and "geheim" not in repr(s)
    assert s.keymap == {"agenda.next": "l", "agenda.previous": "left"}  # laid over the file's, key by key
    s = Config.load({"db": "cli.db", "lang": "en", "shared_group": None}).settings
    assert (s.db, s.lang, s.shared_group) == ("cli.db", "en", "file-group")


def test_what_the_first_frame_peeks_at_is_what_the_settings_say(monkeypatch):
    write_config('db = "file.db"\ntheme = "kring-light"\n[keymap]\n"agenda.next" = "right"\n')
    monkeypatch.setenv("KRING_KEYMAP", '{"agenda.previous": "left"}')
    monkeypatch.setenv("KRING_SHARED_GROUP", "staff")
    for cli in ({}, {"db": "cli.db"}):
        config = Config.load(cli)
        peeked = {name: config.peek(name) for name in ("db", "lang", "theme", "keymap", "shared_group")}
        s = config.settings
        assert peeked == {"db": s.db, "lang": s.lang, "theme": s.theme, "keymap": s.keymap,
                          "shared_group": s.shared_group}


def test_the_first_frame_reads_the_environment_as_the_settings_do():
    from kring.tui.config import ENV_PREFIX
    from kring.tui.settings import Settings

    assert Settings.model_config["env_prefix"] == ENV_PREFIX


def test_the_settings_are_built_once():
    config = Config.load()
    assert config.settings is config.settings


@pytest.mark.parametrize("text,where,field,reason", [
    ('theme = kring-light\n', 2, "theme", "geen geldige TOML"),
    ('lang = "en"\n[smtp]\nport = "vijf"\n', 4, "smtp.port", "whole number"),
    ('lang = "en"\nthema = "kring-light"\n', 3, "thema", "not a setting of kring"),
    ('theme = "paars"\n', 2, "theme", "kies uit kring-contrast, kring-light"),
    ('[smtp]\nhost = "smtp.example.org"\npassword = "geheim"\n', 4, "smtp.password", "KRING_SMTP_PASSWORD"),
    ('[keymap]\n"agenda.next" = 3\n', 3, "keymap.agenda.next", "tekst tussen dubbele aanhalingstekens"),
    ('lang = "fr"\n', 2, "lang", "kies uit nl, en"),
    ('[keymap]\n"agenda.start_pause" = "enter"\n"agenda.next" = "right,q"\n', 4, "keymap.agenda.next",
     "q is de toets voor stoppen; kies een andere toets"),
    ('[keymap]\n"agenda.next" = "?"\n', 3, "keymap.agenda.next", "? is de toets voor de lijst met toetsen"),
])
def test_a_broken_config_file_is_one_line_naming_file_line_and_field(capsys, monkeypatch, text, where, field,
                                                                      reason):
    from kring.tui.cli import main

    monkeypatch.delenv("KRING_LANG")
    path = write_config("# kring\n" + text)
    assert main(["sessions"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and not captured.out, captured.err
    assert lines[0].startswith(f"kring: {path}:{where}: {field}: ") and reason in lines[0], lines[0]
    assert "geheim" not in lines[0]


@pytest.mark.parametrize("text,where,reason", [
    ('theme = "kring-light\n', 2, "een tekst zonder afsluitend aanhalingsteken"),
    ('[smtp\n', 2, "een [sectie] zonder afsluitende ]"),
    ('lang = "nl"\nlang = "en"\n', 3, "een naam die twee keer voorkomt"),
    ('theme\n', 2, "'=' ontbreekt na de naam"),
])
def test_a_toml_error_is_said_in_the_interfaces_language(capsys, monkeypatch, text, where, reason):
    """tomllib's own English ("Illegal character '\\n'") never reaches a Dutch screen."""
    from kring.tui.cli import main

    monkeypatch.delenv("KRING_LANG")
    path = write_config("# kring\n" + text)
    assert main(["sessions"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"kring: {path}:{where}: ") and f"geen geldige TOML ({reason})" in line, line
    for english in ("Illegal", "character", "Expected", "Cannot", "Invalid"):
        assert english not in line, line


def test_a_value_from_the_environment_is_named_by_its_variable(capsys, monkeypatch, english):
    from kring.tui.cli import main

    monkeypatch.setenv("KRING_SMTP_PORT", "vijf")
    assert main(["sessions"]) == 2
    assert capsys.readouterr().err.strip() == "kring: KRING_SMTP_PORT: must be a whole number"
    monkeypatch.delenv("KRING_SMTP_PORT")
    monkeypatch.setenv("KRING_KEYMAP", "agenda.next=right")
    assert main(["sessions"]) == 2
    assert capsys.readouterr().err.strip().startswith("kring: KRING_KEYMAP: not valid JSON")


def test_a_broken_config_file_from_the_real_command_exits_2_without_a_traceback(tmp_path, english):
    import subprocess
    import sys

    path = write_config('[smtp]\nport = "vijf"\n')
    env = {**os.environ, "KRING_DB": str(tmp_path / "k.db")}
    done = subprocess.run([sys.executable, "-m", "kring.tui.cli", "demo"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == f"kring: {path}:2: smtp.port: must be a whole number\n"
    assert not (tmp_path / "k.db").exists()


async def test_at_a_first_paint_a_broken_setting_ends_the_app_with_its_line(store, clock, meeting_id):
    """`kring demo`/`resume` paint before the typed settings exist: they are built
    with the store, and a value they refuse ends the app as a store that will not open."""
    from kring.tui.app import KringApp
    from kring.tui.firstpaint import read

    if not store.url.startswith("sqlite:///"):
        pytest.skip("the quick read is for SQLite files")
    path = write_config('theme = "paars"\n')
    first = read(store.url.removeprefix("sqlite:///"), meeting_id=meeting_id)
    app = KringApp(None, meeting_id, clock=clock, watch=False, first_paint=first, config=Config.load())
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "kring-contrast"  # painted in the default theme meanwhile
        app.first_frame_shown()
        for _ in range(200):
            if app.open_error is not None:
                break
            await pilot.pause(0.02)
    assert isinstance(app.open_error, ConfigError)
    assert str(app.open_error) == f"{path}:1: theme: kies uit kring-contrast, kring-light, kring-colour-safe (of een van de thema's van Textual)"
    assert app.return_code == 2


# --- the keymap ------------------------------------------------------------------------------


async def test_the_keymap_remaps_the_agenda_and_the_keys_shown_follow(make_app, meeting_id):
    from kring.screens.dialogs.help import HelpScreen
    from kring.tui.widgets.keybar import KeyBar

    write_config('[keymap]\n"agenda.next" = "right"\n"agenda.start_pause" = "enter"\n')
    app = make_app(meeting_id, config=Config.load())
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert app.timeline().running
        await pilot.press("n")  # no longer the key for the next step
        app.outbox.flush()
        assert app.timeline().current == 0
        await pilot.press("right")
        app.outbox.flush()
        assert app.timeline().current == 1
        app.refresh_screen()
        await pilot.pause()
        bar = str(app.screen.query_one(KeyBar).render())
        assert bar.startswith("⏎ Start/pauze → Volgende p Vorige"), bar
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert app.screen.rows[:3] == [("⏎", "Start/pauze"), ("→", "Volgende"), ("p", "Vorige")]


def test_a_key_that_quit_left_is_free_to_take(monkeypatch):
    """Moving quit elsewhere frees q: the refusal is for a key another binding still needs."""
    write_config('[keymap]\n"quit" = "x,ctrl+q"\n"agenda.next" = "q"\n')
    assert Config.load().settings.keymap["agenda.next"] == "q"
    write_config('[keymap]\n"evaluate.quit" = "q"\n"notes.quit" = "ctrl+q"\n')
    assert Config.load().settings.keymap["evaluate.quit"] == "q"


async def test_the_keymap_reaches_the_history_screen(store, clock):
    from kring.tui.history_app import HistoryApp

    write_config('[keymap]\n"history.search" = "ctrl+k"\n')
    app = HistoryApp(store, clock=clock, config=Config.load())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        keys = {b.binding.id: key for key, b in app.screen.active_bindings.items() if b.binding.id}
        assert keys["history.search"] == "ctrl+k"


# --- the theme, remembered --------------------------------------------------------------------


async def test_the_theme_switched_to_is_remembered_for_the_next_start(make_app, meeting_id):
    path = write_config('# my settings\nlang = "nl"\n\n[keymap]\n"agenda.next" = "right"\n')
    app = make_app(meeting_id, config=Config.load())
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "kring-contrast"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "kring-light"
    assert path.read_text() == ('# my settings\nlang = "nl"\ntheme = "kring-light"\n\n'
                                '[keymap]\n"agenda.next" = "right"\n')
    again = make_app(meeting_id, config=Config.load())
    async with again.run_test(size=(80, 24)) as pilot:
        assert again.theme == "kring-light" and again.has_class("-light-mode")
        assert again.screen.styles.background.hex == "#FFFFFF"
        await pilot.press("ctrl+t")  # the colour-blind-safe theme, remembered as well
        await pilot.pause()
        assert again.theme == "kring-colour-safe" and Config.load().settings.theme == "kring-colour-safe"
        await pilot.press("ctrl+t")  # and round to high contrast
        await pilot.pause()
    assert Config.load().settings.theme == "kring-contrast"
    assert path.read_text().count("theme =") == 1


async def test_starting_does_not_write_the_config_file(make_app, meeting_id):
    app = make_app(meeting_id, config=Config.load())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert not default_path().exists()


def test_remembering_keeps_a_file_it_cannot_edit_line_by_line_valid(tmp_path):
    write_config('theme = """kring-\ncontrast"""\nlang = "en"\n')
    config = Config.load()
    config.remember(theme="kring-light")
    again = Config.load()
    assert again.file == {"theme": "kring-light", "lang": "en"}
    assert oct(default_path().stat().st_mode & 0o777) == "0o600"


def test_the_first_paint_reads_the_store_the_settings_name(store, meeting_id, monkeypatch):
    from kring.tui.firstpaint import read

    if not store.url.startswith("sqlite:///"):
        pytest.skip("the quick read is for SQLite files")
    write_config(f'db = "{store.url.removeprefix("sqlite:///")}"\n')
    first = read(Config.load().peek("db"), meeting_id=meeting_id)
    assert first is not None and first.url == store.url
