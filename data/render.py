"""Rendering a report dictionary (see report.py) as Markdown, HTML or CSV."""

from __future__ import annotations

from typing import Any

from kring.data.errors import InputError


def render_md(report: dict[str, Any]) -> str:
    raise InputError("the Markdown report is not built yet; use --format json")


def render_html(report: dict[str, Any]) -> str:
    raise InputError("the HTML report is not built yet; use --format json")


def render_csv(report: dict[str, Any]) -> str:
    raise InputError("the CSV report is not built yet; use --format json")
