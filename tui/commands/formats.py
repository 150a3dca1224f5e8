"""kring formats list · kring formats check FILE"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("formats", parents=[common], help="list and validate work formats")
    fsub = p.add_subparsers(dest="formats_command", metavar="list|check", parser_class=type(p))
    lp = fsub.add_parser("list", parents=[common], help="the work formats kring knows")
    lp.set_defaults(func=cmd_list)
    cp = fsub.add_parser("check", parents=[common], help="validate a work format file")
    cp.add_argument("file")
    cp.set_defaults(func=cmd_check)
    p.set_defaults(func=cmd_list)


def cmd_list(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.timefmt import words
    from kring.workformats.loader import catalog, user_dir

    cat = catalog()
    width = max((len(n) for n in cat.formats), default=10)
    for name in sorted(cat.formats, key=lambda n: (cat.formats[n].category, n)):
        fmt = cat.formats[name]
        own = "" if cat.origins[name] == "builtin" else "  (" + _("own") + ")"
        print(f"{name:<{width}}  {words(fmt.total_seconds):<22} {len(fmt.steps):>2} {_('steps')}  {fmt.title}{own}")
    for err in cat.broken:
        print(f"kring: {err}", file=sys.stderr)
    print(_("Own work formats go in: {folder}").format(folder=user_dir()))
    return 2 if cat.broken else 0


def cmd_check(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.timefmt import words
    from kring.workformats.loader import load_file

    fmt = load_file(args.file)
    print(_("{file}: valid work format '{name}', {steps} steps, {total}").format(
        file=args.file, name=fmt.name, steps=len(fmt.steps), total=words(fmt.total_seconds)))
    return 0
