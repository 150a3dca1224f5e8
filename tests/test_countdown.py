"""The big countdown: Digits' picture; a tick repaints only the widget of the
glyph that changed (Textual resends a changed line from the widget's left edge)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from kring.tui.widgets.countdown import Countdown, glyph_rows


class One(App[None]):
    CSS = "#countdown { text-style: bold; }"

    def compose(self) -> ComposeResult:
        yield Countdown("10:00", id="countdown")


def picture(countdown: Countdown) -> list[str]:
    head, tail = countdown.children
    return [head.render_line(y).text + tail.render_line(y).text for y in range(3)]


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
        head, tail = countdown.children
        repainted = []
        for part, name in ((head, "head"), (tail, "tail")):
            original = part.refresh
            part.refresh = lambda *a, _o=original, _n=name, **kw: (repainted.append((_n, kw.get("layout", False))),
                                                                   _o(*a, **kw))[1]
        countdown.update("09:59")
        assert repainted == [("head", False), ("tail", False)]
        repainted.clear()
        countdown.update("09:58")
        assert repainted == [("tail", False)]
        countdown.update("09:58")
        assert repainted == [("tail", False)]  # the same value: nothing
        repainted.clear()
        countdown.update("+00:01")  # a sign: wider
        assert repainted == [("head", True), ("tail", False)]
        await pilot.pause()
        assert countdown.value == "+00:01"
        assert countdown.size.width == 6 * 3
        assert picture(countdown)[1].startswith(glyph_rows("+", bold=True)[1])
