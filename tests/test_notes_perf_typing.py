"""Typing with many notes in the meeting: a key touches the input only, and a saved note adds one row.

These check what the work is, never how long it takes (benchmark 3 times it).
"""

from __future__ import annotations

import uuid

import pytest
from textual.widgets import OptionList

from kring.data.live import load_snapshot
from kring.data.meetings import append_event
from kring.data.notes import NoteInfo, add_note
from kring.tui.messages import StoreChanged
from kring.tui.widgets import notelist
from kring.tui.widgets.noteinput import NoteInput
from kring.tui.widgets.notelist import NoteList

MANY = 400
TITLES = ["Inchecken", "Terugblik op de acties van vorige keer", "Inhoud door een deelnemer"]


def fill(store, meeting_id, clock, count: int = MANY) -> None:
    """`count` notes over three steps, in one transaction (as the benchmark's store is made)."""
    from kring.data.models import Note, NoteRevision

    start = clock.now()
    with store.writing() as s:
        for n in range(count):
            step = n * len(TITLES) // count
            at = start.add(seconds=n)
            text = f"notitie {n} " + "over de wijk en de buurt " * (n % 5)
            row = Note(uid=uuid.uuid4().hex, meeting_id=meeting_id, kind="decision" if n % 7 == 0 else "note",
                       text=text, step_index=step, step_title=TITLES[step], speaker="Bram", author="Pim", at=at,
                       revision=1, updated_at=at)
            s.add(row)
            s.flush()
            s.add(NoteRevision(note_id=row.id, revision=1, kind=row.kind, text=row.text, confidential=False,
                               status="open", deleted=False, author="Pim", at=at))
    clock.advance(seconds=count)


@pytest.fixture
def crowded(store, meeting_id, clock):
    append_event(store, meeting_id, "start", clock.now())
    append_event(store, meeting_id, "goto", clock.now(), {"step": 2})
    fill(store, meeting_id, clock)
    return meeting_id


@pytest.fixture
def make_notes(store, clock):
    def make(meeting_id: int):
        from kring.tui.notes_app import NotesApp

        return NotesApp(store, meeting_id, clock=clock, author="Sanne", watch=False)

    return make


async def settle(app, pilot) -> None:
    app.outbox.flush()
    app.post_message(StoreChanged(load_snapshot(app.store, app.meeting_id)))
    await pilot.pause()
    app.refresh_screen()
    await pilot.pause()


class Spy:
    """Counts calls to a method or function while the test watches."""

    def __init__(self, monkeypatch, owner, name: str) -> None:
        self.calls = 0
        original = getattr(owner, name)

        def counted(*args, **kw):  # noqa: ANN002, ANN003, ANN202
            self.calls += 1
            return original(*args, **kw)

        monkeypatch.setattr(owner, name, counted)


async def test_a_key_repaints_the_input_only(make_notes, crowded, monkeypatch):
    app = make_notes(crowded)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen, lst = app.screen, app.screen.query_one(NoteList)
        assert len(lst.by_index) > MANY and lst.max_scroll_y > 0  # the list is full and scrolls
        composer = screen.composer
        shown = composer.notes()
        layouts = Spy(monkeypatch, type(screen), "_refresh_layout")
        rows = Spy(monkeypatch, notelist, "note_line")
        sets = Spy(monkeypatch, OptionList, "set_options")
        list_lines = Spy(monkeypatch, NoteList, "render_line")
        bar = lst.vertical_scrollbar
        bar_refreshes = Spy(monkeypatch, bar, "refresh")
        for ch in "hallo wereld":
            await pilot.press({" ": "space"}.get(ch, ch))
            await pilot.pause()
        screen.refresh_state()  # the quarter-second refresh, as the timer calls it
        await pilot.pause()
        assert screen.query_one(NoteInput).value == "hallo wereld"
        assert layouts.calls == 0  # no layout of the screen for a key in the input
        assert (rows.calls, sets.calls) == (0, 0)  # no row made, no list set again
        assert list_lines.calls == 0 and bar_refreshes.calls == 0  # nothing of the list painted again
        assert composer.notes() is shown  # the notes were not merged or sorted again


