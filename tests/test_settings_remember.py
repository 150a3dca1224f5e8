"""Remembering a setting (the theme, the [smtp] table) edits the user's config.toml in place: their
comments, order and layout stay, once an [smtp] table exists too."""

from __future__ import annotations

import tomllib

import pytest

from kring.tui.config import Config, ConfigError, default_path
from tests.test_series_mail import meeting, smtp  # noqa: F401 - the real SMTP server and a meeting
from tests.test_settings import write_config

COMMENTED = '''\
# kring, my settings (written by hand)
lang = "nl"            # Dutch on the projector
theme = "kring-contrast"

# the store on the shared drive
db = "~/vergaderingen/kring.db"

# mail for the reports
[smtp]
host = "smtp.example.org"   # the office's server
port = 587
# user comes later

# keys
[keymap]
"agenda.next" = "right,n"  # the clicker sends right
'''


def test_remembering_the_theme_keeps_every_comment_and_the_order():
    write_config(COMMENTED)
    config = Config.load()
    config.remember(theme="kring-light")
    assert default_path().read_text(encoding="utf-8") == COMMENTED.replace(
        'theme = "kring-contrast"', 'theme = "kring-light"')
    assert Config.load().settings.theme == "kring-light"


def test_remembering_the_smtp_table_edits_it_in_place():
    write_config(COMMENTED)
    config = Config.load()
    config.remember(smtp={"host": "mail.example.org", "port": 587, "user": "anouk",
                          "from": "Anouk <anouk@example.org>"})
    text = default_path().read_text(encoding="utf-8")
    for comment in ("# kring, my settings (written by hand)", "# Dutch on the projector", "# the store on the shared",
                    "# mail for the reports", "# the office's server", "# user comes later", "# keys",
                    "# the clicker sends right"):
        assert comment in text
    assert 'host = "mail.example.org"   # the office\'s server' in text  # the value changed, its comment kept
    assert text.index("[smtp]") < text.index('user = "anouk"') < text.index("[keymap]")  # in its own table
    kept = tomllib.loads(text)
    assert kept["smtp"] == {"host": "mail.example.org", "port": 587, "user": "anouk",
                            "from": "Anouk <anouk@example.org>"}
    assert kept["keymap"] == {"agenda.next": "right,n"} and kept["db"] == "~/vergaderingen/kring.db"
    assert config.settings.smtp.user == "anouk" and config.settings.smtp.sender == "Anouk <anouk@example.org>"
    config.remember(theme="kring-colour-safe")  # and a top-level one afterwards, beside the others
    text = default_path().read_text(encoding="utf-8")
    assert text.index('theme = "kring-colour-safe"') < text.index("# the store on the shared drive")
    assert text.count("theme =") == 1 and "# user comes later" in text


def test_a_new_smtp_table_goes_at_the_end_and_a_new_theme_above_the_tables_comments():
    write_config('# mine\nlang = "en"\n\n# my keys\n[keymap]\n"agenda.next" = "right"\n')
    config = Config.load()
    config.remember(theme="kring-light")
    config.remember(smtp={"host": "smtp.example.org", "port": 25})
    assert default_path().read_text(encoding="utf-8") == (
        '# mine\nlang = "en"\ntheme = "kring-light"\n\n# my keys\n[keymap]\n"agenda.next" = "right"\n\n'
        '[smtp]\nhost = "smtp.example.org"\nport = 25\n')


TABLES_OF_EVERY_KIND = ('lang = "en"\n\n# keys\n[keymap]  # mine\n"agenda.next" = "right"\n[keymap.extra]\n'
                        'a = 1\n\n[[smtp_relay]]\nhost = "a"\n[[smtp_relay]]\nhost = "b"\n[other]\nx = 1\n'
                        '[keymap.later]\nb = 2\n')


def test_a_new_setting_above_the_tables_leaves_every_other_byte_as_it_was():
    """The new line goes in by building the document again, as tomlkit's parser does: sub-tables,
    arrays of tables and a table continued further down must come out exactly as they were."""
    write_config(TABLES_OF_EVERY_KIND)
    config = Config.load()
    config.remember(theme="kring-light")
    text = default_path().read_text(encoding="utf-8")
    assert text == TABLES_OF_EVERY_KIND.replace('lang = "en"\n', 'lang = "en"\ntheme = "kring-light"\n', 1)
    config.remember(lang="nl")  # and the document stays editable afterwards
    assert default_path().read_text(encoding="utf-8") == text.replace('lang = "en"', 'lang = "nl"')


def test_an_inline_smtp_table_stays_inline():
    write_config('smtp = { host = "a.example.org" }  # short\n')
    Config.load().remember(smtp={"host": "a.example.org", "port": 2525})
    text = default_path().read_text(encoding="utf-8")
    assert "# short" in text and tomllib.loads(text)["smtp"] == {"host": "a.example.org", "port": 2525}


def test_a_broken_file_is_said_and_never_overwritten():
    path = write_config('# mine\ntheme = "kring-light\n')
    with pytest.raises(ConfigError, match="config.toml:2"):
        Config(path).remember(theme="kring-contrast")
    assert path.read_text(encoding="utf-8") == '# mine\ntheme = "kring-light\n'


def test_mailing_a_report_remembers_the_server_and_keeps_the_comments(capsys, smtp, meeting):  # noqa: F811
    from tests.cli_helpers import run

    store, meeting_id = meeting
    write_config(COMMENTED)
    code, _, err = run(capsys, "report", str(meeting_id), "--mail-to", "anouk@example.org", "--smtp", smtp.where,
                       "--mail-from", "coordinator@example.org")
    assert code == 0, err
    text = default_path().read_text(encoding="utf-8")
    assert "# the office's server" in text and "# user comes later" in text and "# the clicker sends right" in text
    host, port = smtp.where.split(":")
    assert tomllib.loads(text)["smtp"] == {"host": host, "port": int(port), "from": "coordinator@example.org"}
    assert text.startswith("# kring, my settings (written by hand)\n")
