"""Idle bytes: what a tick of the agenda sends to the terminal, and the lean writer
that sends each style once a frame. Counted, never timed: the clock is the fake one."""

from __future__ import annotations

import re

import pyte
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kring.data.meetings import append_event
from kring.tui.lean_output import LeanWriter, lean_driver
from kring.tui.widgets.countdown import Countdown
from kring.tui.widgets.steplist import StepList

SGR = re.compile(r"\x1b\[[0-9;:]*m")


def painted(stream: str, size: tuple[int, int] = (20, 6)) -> tuple:
    """What a terminal shows after `stream` (a tty turns each line feed into CR LF):
    every cell with its colours and attributes, the cursor and the style it writes in."""
    screen = pyte.Screen(*size)
    pyte.Stream(screen).feed(stream.replace("\n", "\r\n"))
    cells = tuple(tuple(screen.buffer[y][x] for x in range(size[0])) for y in range(size[1]))
    return cells, (screen.cursor.x, screen.cursor.y), screen.cursor.attrs


# --- the writer changes the bytes, never the picture --------------------------------------

STYLES = ["1;38;2;255;255;255;48;2;0;0;0", "38;2;10;20;30;48;2;63;53;0", "1", "7", "3;4", "0;1", "0", "", ";4", "22"]
pieces = st.one_of(
    st.sampled_from(STYLES).map(lambda p: f"\x1b[{p}m"),
    st.text(alphabet="ab █", min_size=1, max_size=4),
    st.tuples(st.integers(1, 6), st.integers(1, 20)).map(lambda rc: f"\x1b[{rc[0]};{rc[1]}H"),
    st.sampled_from(["\n", "\r", "\x1b[K", "\x1b[2J", "\x1b[3C", "\x1b[B", "\x1b[?25l", "\x1b[?2026h", "\x1b[?1049h", "\x1b7", "\x1b8", "\x1b[2;3r"]),
)


@settings(max_examples=300, deadline=None)
@example([["ab\n", "\x1b[2;3r", "\x1b[3;1H", "x", "\n", "\x1b[5;1H", "y"]])  # a feed at a region's margin scrolls
@example([["\x1b[2;1H", "\x1b[1m", "x", "\x1b[0m", "\n", "\x1b[2;9H", "\x1b[1m", "y"]])  # two pieces of one line
@given(st.lists(st.lists(pieces, max_size=25), min_size=1, max_size=3))
def test_the_terminal_shows_the_same_after_every_write(writes):
    lean = LeanWriter()
    raw_so_far, lean_so_far = "", ""
    for write in writes:
        raw_so_far += "".join(write)
        lean_so_far += lean("".join(write))
        assert painted(lean_so_far) == painted(raw_so_far)


def test_a_style_goes_out_once_for_lines_in_a_row():
    style = "\x1b[1;38;2;255;255;255;48;2;0;0;0m"
    frame = "\n".join(f"\x1b[{y};44H{style}███   \x1b[0m" for y in range(4, 8)) + "\x1b[1;1H"  # as Textual writes
    out = LeanWriter()(frame)
    assert out.count(style) == 1
    assert "\n" not in out  # a feed just before a move to the next line moves nothing
    assert out.endswith("\x1b[0m")  # the terminal left as Textual left it
    assert painted(out, (60, 10)) == painted(frame, (60, 10))


def test_a_move_straight_on_to_another_goes_out_as_the_second():
    frame = "\x1b[3;14H\x1b[1mab\x1b[0m\x1b[3;17H\n\x1b[4;14H\x1b[1mcd\x1b[0m\x1b[1;1H"  # an empty piece of line 3
    out = LeanWriter()(frame)
    assert out == "\x1b[3;14H\x1b[1mab\x1b[4;14Hcd\x1b[1;1H\x1b[0m"
    assert painted(out) == painted(frame)


def test_a_line_feed_that_could_scroll_stays():
    frame = "\x1b[6;1Hx\n\x1b[6;1Hy"  # from the bottom row of six: the feed scrolls
    assert "\n" in LeanWriter()(frame)
    assert painted(LeanWriter()(frame)) == painted(frame)


def test_every_kring_app_writes_through_it():
    from textual.drivers.linux_driver import LinuxDriver

    from kring.tui.app import KringApp
    from kring.tui.base import KringBaseApp

    assert issubclass(KringBaseApp.get_driver_class(KringApp.__new__(KringApp)), LinuxDriver)
    assert lean_driver(LinuxDriver) is lean_driver(LinuxDriver)  # one class, made once
    assert lean_driver(LinuxDriver).write is not LinuxDriver.write


# --- a tick of the agenda at 120x36 ---------------------------------------------------------


@pytest.mark.parametrize(("started", "shown", "changing"), [
    (23, "09:36", 1),  # 09:37 to 09:36: the last digit
    (30, "09:29", 2),  # 09:30 to 09:29: the tens of seconds too, not the minutes
])
async def test_a_tick_sends_the_changed_glyphs_and_the_live_row_clock_only(make_app, store, clock, meeting_id,
                                                                           started, shown, changing):
    append_event(store, meeting_id, "start", clock.now())
    clock.advance(seconds=started)
    app = make_app(meeting_id)
    updates: list = []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        display = app._display
        app._display = lambda screen, update: (updates.append(update), display(screen, update))[1]
        steps = app.screen.query_one(StepList)
        titles, clocks = steps.children
        refreshed = []
        titles.refresh = lambda *a, **kw: refreshed.append(a)  # the titles side: not one line
        statics = {w.id: w for w in app.screen.query("Static") if w.id}
        for widget in statics.values():
            widget.update = lambda *a, _id=widget.id, **kw: refreshed.append(_id)

        clock.advance(seconds=1)
        app.refresh_screen()
        await pilot.pause()

        countdown = app.screen.query_one(Countdown)
        assert countdown.value == shown
        assert refreshed == []  # nothing whose text did not change: title, header clock, status line
        glyphs = countdown.children[-changing].region.union(countdown.children[-1].region)
        live_row = clocks.region.y + next(y for y, row in enumerate(steps.rows) if row.live)
        sent = [span for update in updates for span in getattr(update, "spans", [])]
        assert sent, "the tick was sent"
        for y, x1, _x2 in sent:
            if y == live_row:
                assert x1 >= clocks.region.x  # the row's clock column, not its title
            else:
                assert glyphs.y <= y < glyphs.bottom and x1 >= glyphs.x  # the changed glyphs' lines

        raw = "".join(update.render_segments(app.console) for update in updates)
        lean = LeanWriter()(raw)
        assert painted(lean, (120, 36)) == painted(raw, (120, 36))
        assert len(SGR.findall(lean)) <= 3  # the clock's style, the live row's, and a reset at the end
        assert len(lean.encode()) < 0.7 * len(raw.encode())
