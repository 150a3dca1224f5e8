"""kring report [ID] --format md|html|json|csv [-o FILE] [--include-confidential]

Markdown for mail, a self-contained HTML page that prints to PDF, JSON (the
contract in DESIGN.md) and CSV (one row per note, action and evaluation
answer; the `section` column says which). Without --format, the file name's
extension chooses (verslag.html), else Markdown. Files are written owner-only
and atomically, never over the store's own files, and into a device or named
pipe rather than in its place (kring.data.files.write_export); a CSV file
starts with a byte-order mark so spreadsheets read its accents right.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kring.tui.output import say
from kring.data.i18n import _

FORMATS = ("json", "md", "html", "csv")
EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json", ".csv": "csv"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report", parents=[common], help=_("export a meeting's report (latest meeting by default)"),
        description=_("Export a meeting's report. CSV: one row per note, action and evaluation answer; "
        "the 'section' column says which."),
    )
    p.add_argument("id", nargs="?", type=int, metavar=_("ID"), help=_("the meeting (default: the latest)"))
    p.add_argument("--format", "-f", dest="fmt", choices=FORMATS, default=None,
                   help=_("md (default), html, json or csv; without it the -o file's extension chooses"))
    p.add_argument("-o", "--output", default=None, metavar=_("FILE"),
                   help=_("file to write; - is standard output (the default); never the store's own files"))
    p.add_argument("--include-confidential", action="store_true", help=_("also export confidential notes"))
    p.add_argument("--network", default=None, metavar=_("NET"),
                   help=_("the network's own report over its series (md, html or json) instead of one meeting's"))
    from kring.tui.commands.mail import add_options

    add_options(p)
    p.set_defaults(func=cmd_report)


def render(report: dict, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    from kring.data import report as renderers

    return getattr(renderers, f"render_{fmt}")(report)


def choose_format(fmt: str | None, output: str | None) -> str:
    if fmt:
        return fmt
    if output:
        return EXTENSIONS.get(Path(output).suffix.lower(), "md")
    return "md"


def cmd_report(args: argparse.Namespace) -> int:
    from kring.data.collector import collector_held

    # A report is built and written once: its hundred thousand small dicts and
    # strings hold no cycles, so the collector's walks over them (a quarter of the
    # time of a 5,000-note report) free nothing. On again after it, for a caller
    # that goes on (kring's own tests run the command line in their process).
    with collector_held():
        return _report(args)


def _report(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.meetings import resolve_meeting
    from kring.data.report import build_report
    from kring.data.core.textgate import shown
    from kring.tui.commands import open_store

    fmt = choose_format(args.fmt, args.output)
    if getattr(args, "network", None):
        return network_report(args, fmt)
    store = open_store(args)
    info = resolve_meeting(store, args.id)
    if getattr(args, "mail_to", None):
        from kring.tui.commands.mail import mail_report

        say(mail_report(args, store, info.id))
        if not args.output:
            return 0
    text = render(build_report(store, info.id, include_confidential=args.include_confidential), fmt)
    if args.output:
        from kring.data.files import is_stdout
        from kring.tui.commands import write_output

        if fmt == "csv" and not is_stdout(args.output):
            text = "\ufeff" + text
        target = write_output(store, args.output, shown(text))  # the text gate, as say() prints
        if target is not None and not is_stdout(args.output):
            say(_("Report of meeting {id} written to {file}").format(id=info.id, file=target), file=sys.stderr)
    else:
        say(text, end="")
    return 0


def network_report(args: argparse.Namespace, fmt: str) -> int:
    """`kring report --network NET`: the series' report; confidential notes are never in it."""
    from kring.data.errors import InputError
    from kring.data.i18n import _
    from kring.data.networks import network_id_by_name
    from kring.tui.commands import open_store

    if args.id is not None:
        raise InputError(_("--network: give the network or a meeting's id, not both"))
    if fmt not in ("md", "html", "json"):
        raise InputError(_("--network: the network's report is md, html or json, not {fmt}").format(fmt=fmt))
    if args.include_confidential:
        raise InputError(_("--network: confidential notes are never in the network's report"))
    if getattr(args, "mail_to", None):
        raise InputError(_("--network: mail the network's report as a file (-o); --mail-to sends a meeting's"))
    from kring.data.core.textgate import shown
    from kring.data.network_report import build_network_report

    store = open_store(args)
    report = build_network_report(store, network_id_by_name(store, args.network))
    if fmt == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    else:
        from kring.data import network_render

        text = getattr(network_render, f"render_network_{fmt}")(report)
    if args.output:
        from kring.data.files import is_stdout
        from kring.tui.commands import write_output

        target = write_output(store, args.output, shown(text))
        if target is not None and not is_stdout(args.output):
            say(_("Report of network '{name}' written to {file}").format(name=report["network"]["name"],
                                                                         file=target), file=sys.stderr)
    else:
        say(text, end="")
    return 0
