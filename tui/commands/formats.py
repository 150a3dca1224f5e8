"""kring formats list · kring formats check FILE (work formats and evaluation forms)"""

from __future__ import annotations

import argparse
import sys

from kring.tui.output import say
from kring.data.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("formats", parents=[common], help=_("list and validate work formats"))
    fsub = p.add_subparsers(dest="formats_command", metavar="list|show|check", parser_class=type(p))
    lp = fsub.add_parser("list", parents=[common], help=_("the work formats kring knows"))
    lp.set_defaults(func=cmd_list)
    sp = fsub.add_parser("show", parents=[common], help=_("a work format's steps, or an evaluation form's questions"))
    sp.add_argument("name", metavar=_("NAME"), help=_("a work format or evaluation form: its name or a YAML file"))
    sp.set_defaults(func=cmd_show)
    cp = fsub.add_parser("check", parents=[common], help=_("validate a work format file"))
    cp.add_argument("file", metavar=_("FILE"), help=_("a work format or evaluation form as a YAML file"))
    cp.set_defaults(func=cmd_check)
    p.set_defaults(func=cmd_list)


def cmd_list(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.labels import words
    from kring.workformats.loader import catalog, user_dir

    cat = catalog()
    width = max((len(n) for n in cat.formats), default=10)
    for name in sorted(cat.formats, key=lambda n: (cat.formats[n].category, n)):
        fmt = cat.formats[name].shown()
        own = "" if cat.origins[name] == "builtin" else "  (" + _("own") + ")"
        say(f"{name:<{width}}  {words(fmt.total_seconds):<22} {len(fmt.steps):>2} {_('steps')}  {fmt.title}{own}")
    for err in cat.broken:
        say(f"kring: {err}", file=sys.stderr)
    say(_("Own work formats go in: {folder}").format(folder=user_dir()))
    return 2 if _list_forms() or cat.broken else 0


def _list_forms() -> bool:
    """The evaluation forms, after the work formats. True if one is broken."""
    from kring.data.i18n import _
    from kring.workformats.forms import form_catalog, forms_dir

    forms = form_catalog()
    say()
    say(_("Evaluation forms:"))
    width = max((len(n) for n in forms.forms), default=10)
    for name in sorted(forms.forms):
        form = forms.forms[name].shown()
        own = "" if forms.origins[name] == "builtin" else "  (" + _("own") + ")"
        say(f"{name:<{width}}  {len(form.questions):>2} {_('questions')}  {form.title}{own}")
    for err in forms.broken:
        say(f"kring: {err}", file=sys.stderr)
    say(_("Own evaluation forms go in: {folder}").format(folder=forms_dir()))
    return bool(forms.broken)


def cmd_show(args: argparse.Namespace) -> int:
    """One format's steps (or one form's questions), in the interface's language."""
    import textwrap

    from kring.data.errors import InputError
    from kring.data.i18n import _
    from kring.data.labels import words
    from kring.workformats.forms import find_form, looks_like_form
    from kring.workformats.loader import find

    def wrapped(text: str, indent: str = "    ") -> None:
        for line in textwrap.wrap(" ".join(text.split()), 76, initial_indent=indent, subsequent_indent=indent):
            say(line)

    try:
        fmt = None if looks_like_form(args.name) else find(args.name).shown()
    except InputError:
        fmt = None
    if fmt is None:
        try:
            form = find_form(args.name).shown()
        except InputError:
            find(args.name)  # neither: the work format's message names the known formats
            raise
        say(f"{form.title} ({form.name}) · {len(form.questions)} {_('questions')}")
        wrapped(form.description, "")
        for i, q in enumerate(form.questions, 1):
            say(f"{i:>2}. {q.text}")
        return 0
    say(f"{fmt.title} ({fmt.name}) · {words(fmt.total_seconds)} · {len(fmt.steps)} {_('steps')}")
    wrapped(fmt.description, "")
    for i, step in enumerate(fmt.steps, 1):
        say(f"{i:>2}. {step.title} ({round(step.minutes)} min)")
        if step.instructions:
            wrapped(step.instructions)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.labels import words
    from kring.workformats.loader import check_file

    from kring.workformats.forms import load_form, looks_like_form

    if looks_like_form(args.file):
        form = load_form(args.file)
        say(_("{file}: valid evaluation form '{name}', {n} questions").format(
            file=args.file, name=form.name, n=len(form.questions)))
        return 0
    fmt = check_file(args.file)
    say(_("{file}: valid work format '{name}', {steps} steps, {total}").format(
        file=args.file, name=fmt.name, steps=len(fmt.steps), total=words(fmt.total_seconds)))
    return 0
