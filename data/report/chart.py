"""The trend chart: one question's mean per meeting as an inline SVG line chart
(no scripts, no links), drawn into the HTML report.

Its pieces are markupsafe templates: every value is escaped as it is put in.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kring.data.labels import date_short, day_month, number
from kring.data.report.wording import moment_of

_SVG = Markup('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" aria-label="{}">'
              "<title>{}</title>")
_GRID = Markup('<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d9d9de" stroke-width="1"/>'
               '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#5b5b63">{}</text>')
_LINE = Markup('<polyline fill="none" stroke="#1f4e9c" stroke-width="2.5" points="{}"/>')
_POINT = Markup('<circle cx="{}" cy="{}" r="{}" fill="{}"><title>{}</title></circle>')
_VALUE = Markup('<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#1d1d1f">{}</text>')
_DATE = Markup('<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#5b5b63">{}</text>')


def _f(value: float) -> str:
    return f"{value:.1f}"


def trend_svg(points: list[dict[str, Any]], q: dict[str, Any], width: int = 640, height: int = 240) -> Markup:
    """An inline SVG line chart of one question's mean per meeting."""
    left, right, top, bottom = 40, 16, 16, 44
    low, high = float(q["min"]), float(q["max"])
    span = (high - low) or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)

    inset = 14  # the first and last points (and their values) clear of the axis' numbers and the edge

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else inset + (plot_w - 2 * inset) * i / (n - 1))

    def y(v: float) -> float:
        return top + plot_h * (1 - (max(low, min(high, v)) - low) / span)

    label = f"{q['text']}: " + ", ".join(
        f"{day_month(m) if (m := moment_of(p['date'])) else '—'} {number(p['means'][q['id']])}" for p in points
    )
    out = [_SVG.format(width, height, label, label)]
    steps = int(high - low) if high - low <= 10 else 5
    tick = span / max(1, steps)
    for i in range(steps + 1):
        v = low + i * tick
        if steps > 5 and i % 2:
            continue
        out.append(_GRID.format(left, width - right, _f(y(v)), _f(y(v)), left - 6, _f(y(v) + 4), number(v, 0)))
    coords = [(x(i), y(p["means"][q["id"]])) for i, p in enumerate(points)]
    if n > 1:
        out.append(_LINE.format(" ".join(f"{_f(cx)},{_f(cy)}" for cx, cy in coords)))
    every = max(1, -(-n // 8))
    for i, (p, (cx, cy)) in enumerate(zip(points, coords)):
        mean = p["means"][q["id"]]
        moment = moment_of(p["date"])
        current = bool(p.get("current"))
        title = (date_short(moment) if moment else "") + " · " + p["title"] + " · " + number(mean)
        out.append(_POINT.format(_f(cx), _f(cy), 6 if current else 4, "#c0392b" if current else "#1f4e9c", title))
        if current or n <= 12:
            out.append(_VALUE.format(_f(cx), _f(cy - 9), number(mean)))
        if i % every == 0 and n - 1 - i >= every or i == n - 1:  # the last date, never on top of the one before
            out.append(_DATE.format(_f(cx), height - bottom + 18, day_month(moment) if moment else ""))
    out.append(Markup("</svg>"))
    return Markup("").join(out)
