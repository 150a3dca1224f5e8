"""Start-up: the agenda painted from a quick read, the store opened after.

`kring demo` and `kring resume` read the meeting with Python's sqlite3 and show
the agenda's core before SQLAlchemy loads; a thread then opens the store and the
full agenda takes over. Whenever the quick read is not sure it gives None and
the usual path opens the store (and refuses bad input with exit 2).
"""

from __future__ import annotations

import os
import sqlite3

import pytest

from kring.tui.firstpaint import DEMO_NETWORK, read

pytestmark = pytest.mark.usefixtures("sqlite_file")


@pytest.fixture
def sqlite_file(db_url):
    if not db_url.startswith("sqlite:///"):
        pytest.skip("the quick read is for SQLite files")


def _path(store) -> str:
    return store.url.removeprefix("sqlite:///")


def test_the_demo_network_is_named_as_the_demo_names_it():
    from kring.data.demo import DEMO_NETWORK as named

    assert DEMO_NETWORK == named


def test_reads_the_meeting_and_its_log_as_the_store_does(store, clock, meeting_id):
    from kring.data.core.timeline import derive
    from kring.data.meetings import append_event, get_meeting, load_events

    append_event(store, meeting_id, "start", clock.now())
    clock.advance(minutes=3)
    append_event(store, meeting_id, "goto", clock.now(), {"step": 1})
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Bram"})
    first = read(_path(store), meeting_id=meeting_id)
    assert first is not None and first.url == store.url
    info = get_meeting(store, meeting_id)
    assert (first.meeting.id, first.meeting.title, first.meeting.plan) == (info.id, info.title, info.plan)
    assert first.meeting.format_data == info.format_data and first.meeting.names == info.names
    stored = load_events(store, meeting_id)
    assert [(e.uid, e.kind, e.data, e.at, e.id) for e in first.snapshot.events] == [
        (e.uid, e.kind, e.data, e.at, e.id) for e in stored
    ]
    clock.advance(seconds=42)
    assert derive(first.meeting.plan, first.snapshot.events, clock.now()) == derive(info.plan, stored, clock.now())


def test_latest_live_meeting_by_default_and_the_demo_by_its_network(store, clock, standaard):
    from kring.data.demo import demo_meeting
    from kring.data.meetings import create_meeting

    demo = demo_meeting(store, clock, standaard)
    later = create_meeting(store, standaard, ["Anouk", "Bram"], clock)
    assert read(_path(store)).meeting.id == later
    assert read(_path(store), demo=True).meeting.id == demo


@pytest.mark.parametrize("case", ["missing", "unknown id", "closed", "older schema", "newer schema", "not a store",
                                  "readable by others", "empty file", "no demo"])
def test_any_doubt_gives_none_and_the_usual_path_decides(store, clock, meeting_id, tmp_path, case):
    from kring.data.meetings import append_event

    path = _path(store)
    kw: dict = {"meeting_id": meeting_id}
    if case == "missing":
        path = str(tmp_path / "nowhere" / "kring.db")
    elif case == "unknown id":
        kw = {"meeting_id": meeting_id + 100}
    elif case == "closed":
        append_event(store, meeting_id, "close", clock.now())
    elif case in ("older schema", "newer schema"):
        con = sqlite3.connect(path)
        con.execute("UPDATE alembic_version SET version_num = ?", ("0001" if case == "older schema" else "9999",))
        con.commit()
        con.close()
    elif case == "not a store":
        path = str(tmp_path / "other.db")
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        os.chmod(path, 0o600)
    elif case == "readable by others":
        os.chmod(path, 0o644)
    elif case == "empty file":
        path = str(tmp_path / "empty.db")
        open(path, "w").close()
        os.chmod(path, 0o600)
    elif case == "no demo":
        kw = {"demo": True}
    assert read(path, **kw) is None


def test_a_postgresql_url_takes_the_usual_path():
    assert read("postgresql://nobody@localhost/kring") is None


def test_resume_with_a_bad_id_is_still_refused_before_any_screen(store, meeting_id, capsys):
    from kring.tui.cli import main

    assert main(["resume", str(meeting_id + 7), "--db", _path(store)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kring: ") and str(meeting_id + 7) in err and len(err.strip().splitlines()) == 1


async def _until(pilot, test, seconds: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not test():
        assert time.monotonic() < deadline, "gave up waiting"
        await pilot.pause(0.05)


async def test_core_first_then_the_full_agenda_and_keys_wait_for_the_store(store, clock, meeting_id, monkeypatch):
    from textual.css.stylesheet import Stylesheet

    from kring.data.meetings import load_events
    from kring.screens.agenda import AgendaScreen
    from kring.screens.agenda_core import AgendaScreen as AgendaCore
    from kring.tui.app import KringApp

    first = read(_path(store), meeting_id=meeting_id)
    app = KringApp(None, meeting_id, clock=clock, watch=False, first_paint=first)
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None  # hold the store back: keys come first
    reparsed = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparsed.append(1), original(self))[1])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen) is AgendaCore and not app.connected
        assert "Klaar: 5 stappen" in str(app.screen.query_one("#step-title").render())
        await pilot.press("space", "n")
        await pilot.pause()
        assert app.events == []  # nothing shown that is not being saved
        opening()
        await _until(pilot, lambda: isinstance(app.screen, AgendaScreen))
        app.outbox.flush()
        assert [e.kind for e in load_events(store, meeting_id)] == ["start", "goto"]
        app.refresh_screen()
        await pilot.pause()
        assert str(app.screen.query_one("#step-title").render()).startswith("Stap 2 van 5")
        assert app.screen.query_one("#rounds-panel") is not None  # the capabilities joined
        assert reparsed == []  # neither the first frame nor the hand-over parsed the rules again