async def test_enter_makes_one_row_and_measures_one(make_notes, crowded, monkeypatch, store):
    app = make_notes(crowded)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(NoteList)
        before = {note.uid: (lst.get_option(note.uid), dict(lst.get_option(note.uid).measured))
                  for note in lst.by_index if note is not None}
        assert all(m for _, m in before.values())
        rows = Spy(monkeypatch, notelist, "note_line")
        measures = Spy(monkeypatch, NoteList, "_measure")
        for ch in "nieuw":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert rows.calls == 1  # shown at once, before the store has it
        await settle(app, pilot)  # the store confirms it: the row shows the same, it is kept
        assert rows.calls == 1
        last = lst.by_index[-1]
        assert last is not None and last.text == "nieuw" and last.id is not None  # the stored version
        assert lst.highlighted is None and lst.scroll_y == lst.max_scroll_y  # at the end, as before
        for uid, (option, measured) in before.items():
            kept = lst.get_option(uid)
            assert kept is option and kept.measured == measured  # not made or measured again
        assert measures.calls == 1 and lst.get_option(last.uid).measured


async def test_rows_wrap_to_the_lines_textual_measures(make_notes, crowded):
    app = make_notes(crowded)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(NoteList)
        for width in (120, 52, 80):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            lst._update_lines()
            ours = list(lst._line_cache.lines)
            lst._line_cache.clear()
            OptionList._update_lines(lst)  # Textual's own measure of every option
            assert ours == lst._line_cache.lines
            assert len(ours) > len(lst.options)  # some notes do wrap


async def test_an_update_keeps_the_selected_note_and_the_grouping(make_notes, crowded, store, clock):
    app = make_notes(crowded)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lst = app.screen.query_one(NoteList)
        await pilot.press("tab")
        for _ in range(5):
            await pilot.press("up")
        await pilot.pause()
        chosen = lst.selected_note
        assert chosen is not None
        # someone else files a note under the first step, begun earlier than the ones shown last
        add_note(store, crowded, NoteInfo(uid="elders", kind="insight", text="van de andere notulist", step_index=0,
                                          step_title=TITLES[0], speaker=None, author="Pim",
                                          at=clock.now().subtract(seconds=MANY + 1)))
        await settle(app, pilot)
        assert lst.selected_note is not None and lst.selected_note.uid == chosen.uid
        steps = [n.step_index for n in lst.by_index if n is not None]
        assert steps == sorted(steps)
        assert lst.by_index[1].uid == "elders"  # first under the first step's heading
        notes = [n for n in lst.by_index if n is not None]
        for a, b in zip(notes, notes[1:]):
            assert (a.step_index, a.at) <= (b.step_index, b.at)


async def test_what_is_loaded_is_left_out_of_collections_while_the_app_runs(make_notes, crowded, monkeypatch):
    import gc

    from kring.tui.notes_app import NotesApp

    monkeypatch.setattr(NotesApp, "is_headless", False)  # as in a terminal: the harness skips it
    assert gc.get_freeze_count() == 0
    app = make_notes(crowded)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert gc.get_freeze_count() > 0  # the notes and the screen, once they were on screen
        frozen = gc.get_freeze_count()
        app.settle_heap()
        assert gc.get_freeze_count() == frozen  # once only
    assert gc.get_freeze_count() == 0  # the App unfroze them as it ended


