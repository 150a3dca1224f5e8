"""Every door paints first: `kring run`, `kring demo` on a new store (and, in
test_firstpaint.py, resume and the demo reopening) show their first screen before
the store's libraries load; the store is opened, or made, in a thread after it.
Keys pressed before then wait, and nothing is shown as saved that is not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "pydantic_settings", "yaml", "pendulum", "aiohttp")


def test_the_demo_is_painted_as_the_demo_makes_it():
    from kring.data import demo
    from kring.tui import firstmeeting

    assert firstmeeting.DEMO_NAMES == [name for name, _ in demo.DEMO_MEMBERS]
    source = open(demo.__file__, encoding="utf-8").read()
    for given in (firstmeeting.DEMO_TITLE, firstmeeting.DEMO_PLACE):
        assert f'"{given}"' in source
    assert 'roles={DEMO_MEMBERS[0][0]: ["moderator"], DEMO_MEMBERS[1][0]: ["notulist"]}' in source
    assert firstmeeting.DEMO_ROLES == {demo.DEMO_MEMBERS[0][0]: ["moderator"], demo.DEMO_MEMBERS[1][0]: ["notulist"]}


def test_a_format_is_cached_as_it_validated_and_forgotten_when_its_file_changes(tmp_path):
    from kring.workformats.loader import find, user_dir
    from kring.workformats.quick import cached, remember

    assert cached("standaard") is None  # never read: the usual path
    fmt = remember("standaard", lambda: find("standaard"))
    assert cached("standaard") == fmt.model_dump(mode="json")

    own = user_dir()
    own.mkdir(parents=True)
    path = own / "mine.yaml"
    from kring.workformats.loader import BUILTIN_DIR

    text = (BUILTIN_DIR / "standaard.yaml").read_text(encoding="utf-8").replace("name: standaard", "name: mine")
    path.write_text(text, encoding="utf-8")
    remember("mine", lambda: find("mine"))
    assert cached("mine")["name"] == "mine"
    assert cached(str(path)) == cached("mine")
    path.write_text(text.replace("Inchecken", "Binnenkomen"), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert cached("mine") is None  # changed since: read again the usual way
    (own / "standaard.yaml").write_text("name: standaard\nsteps: []\n", encoding="utf-8")
    assert cached("standaard") is None  # the user's file of that name would be read now


def test_an_edit_of_the_same_size_with_its_time_put_back_is_not_painted_from_the_cache(tmp_path):
    from kring.workformats.loader import BUILTIN_DIR, find, user_dir
    from kring.workformats.quick import cached, remember

    own = user_dir()
    own.mkdir(parents=True)
    path = own / "mine.yaml"
    text = (BUILTIN_DIR / "standaard.yaml").read_text(encoding="utf-8").replace("name: standaard", "name: mine")
    path.write_text(text, encoding="utf-8")
    remember("mine", lambda: find("mine"))
    assert cached("mine") is not None
    kept = path.stat()
    edited = text.replace("minutes: 10", "minutes: 15", 1)
    assert edited != text and len(edited) == len(text)
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(kept.st_atime_ns, kept.st_mtime_ns))  # as touch -r or a restore leaves it
    assert path.stat().st_size == kept.st_size and path.stat().st_mtime_ns == kept.st_mtime_ns
    assert cached("mine") is None  # the old minutes are never painted


_PROBE = """
import json, sys, time
from textual.app import App
from kring.tui.app import KringApp
from kring.tui.cli import main

HEAVY = {heavy!r}
from kring.tui.notes_app import NotesApp
from kring.tui.evaluate_app import EvaluateApp

seen = {{}}

def first_frame(app):
    if "loaded" not in seen:  # the first frame is on the terminal
        seen["loaded"] = sorted(m for m in HEAVY if m in sys.modules)
        seen["screen"] = type(app.screen).__module__ + "." + type(app.screen).__name__
        app.set_interval(0.05, lambda: app.connected and app.exit())

def watching(shown):
    return lambda app, message: (first_frame(app), shown(app, message))[1]

for cls in (KringApp, NotesApp, EvaluateApp):  # each client's own handler runs first
    cls.on_screen_shown = watching(cls.on_screen_shown)
