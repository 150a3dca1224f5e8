"""The big countdown: Digits' picture, and a tick repaints only the glyph that changed."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from kring.tui.widgets.countdown import Countdown, glyph_rows


class One(App[None]):
    CSS = "#countdown { text-style: bold; }"

    def compose(self) -> ComposeResult:
        yield Countdown("10:00", id="countdown")


async def test_the_picture_is_digits_font():
    app = One()
    async with app.run_test(size=(40, 6)):
        countdown = app.query_one(Countdown)
        lines = [countdown.render_line(y).text for y in range(3)]
        for y, line in enumerate(lines):
            assert line.startswith("".join(glyph_rows(c, bold=True)[y] for c in "10:00"))
        assert lines[0].startswith("╺┓ ┏━┓")  # the bold font, as the agenda's style asks
        assert countdown.size.width == 5 * 3  # the colon too is three cells wide


async def test_a_tick_marks_one_glyph_and_a_new_shape_lays_out_again():
    app = One()
    async with app.run_test(size=(40, 6)) as pilot:
        countdown = app.query_one(Countdown)
        marked, layouts = [], []
        original = countdown.refresh

        def spy(*regions, **kw):
            if kw.get("layout"):
                layouts.append(True)
            marked.append(regions)
            return original(*regions, **kw)

        countdown.refresh = spy  # type: ignore[method-assign]
        countdown.update("09:59")  # every glyph but the colon changes
        assert marked == [(Region(0, 0, 3, 3),), (Region(3, 0, 3, 3),), (Region(9, 0, 3, 3),), (Region(12, 0, 3, 3),)]
        marked.clear()
        countdown.update("09:58")
        assert marked == [(Region(12, 0, 3, 3),)]
        assert not layouts
        countdown.update("+00:01")  # a sign: wider
        await pilot.pause()
        assert layouts and countdown.value == "+00:01"
        assert countdown.size.width == 6 * 3