async def test_changing_rows_in_place_shows_what_setting_every_row_shows(clock):
    """Each way the list follows a change leaves it as setting every row again would have."""
    from textual.app import App
    from textual.containers import Horizontal

    def make(uid: str, step: int | None, minutes: int, **kw) -> NoteInfo:
        base = dict(uid=uid, kind="note", text=f"notitie {uid} " + "lang " * (minutes % 9), step_index=step,
                    step_title="" if step is None else TITLES[step], speaker="Bram", author="Pim",
                    at=clock.now().add(minutes=minutes), id=minutes + 1)
        base.update(kw)
        return NoteInfo(**base)

    class Two(App):
        CSS = "NoteList { width: 1fr; }"
        AUTO_FOCUS = None

        def compose(self):  # noqa: ANN202
            with Horizontal():
                yield NoteList(id="kept")
                yield NoteList(id="fresh")

    notes = [make(f"n{i}", i * 3 // 60, i) for i in range(60)]
    pending = make("eigen", 2, 61, id=None)
    stored = pending.but(id=99)
    steps = [
        notes[:40],
        notes[:41],  # one more under the last step
        notes[:41] + [pending],  # typed here, not stored yet
        notes[:41] + [stored],  # the store has it: the same row
        notes[:41] + [stored, make("terug", 0, 70)],  # the moderator went back to the first step
        notes[:41] + [stored, make("terug", 0, 70), make("later", 2, 71)],
        [n if n.uid != "n3" else n.but(text="anders", revision=2) for n in notes[:41]] + [stored],  # edited
        [n for n in notes[:41] if n.uid != "n5"] + [stored],  # deleted
        notes,  # many at once
        notes + [make("voor", None, 80)],  # before the start: a new first group
    ]
    app = Two()
    async with app.run_test(size=(160, 20)) as pilot:
        kept, fresh = app.query_one("#kept", NoteList), app.query_one("#fresh", NoteList)
        ways: list[str] = []
        for way in ("_same_rows", "_appended", "_set_rows"):
            def spy(*args, _way=way, _original=getattr(kept, way)):  # noqa: ANN002, ANN202
                result = _original(*args)
                if result is not False:
                    ways.append(_way)
                return result
            setattr(kept, way, spy)
        for selection in (None, "end", 10):
            ways.clear()
            kept.clear_options(), fresh.clear_options()
            kept._last_list = fresh._last_list = None
            kept.by_index, fresh.by_index = [], []
            for i, shown in enumerate(steps):
                kept.show(list(shown), "Sanne")
                fresh._last_list = None
                fresh.show(list(shown), "Sanne")
                await pilot.pause()
                if i == 0 and selection is not None:
                    for lst in (kept, fresh):
                        lst.highlighted = len(lst.by_index) - 1 if selection == "end" else selection
                    await pilot.pause()
                assert [o.id for o in kept.options] == [o.id for o in fresh.options]
                assert [str(o.prompt) for o in kept.options] == [str(o.prompt) for o in fresh.options]
                assert kept.by_index == fresh.by_index
                assert kept.size == fresh.size
                assert (kept.highlighted, kept.scroll_y) == (fresh.highlighted, fresh.scroll_y), (selection, i)
                assert kept._line_cache.lines == fresh._line_cache.lines
            assert ways == ["_set_rows", "_appended", "_appended", "_same_rows", "_set_rows", "_appended",
                            "_set_rows", "_set_rows", "_set_rows", "_set_rows"]


async def test_the_live_state_is_derived_once_a_refresh(make_notes, crowded, monkeypatch):
    app = make_notes(crowded)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.ticker.pause()  # refreshed here, not by the clock on the wall
        derived = Spy(monkeypatch, app.live, "timeline")  # the meeting the screens read
        app.screen.refresh_state()  # no note begun: its filing and confidentiality follow the live step
        assert derived.calls == 1
        await pilot.press("x")  # the first key files the note
        await pilot.pause()
        assert derived.calls == 2
        await pilot.press("y", "z")  # the note is begun: the keys need no live state
        await pilot.pause()
        assert derived.calls == 2
        await pilot.press("ctrl+u")  # emptied: shows where the next note will go, derived once
        await pilot.pause()
        assert derived.calls == 3


async def test_a_key_repaints_the_text_line_and_a_change_of_kind_the_border(make_notes, crowded, monkeypatch):
    from textual.widget import Widget

    app = make_notes(crowded)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        inp = app.screen.query_one(NoteInput)
        painted: list[tuple] = []
        original = Widget.refresh

        def refresh(self, *regions, **kw):  # noqa: ANN001, ANN002, ANN003, ANN202
            if self is inp and kw.get("repaint", True):
                painted.append(regions)
            return original(self, *regions, **kw)

        monkeypatch.setattr(Widget, "refresh", refresh)
        await pilot.press("x", "y", "left")
        await pilot.pause()
        assert painted and all(len(r) == 1 and r[0].height == 1 for r in painted)  # the text line only
        painted.clear()
        await pilot.press("ctrl+a", "a", ":")  # now an action: the border's title changes
        await pilot.pause()
        assert inp.border_title.startswith("Actie")
        assert () in painted  # the whole input, border and all


def test_kring_paints_up_to_120_frames_a_second_unless_told_otherwise():
    """A key waits for Textual's next frame: at 60 a second, one pressed just after the
    clock's frame waited up to 17 ms (bench 3's p95). The command line asks for 120,
    before Textual is loaded; a TEXTUAL_FPS of the person's own is kept."""
    import os
    import subprocess
    import sys

    code = "import kring.tui.cli, textual.constants as c; print(c.MAX_FPS)"
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "120"
    out = subprocess.run([sys.executable, "-c", code], env={**env, "TEXTUAL_FPS": "30"}, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "30"
