"""Start-up: a door holds the garbage collector from the command line's start until its
first screen is out, and lets it go then (or when the command ends); other commands never."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

from kring.tui import startgc

_PROBE = """
import gc, json, sys
from textual.app import App
from kring.tui.app import KringApp
from kring.tui.cli import main

seen = {}
shown = KringApp.on_screen_shown

def watching(app, message):
    if "held" not in seen:  # the first frame is on the terminal
        seen["held"] = not gc.isenabled()
        shown(app, message)
        seen["after"] = gc.isenabled()
        app.exit()
    else:
        shown(app, message)

KringApp.on_screen_shown = watching
run = App.run
App.run = lambda app, **kw: run(app, headless=True, size=(100, 30))
sys.stdin.isatty = lambda: True
code = main(sys.argv[1:])
seen["at_end"] = gc.isenabled()
print(json.dumps(seen))
sys.exit(code)
"""


def test_a_door_collects_again_once_its_first_screen_is_out(tmp_path):
    env = {**os.environ, "KRING_DB": str(tmp_path / "kring.db")}
    for _ in range(2):  # the usual path (a new store), then the first paint before the store
        done = subprocess.run([sys.executable, "-c", _PROBE, "demo"], capture_output=True, text=True,
                              timeout=180, env=env)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout.strip().splitlines()[-1]) == {"held": True, "after": True, "at_end": True}


def test_only_a_door_holds_it_and_the_command_line_lets_it_go(monkeypatch, capsys):
    from kring.tui.cli import main

    assert gc.isenabled()
    startgc.hold("report")
    assert gc.isenabled() and not startgc.held()
    startgc.hold("notes")
    try:
        assert not gc.isenabled() and startgc.held()
    finally:
        startgc.release()
    assert gc.isenabled() and not startgc.held()
    startgc.release()  # once only
    assert gc.isenabled()
    assert main(["run", "-p", " "]) == 2  # refused before any screen: collecting again all the same
    assert gc.isenabled() and not startgc.held()
    gc.disable()  # off already (as `kring report` does it): left as it was
    try:
        startgc.hold("run")
        assert not startgc.held()
        startgc.release()
        assert not gc.isenabled()
    finally:
        gc.enable()
