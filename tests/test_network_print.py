"""The network report on paper: the evaluation charts two to a landscape page's width, headings kept with
what they introduce, due dates as dates, and chart labels that never print on top of each other."""

from __future__ import annotations

import re

from kring.data.report.chart import trend_svg
from tests.test_series_network_report import series  # noqa: F401 - a network with two meetings held


def _points(n: int) -> list[dict]:
    return [{"date": f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}T19:30:00+01:00", "title": f"m{i}",
             "means": {"roti": 2 + (i % 3) / 2}} for i in range(n)]


QUESTION = {"id": "roti", "text": "Was deze bijeenkomst mijn tijd waard?", "min": 0, "max": 4}


def _dates(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle" font-size="11" '
                                         r'fill="#5b5b63">', svg)]


def test_the_last_date_never_lands_on_the_one_before():
    for n in range(2, 41):
        xs = _dates(str(trend_svg(_points(n), QUESTION)))
        gaps = [b - a for a, b in zip(xs, xs[1:])]
        assert xs and min(gaps, default=99) >= 40, (n, xs)  # a date label is about 40 px wide


def test_the_first_value_stays_clear_of_the_axis_numbers():
    svg = str(trend_svg(_points(3), QUESTION))
    first_point = float(re.search(r'<circle cx="([\d.]+)"', svg).group(1))
    assert first_point >= 40 + 12  # the axis' numbers end at x=34, a value label is centred on its point


def test_the_print_css_puts_charts_side_by_side_and_keeps_headings_with_their_table():
    from kring.data.network_render import PRINT_CSS

    assert ".charts { grid-template-columns: 1fr 1fr; }" in PRINT_CSS
    assert "h2, h2 + p { break-after: avoid; }" in PRINT_CSS
    assert "A4 landscape" in PRINT_CSS


def test_the_html_wraps_the_charts_and_says_due_dates_as_dates(store, series):
    from kring.data.network_render import render_network_html
    from kring.data.network_report import build_network_report

    network_id, _first, _second = series
    page = render_network_html(build_network_report(store, network_id))
    assert '<div class="charts">' in page and "<figure>" in page.split('<div class="charts">', 1)[1]
    assert "uiterlijk 4 dec. 2026" in page and "2026-12-04" not in page
