"""Start-up does Textual's work once: the first screen of a door (the agenda's core,
the note-taker's) is styled widget by widget as it mounts and laid out at the
terminal's size, and neither is done again for nothing before or just after the
first frame. Counted here, never timed (the figures are bench/doors.py's)."""

from __future__ import annotations

import pytest
from textual import events
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen

from kring.tui.firstpaint import read

pytestmark = pytest.mark.usefixtures("sqlite_file")


@pytest.fixture
def sqlite_file(db_url):
    if not db_url.startswith("sqlite:///"):
        pytest.skip("the quick read is for SQLite files")


def _path(store) -> str:
    return store.url.removeprefix("sqlite:///")


def _moderator(store, clock, meeting_id):
    from kring.tui.app import KringApp

    app = KringApp(None, meeting_id, clock=clock, watch=False, first_paint=read(_path(store), meeting_id=meeting_id))
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None  # the store stays closed: the first paint alone
    return app, opening


def _note_taker(store, clock, meeting_id):
    from kring.tui.notes_app import NotesApp

    app = NotesApp(None, meeting_id, clock=clock, author="Sanne", watch=False,
                   first_paint=read(_path(store), meeting_id=meeting_id))
    opening = app.first_frame_shown
    app.first_frame_shown = lambda: None
    return app, opening


def _count(monkeypatch, owner, name) -> list:
    """Each call of owner.name, by what it was called for (its first argument, else on)."""
    calls: list = []
    original = getattr(owner, name)

    def counted(self, *args, **kwargs):
        calls.append(args[0] if args else self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.parametrize("door", [_moderator, _note_taker], ids=["agenda", "notes"])
async def test_each_widget_is_styled_once_for_the_first_frame(store, clock, meeting_id, monkeypatch, door):
    app, _opening = door(store, clock, meeting_id)
    applied = _count(monkeypatch, Stylesheet, "apply")
    restyled: list[list] = []
    update_nodes = Stylesheet.update_nodes

    def counted_update(self, nodes, *args, **kwargs):
        nodes = list(nodes)
        restyled.append(nodes)
        return update_nodes(self, nodes, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "update_nodes", counted_update)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        widgets = [node for node in app.screen.walk_children(with_self=True)]
        assert len(widgets) > 10
        # mounted and styled once each; Textual's whole-screen pass as the screen
        # first comes on top would work every one of them out again (the input's
        # focus restyles the input alone)
        assert not any(app.screen in nodes for nodes in restyled)
        styled = {w: sum(node is w for node in applied) for w in widgets}
        once = {w: n for w, n in styled.items() if not any(w in nodes for nodes in restyled)}
        assert set(once.values()) == {1}, once


@pytest.mark.parametrize("door", [_moderator, _note_taker], ids=["agenda", "notes"])
async def test_a_resize_to_the_size_laid_out_lays_nothing_out_again(store, clock, meeting_id, monkeypatch, door):
    app, opening = door(store, clock, meeting_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        laid_out = _count(monkeypatch, Screen, "_refresh_layout")
        screen.post_message(events.Resize(screen.outer_size, screen.outer_size))
        await pilot.pause()
        assert laid_out == []  # the terminal's size again, as Textual sends it at start-up
        await pilot.resize_terminal(80, 24)  # a real change is laid out as ever
        await pilot.pause()
        assert laid_out and screen.outer_size == (80, 24)


async def test_the_style_rules_parsed_once_are_kept_and_show_the_same(store, clock, meeting_id, monkeypatch):
    """Textual parses every rule at every start; kring keeps what it parsed (per theme,
    kring.tui.csscache) and the next start parses nothing that is kept, to the same picture."""
    from textual.css import stylesheet as stylesheet_module

    from kring.tui import csscache

    parsed = _count(monkeypatch, stylesheet_module, "parse")  # the parser, source by source

    async def picture() -> str:
        app, _opening = _moderator(store, clock, meeting_id)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            return app.export_screenshot()

    first = await picture()
    assert parsed and csscache._file("KringApp-kring-contrast").is_file()
    parsed.clear()
    assert await picture() == first
    assert parsed == []  # every source kept, none parsed again

    csscache._file("KringApp-kring-contrast").write_bytes(b"damaged")  # anything unexpected: Textual parses
    assert await picture() == first
    assert parsed


_FIRST_FRAME = """
import json, sys
from kring.tui.firstpaint import read
from kring.tui.app import KringApp

first = read(sys.argv[1], meeting_id=int(sys.argv[2]))
app = KringApp(None, first.meeting.id, first_paint=first)
seen = {}

def first_frame_shown():
    from kring.data.core import textgate
    seen["loaded"] = sorted(m for m in ("kring.data.core.loops", "kring.screens.agenda") if m in sys.modules)
    seen["patterns"] = textgate._pattern.cache_info().currsize
    app.exit()

app.first_frame_shown = first_frame_shown
app.run(headless=True, size=(100, 30))
print(json.dumps(seen))
"""


def test_the_first_frame_loads_and_compiles_only_what_it_shows(store, meeting_id):
    """Loop backs, the capabilities' screens and the gate's patterns for text taken in
    are for later: their modules and patterns are not made for the first frame."""
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _FIRST_FRAME, _path(store), str(meeting_id)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"loaded": [], "patterns": 0}