async def test_a_dialog_open_at_the_hand_over_keeps_its_place(store, clock, meeting_id):
    from kring.screens.agenda import AgendaScreen
    from kring.screens.dialogs.help import HelpScreen
    from kring.tui.app import KringApp

    app = KringApp(None, meeting_id, clock=clock, watch=False, first_paint=read(_path(store), meeting_id=meeting_id))
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await _until(pilot, lambda: isinstance(app.screen, HelpScreen))
        opening()
        await _until(pilot, lambda: app.connected)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(app.screen, AgendaScreen))


async def test_a_store_that_will_not_open_after_all_ends_the_app_with_the_reason(store, clock, meeting_id, tmp_path):
    from kring.tui.app import KringApp

    first = read(_path(store), meeting_id=meeting_id)
    con = sqlite3.connect(_path(store))
    con.execute("UPDATE alembic_version SET version_num = '9999'")  # changed between the read and the open
    con.commit()
    con.close()
    app = KringApp(None, meeting_id, clock=clock, watch=False, first_paint=first)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: app.open_error is not None)
    from kring.data.store import StoreError

    assert isinstance(app.open_error, StoreError) and "nieuwere kring" in str(app.open_error)
    assert app.return_code == 2


_FIRST_FRAME_PROBE = """
import json, sys
from kring.data import i18n
i18n.setup("nl")
from kring.tui.firstpaint import read
from kring.tui.app import KringApp

first = read(sys.argv[1], meeting_id=int(sys.argv[2]))
loaded = {}

app = KringApp(None, first.meeting.id, first_paint=first)

def first_frame_shown():
    heavy = ("pendulum", "babel", "sqlalchemy", "sqlmodel", "pydantic", "yaml", "alembic")
    loaded["before_first_frame"] = sorted(m for m in heavy if m in sys.modules)
    loaded["screen"] = type(app.screen).__module__
    app.exit()

app.first_frame_shown = first_frame_shown
app.run(headless=True, size=(80, 24))
print(json.dumps(loaded))
"""


def test_nothing_heavy_loads_before_the_first_frame(store, meeting_id):
    """The first frame needs Textual and Python's own sqlite3 and datetime: the
    store's libraries and pendulum load after it (issue #8, start-up time)."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _FIRST_FRAME_PROBE, _path(store), str(meeting_id)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == {"before_first_frame": [], "screen": "kring.screens.agenda_core"}



def test_with_a_config_file_nothing_heavy_loads_before_the_first_frame(store, meeting_id, tmp_path):
    """The settings are read with tomllib for the first frame; the typed object
    (pydantic-settings) is built after it."""
    import json
    import subprocess
    import sys

    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('theme = "kring-light"\n[keymap]\n"agenda.next" = "right"\n')
    probe = (
        "import json, sys\n"
        "from textual.app import App\n"
        "from kring.tui.app import KringApp\n"
        "from kring.tui.cli import main\n"
        "loaded = {}\n"
        "def first_frame_shown(app):\n"
        "    heavy = ('pendulum', 'sqlalchemy', 'sqlmodel', 'pydantic', 'pydantic_settings', 'tomlkit', 'yaml',"
        " 'alembic')\n"
        "    loaded['before_first_frame'] = sorted(m for m in heavy if m in sys.modules)\n"
        "    loaded['theme'], loaded['next'] = app.theme, app._keymap.get('agenda.next')\n"
        "    app.exit()\n"
        "KringApp.first_frame_shown = first_frame_shown\n"
        "run = App.run\n"
        "App.run = lambda app, **kw: run(app, headless=True, size=(80, 24))\n"
        "sys.stdin.isatty = lambda: True  # headless, as if in a terminal\n"
        "code = main(['--db', sys.argv[1], 'resume', sys.argv[2]])\n"
        "print(json.dumps(loaded))\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "KRING_CONFIG_DIR": str(config.parent)}
    done = subprocess.run([sys.executable, "-c", probe, _path(store), str(meeting_id)],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == {"before_first_frame": [], "theme": "kring-light", "next": "right"}