run = App.run
App.run = lambda app, **kw: run(app, headless=True, size=(100, 30))
sys.stdin.isatty = lambda: True  # headless, as if in a terminal
code = main(sys.argv[1:])
print(json.dumps(seen))
sys.exit(code)
"""


def _door(argv: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE.format(heavy=HEAVY), *argv], capture_output=True,
                          text=True, timeout=180, env=env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return {**os.environ, "KRING_DB": str(tmp_path / "kring.db")}


def _meetings(path) -> list[tuple]:
    import sqlite3

    con = sqlite3.connect(str(path))
    try:
        return con.execute("SELECT id, title, status, (SELECT count(*) FROM participant p WHERE p.meeting_id = "
                           "m.id) FROM meeting m ORDER BY id").fetchall()
    finally:
        con.close()


def test_demo_on_a_new_store_then_run_paint_before_the_store_libraries_load(tmp_path, env):
    """The first `kring demo` creates the store (migrations and all) after its first frame;
    `kring run` on it paints the new meeting from the cached format, then makes it."""
    from kring.workformats.loader import find
    from kring.workformats.quick import remember

    remember("standaard", lambda: find("standaard"))  # as any earlier start leaves it
    first = _door(["demo"], env)
    assert first == {"loaded": [], "screen": "kring.screens.agenda_core.AgendaScreen"}
    assert _meetings(tmp_path / "kring.db") == [(1, "Demo: bijeenkomst leernetwerk", "live", 6)]
    run = _door(["run", "--format", "standaard", "-p", "Anouk", "-p", "Bram", "--title", "Dinsdag"], env)
    assert run == {"loaded": [], "screen": "kring.screens.agenda_core.AgendaScreen"}
    assert _meetings(tmp_path / "kring.db")[-1] == (2, "Dinsdag", "live", 2)


def test_a_format_never_read_takes_the_usual_path_and_is_kept_for_the_next(tmp_path, env):
    from kring.workformats.quick import cached

    assert cached("standaard") is None
    first = _door(["demo"], env)  # the usual path: no first paint before the store
    assert first["screen"] == "kring.screens.agenda.AgendaScreen" and "sqlalchemy" in first["loaded"]
    assert cached("standaard") is not None


def test_evaluate_paints_the_form_before_the_store_libraries_load(tmp_path, env, monkeypatch, capsys):
    """A participant's form paints from the quick read and the form cache; the store opens
    after. A name the meeting does not know, or one that answered, is refused before any
    screen, as before (the usual path)."""
    from kring.data.evaluation import open_evaluation, submit
    from kring.data.store import Store
    from kring.tui.cli import main

    _door(["demo"], env)  # the store and its live meeting
    store = Store("sqlite:///" + env["KRING_DB"])
    try:
        open_evaluation(store, 1)  # as any earlier evaluation leaves the form's cache
        assert _door(["evaluate", "1", "--as", "anouk"], env) == {
            "loaded": [], "screen": "kring.screens.evaluate_core.EvaluateScreen"}
        # the usual path, still there for tests that want it
        assert _door(["evaluate", "1", "--as", "anouk"], {**env, "KRING_QUICK_EVALUATE": "0"})["screen"] == (
            "kring.screens.evaluate.EvaluateScreen")
        from kring.data.core.clock import SystemClock

        submit(store, 1, "Bram Jansen", {"roti": 3}, SystemClock())
    finally:
        store.close()
    monkeypatch.setenv("KRING_DB", env["KRING_DB"])
    for who, said in (("Nobody", "Nobody"), ("bram", "Bram Jansen")):
        assert main(["evaluate", "1", "--as", who]) == 2
        err = capsys.readouterr().err
        assert err.startswith("kring: ") and said in err and len(err.strip().splitlines()) == 1


def test_bad_input_is_refused_before_any_screen(tmp_path, env, monkeypatch, capsys):
    from kring.tui.cli import main
    from kring.workformats.loader import find
    from kring.workformats.quick import remember

    remember("standaard", lambda: find("standaard"))
    monkeypatch.setenv("KRING_DB", env["KRING_DB"])
    for argv, said in ((["-p", "Anouk", "-p", "anouk"], "twee keer genoemd"), (["-p", " "], "leeg"),
                       (["-p", "Anouk", "--title", "x" * 500], "--title")):
        assert main(["run", "--format", "standaard", *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith("kring: ") and said in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "kring.db").exists()


async def test_keys_before_the_new_meeting_is_made_wait_for_it(store, clock):
    """`kring run`'s first paint: space and n pressed before the meeting exists are
    recorded, in order, on the meeting once it is made; nothing before."""
    from kring.data.meetings import load_events
    from kring.screens.agenda import AgendaScreen
    from kring.screens.agenda_core import AgendaScreen as AgendaCore
    from kring.tui.app import KringApp
    from kring.tui.firstmeeting import for_run
    from kring.workformats.loader import find
    from kring.workformats.quick import remember

    if not store.url.startswith("sqlite:///"):
        pytest.skip("the quick path is for SQLite files")
    remember("standaard", lambda: find("standaard"))
    first = for_run(store.url.removeprefix("sqlite:///"), "standaard", ["Anouk", "Bram"], None, "")
    assert first is not None and first.meeting.names == ["Anouk", "Bram"]
    app = KringApp(None, first.meeting.id, clock=clock, watch=False, first_paint=first)
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None  # hold the store back: keys come first
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen) is AgendaCore and not app.connected
        assert "Klaar: 5 stappen" in str(app.screen.query_one("#step-title").render())
        await pilot.press("space", "n")
        await pilot.pause()
        assert app.events == []  # nothing shown that is not being saved
        opening()
        deadline = time.monotonic() + 30
        while not isinstance(app.screen, AgendaScreen):
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        app.outbox.flush()
        made = app.meeting_id
        assert made > 0 and app.meeting.names == ["Anouk", "Bram"]
        assert [e.kind for e in load_events(store, made)] == ["start", "goto"]


_SERVE_PROBE = """
import json, os, signal, sys, threading, urllib.request
import kring.tui.commands.serve as serve
from kring.tui.cli import main

