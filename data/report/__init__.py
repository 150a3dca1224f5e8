"""A meeting's report: the dictionary, and the files made from it.

- build:    build_report(store, meeting_id): the report as one dictionary, the
            JSON contract of DESIGN.md (`kring report --format json`)
- markdown: render_md, for mail: what people typed is escaped
- html:     render_html, one self-contained page from the Jinja2 template in
            templates/ (autoescape, CSP, print CSS, the chart inline)
- chart:    the network's trend as an inline SVG
- csv:      render_csv, one row per note, action and evaluation answer
- wording:  what every rendering says alike (date line, notices, footer)

A new export is a module here with a `render_<format>(report) -> str`.
"""

from kring.data.report.build import REPORT_VERSION, basic_summary, build_report
from kring.data.report.csv import render_csv
from kring.data.report.html import render_html
from kring.data.report.markdown import render_md

__all__ = ["REPORT_VERSION", "basic_summary", "build_report", "render_csv", "render_html", "render_md"]
