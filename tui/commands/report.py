"""kring report [ID] --format md|html|json|csv [-o FILE]"""

from __future__ import annotations

import argparse
import json
import sys

FORMATS = ("json", "md", "html", "csv")


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common], help="export a meeting's report")
    p.add_argument("id", nargs="?", type=int)
    p.add_argument("--format", "-f", dest="fmt", choices=FORMATS, default="md")
    p.add_argument("-o", "--output", default=None, help="file to write (default: standard output)")
    p.add_argument("--include-confidential", action="store_true", help="also export confidential notes")
    p.set_defaults(func=cmd_report)


def render(report: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    from kring.data import render as renderers

    return getattr(renderers, f"render_{fmt}")(report)


def cmd_report(args: argparse.Namespace) -> int:
    from kring.data.meetings import resolve_meeting
    from kring.data.report import build_report
    from kring.tui.commands import open_store

    store = open_store(args)
    info = resolve_meeting(store, args.id)
    text = render(build_report(store, info.id, include_confidential=args.include_confidential), args.fmt)
    if args.output:
        from kring.data.files import write_private

        write_private(args.output, text)
    else:
        sys.stdout.write(text)
    return 0