HEAVY = {heavy!r}
seen = {{}}
say = serve.say

def fetch(url):
    for _ in range(600):
        try:
            with urllib.request.urlopen(url, timeout=30) as page:  # waits in the queue until the server takes it
                seen["status"] = page.status
                break
        except OSError:
            threading.Event().wait(0.1)
    os.kill(os.getpid(), signal.SIGTERM)

def watching(*args, **kw):
    if "loaded" not in seen and args and str(args[0]).startswith("http://"):
        seen["loaded"] = sorted(m for m in HEAVY if m in sys.modules)
        seen["url"] = args[0]
        threading.Thread(target=fetch, args=(args[0],), daemon=True).start()
    say(*args, **kw)

serve.say = watching
code = main(sys.argv[1:])
print(json.dumps(seen))
sys.exit(code)
"""


def test_serve_prints_its_link_before_the_store_libraries_load_and_takes_the_first_request(store, clock, meeting_id):
    """The socket listens and the link is out from a quick read; a browser that comes at
    once waits in the socket's queue and is answered once the server is up."""
    from kring.data.weblink import TOKEN_BYTES
    from kring.tui.commands import serve

    if not store.url.startswith("sqlite:///"):
        pytest.skip("the quick read is for SQLite files")
    assert serve.TOKEN_BYTES == TOKEN_BYTES
    env = {**os.environ, "KRING_DB": store.url.removeprefix("sqlite:///")}
    for _ in range(2):  # the token is made the first time, and kept
        done = subprocess.run([sys.executable, "-c", _SERVE_PROBE.format(heavy=HEAVY), "serve", str(meeting_id),
                               "--port", "0"], capture_output=True, text=True, timeout=180, env=env)
        assert done.returncode == 0, done.stderr
        seen = json.loads(done.stdout.strip().splitlines()[-1])
        assert seen["loaded"] == [] and seen["status"] == 200
        from kring.data.weblink import token_for

        assert seen["url"].endswith("/m/" + token_for(store, meeting_id, clock))


def test_the_demo_meeting_and_its_first_paint_are_titled_in_the_interface_language(tmp_path, env):
    """Under --lang en the demo's meeting, which no one gave a title, is not titled in Dutch."""
    from kring.tui import firstmeeting

    _door(["--lang", "en", "demo"], env)
    assert _meetings(tmp_path / "kring.db") == [(1, "Demo: learning-network meeting", "live", 6)]
    assert firstmeeting._(firstmeeting.DEMO_TITLE) == "Demo: bijeenkomst leernetwerk"  # Dutch by default
