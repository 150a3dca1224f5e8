"""The big countdown: Digits' picture; a tick repaints only the widget of the
glyph that changed (Textual resends a changed line from the widget's left edge):
the last digit, the tens of seconds, or the minutes."""

from __future__ import annotations

from textual.app import App, ComposeResult

from kring.tui.widgets.countdown import Countdown, glyph_rows


class One(App[None]):
    CSS = "#countdown { text-style: bold; }"

    def compose(self) -> ComposeResult:
        yield Countdown("10:00", id="countdown")


def picture(countdown: Countdown) -> list[str]:
    return ["".join(part.render_line(y).text for part in countdown.children) for y in range(3)]


async def test_the_picture_is_digits_font():
    app = One()
    async with app.run_test(size=(40, 6)):
        countdown = app.query_one(Countdown)
        for y, line in enumerate(picture(countdown)):
            assert line == "".join(glyph_rows(c, bold=True)[y] for c in "10:00")
        assert picture(countdown)[0].startswith("╺┓ ┏━┓")  # the bold font, as the agenda's style asks
        assert countdown.size.width == 5 * 3  # the colon too is three cells wide


async def test_a_tick_repaints_the_last_glyph_only():
    app = One()
    async with app.run_test(size=(40, 6)) as pilot:
        countdown = app.query_one(Countdown)
        head, tens, tail = countdown.children
        repainted = []
        for part, name in ((head, "head"), (tens, "tens"), (tail, "tail")):
            original = part.refresh
            part.refresh = lambda *a, _o=original, _n=name, **kw: (repainted.append((_n, kw.get("layout", False))),
                                                                   _o(*a, **kw))[1]
        countdown.update("09:59")
        assert repainted == [("head", False), ("tens", False), ("tail", False)]
        repainted.clear()
        countdown.update("09:58")
        assert repainted == [("tail", False)]
        countdown.update("09:58")
        assert repainted == [("tail", False)]  # the same value: nothing
        repainted.clear()
        countdown.update("09:49")  # the tens of seconds: not the minutes
        assert repainted == [("tens", False), ("tail", False)]
        repainted.clear()
        countdown.update("+00:01")  # a sign: wider
        assert repainted == [("head", True), ("tens", False), ("tail", False)]
        await pilot.pause()
        assert countdown.value == "+00:01"
        assert countdown.size.width == 6 * 3
        assert picture(countdown)[1].startswith(glyph_rows("+", bold=True)[1])


# --- the clock grows with the window ---------------------------------------------------------

from kring.tui.widgets.countdown import big_rows, scale_for, text_height  # noqa: E402


def test_the_clock_grows_with_the_window():
    heights = {size: text_height(scale_for(*size)) for size in [(40, 12), (80, 24), (120, 36), (200, 60)]}
    assert heights[(40, 12)] == 3  # the Digits font: still readable in a small window
    assert heights[(80, 24)] >= 5
    assert heights[(120, 36)] >= 36 / 4  # a quarter of the rows at least
    assert heights[(200, 60)] > heights[(120, 36)]
    for size in [(80, 24), (120, 36), (200, 60)]:
        sx, sy = scale_for(*size)
        assert (4 * 4 + 2 + 4) * sx <= size[0] * 0.7  # "+00:00" leaves room for the round beside it
        assert sx >= sy  # a pixel never narrower than high


def test_a_scaled_glyph_is_its_bitmap_in_full_blocks():
    rows = big_rows("1", (2, 1))
    assert rows == ["  ██    ", "████    ", "  ██    ", "  ██    ", "██████  "]
    assert big_rows("8", (1, 2))[0] == big_rows("8", (1, 2))[1] == "███ "


async def test_a_tick_of_the_big_clock_repaints_the_last_glyph_only():
    app = One()
    async with app.run_test(size=(120, 36)) as pilot:
        countdown = app.query_one(Countdown)
        countdown.rescale((3, 2))
        await pilot.pause()
        assert countdown.size.height == 10
        head, tens, tail = countdown.children
        repainted = []
        for part, name in ((head, "head"), (tens, "tens"), (tail, "tail")):
            original = part.refresh
            part.refresh = lambda *a, _o=original, _n=name, **kw: (repainted.append((_n, kw.get("layout", False))),
                                                                   _o(*a, **kw))[1]
        countdown.update("09:59")
        repainted.clear()
        countdown.update("09:58")
        assert repainted == [("tail", False)]
        await pilot.pause()
        assert tail.render_line(0).text.startswith("█" * 9)  # the 8's top bar, three cells a pixel


async def test_a_tick_sends_only_the_rows_of_the_glyph_that_changed():
    from textual.geometry import Region

    app = One()
    async with app.run_test(size=(120, 36)) as pilot:
        countdown = app.query_one(Countdown)
        countdown.rescale((3, 2))
        countdown.update("09:59")
        await pilot.pause()
        *_, tail = countdown.children
        regions = []
        original = tail.refresh
        tail.refresh = lambda *a, **kw: (regions.append((a, kw)), original(*a, **kw))[1]
        countdown.update("09:58")  # 9 and 8 differ in their fourth pixel row only: "  #" against "# #"
        assert regions == [((Region(0, 6, 3, 1), Region(0, 7, 3, 1)), {})]
        await pilot.pause()
        assert [tail.render_line(y).text[:9] for y in (6, 8)] == ["███   ███", "█████████"]
