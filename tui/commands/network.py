"""kring network new · set · add · leervraag · list · show · search · forget · plan · ics · edit
(share · unshare: kring.tui.commands.share),
and `kring run --network NAME` (the network's next meeting)."""

from __future__ import annotations

import argparse
import sys

from kring.tui.commands import config_of, open_store, run_app
from kring.tui.output import say
from kring.data.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("network", parents=[common], help=_("learning networks and their members"))
    nsub = p.add_subparsers(dest="network_command", metavar=_("COMMAND"), parser_class=type(p))
    p.set_defaults(func=cmd_list)

    def fields(q: argparse.ArgumentParser) -> None:
        q.add_argument("--theme", default=None, metavar=_("THEME"))
        q.add_argument("--goal", default=None, metavar=_("GOAL"))
        q.add_argument("--form", default=None, metavar=_("FORM"), help=_("structure | process | activity (structuur, proces, activiteit)"))
        q.add_argument("--kind", default=None, metavar=_("KIND"), help=_("task | practice | knowledge (taak, praktijk, kennis)"))
        q.add_argument("--rhythm", default=None, metavar=_("RHYTHM"), help=_("how often it meets, e.g. 'elke zes weken'"))
        q.add_argument("--rule", action="append", default=[], metavar=_("TEXT"), help=_("a ground rule (spelregel)"))
        q.add_argument("--role", action="append", default=None, metavar=_("ROLE"),
                       help=_("the roles that rotate (default: moderator notulist tijdbewaker)"))

    q = nsub.add_parser("new", parents=[common], help=_("make a network"))
    q.add_argument("name", metavar=_("NAME"))
    fields(q)
    q.set_defaults(func=cmd_new)

    q = nsub.add_parser("set", parents=[common], help=_("change a network (--rule adds a ground rule)"))
    q.add_argument("name", metavar=_("NAME"))
    q.add_argument("--rename", default=None, metavar=_("NEW_NAME"))
    fields(q)
    who = q.add_mutually_exclusive_group()
    who.add_argument("--anonymous", dest="anonymous", action="store_true", default=None,
                     help=_("evaluate anonymously from now on"))
    who.add_argument("--named", dest="anonymous", action="store_false", help=_("evaluate with names from now on"))
    q.add_argument("--evaluation-form", default=None, metavar=_("NAME"), help=_("the evaluation form (see: kring formats list)"))
    q.set_defaults(func=cmd_set)

    q = nsub.add_parser("import", parents=[common], help=_("add members from a CSV file: name, e-mail, learning question"))
    q.add_argument("name", metavar=_("NAME"))
    q.add_argument("file", metavar=_("FILE"))
    q.set_defaults(func=cmd_import)

    q = nsub.add_parser("add", parents=[common], help=_("add a member"))
    q.add_argument("name", metavar=_("NAME"))
    q.add_argument("member", metavar=_("MEMBER"))
    q.add_argument("--leervraag", "--question", dest="questions", action="append", default=[], metavar=_("TEXT"),
                   help=_("a learning question (may be given more than once)"))
    q.add_argument("--email", default="", metavar=_("EMAIL"))
    q.add_argument("--expertise", default="", metavar=_("EXPERTISE"))
    q.set_defaults(func=cmd_add)

    q = nsub.add_parser("leervraag", parents=[common], help=_("add a learning question to a member"))
    q.add_argument("name", metavar=_("NAME"))
    q.add_argument("member", metavar=_("MEMBER"))
    q.add_argument("text", metavar=_("TEXT"))
    q.set_defaults(func=cmd_question)

    q = nsub.add_parser("list", parents=[common], help=_("the networks in the store"))
    q.set_defaults(func=cmd_list)

    q = nsub.add_parser("show", parents=[common], help=_("members, learning questions, rules, actions, meetings"))
    q.add_argument("name", metavar=_("NAME"))
    q.set_defaults(func=cmd_show)

    q = nsub.add_parser("search", parents=[common], help=_("search the notes of all the network's meetings"))
    q.add_argument("name", metavar=_("NAME"))
    q.add_argument("query", nargs="+", metavar=_("WORDS"))
    q.add_argument("--limit", type=int, default=50, metavar=_("NUMBER"))
    q.set_defaults(func=cmd_search)

    q = nsub.add_parser("forget", parents=[common], help=_("remove a member and everything that names them"))
    q.add_argument("name", metavar=_("NAME"))
    q.add_argument("member", metavar=_("MEMBER"))
    q.add_argument("--alias", action="append", default=[], metavar=_("NAME"),
                   help=_("another name they go by, replaced too (may be given more than once)"))
    q.add_argument("--keep-first-name", action="store_true",
                   help=_("do not replace their first name on its own (when another member shares it)"))
    q.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    q.set_defaults(func=cmd_forget)

    q = nsub.add_parser("plan", parents=[common], help=_("plan a meeting of the series"))
    q.add_argument("name", metavar=_("NAME"))
    q.add_argument("--at", required=True, metavar=_('"YYYY-MM-DD HH:MM"'), help=_("when it starts, in your time zone"))
    q.add_argument("--minutes", type=int, default=None, metavar=_("MINUTES"), help=_("how long (default: the work format's length, else 120)"))
    q.add_argument("--place", default="", metavar=_("PLACE"))
    q.add_argument("--format", "-f", dest="werkvorm", default="", metavar=_("NAME_OR_FILE"), help=_("the work format (default: the network's next)"))
    q.set_defaults(func=cmd_plan)

    q = nsub.add_parser("ics", parents=[common], help=_("the series' calendar: planned meetings and open actions"))
    q.add_argument("name", metavar=_("NAME"))
    q.add_argument("-o", "--output", required=True, metavar=_("FILE"), help=_("the .ics file to write ('-': standard output)"))
    q.set_defaults(func=cmd_ics)

    q = nsub.add_parser("edit", parents=[common], help=_("edit a network and its members on screen"))
    q.add_argument("name", nargs="?", metavar=_("NAME"))
    q.set_defaults(func=cmd_edit)

    from kring.tui.commands import share

    share.register(nsub, common)


def _clock():  # noqa: ANN202
    from kring.data.core.clock import SystemClock

    return SystemClock()


def _warn(text: str) -> None:
    from kring.data.i18n import _

    say("kring: " + _("warning") + ": " + text, file=sys.stderr)


def cmd_new(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.networks import create_network

    store = open_store(args)
    create_network(store, args.name, _clock(), theme=args.theme or "", goal=args.goal or "", form=args.form or "",
                   kind=args.kind or "", rhythm=args.rhythm or "", ground_rules=args.rule, roles=args.role)
    say(_("Network '{name}' made. Add members with: kring network add \"{name}\" NAME --leervraag TEXT").format(
        name=" ".join(args.name.split())))
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.networks import update_network

    store = open_store(args)
    if args.evaluation_form is not None:
        from kring.workformats.forms import find_form

        find_form(args.evaluation_form)  # an unknown form is said before anything changes
    info = update_network(store, args.name, name=args.rename, theme=args.theme, goal=args.goal, form=args.form,
                          kind=args.kind, rhythm=args.rhythm, add_rules=args.rule, roles=args.role)
    if args.evaluation_form is not None or args.anonymous is not None:
        from kring.data.evaluation import choose_for_network

        form, anonymous = choose_for_network(store, info.id, form=args.evaluation_form, anonymous=args.anonymous)
        say(_("Evaluation of '{name}': form {form}, {how}.").format(
            name=info.name, form=form, how=_("anonymous") if anonymous else _("with names")))
    say(_("Network '{name}' changed.").format(name=info.name))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from kring.data.errors import InputError
    from kring.data.i18n import _, ngettext
    from kring.data.member_import import ImportProblems, import_members

    try:
        from pathlib import Path

        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise InputError(_("{file}: cannot read it ({reason})").format(file=args.file, reason=reason)) from None
    store = open_store(args)
    try:
        count, warnings = import_members(store, args.name, text, args.file, _clock())
    except ImportProblems as exc:
        for line in exc.problems:
            say("kring: " + line, file=sys.stderr)
        say("kring: " + _("nothing was imported; fix these lines and import the file again"), file=sys.stderr)
        return 2
    say(ngettext("{count} member imported.", "{count} members imported.", count).format(count=count))
    for w in warnings:
        _warn(w)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.networks import add_member, get_network

    store = open_store(args)
    warnings = add_member(store, args.name, args.member, _clock(), email=args.email, expertise=args.expertise,
                          questions=args.questions)
    info = get_network(store, args.name)
    m = info.member(args.member)
    say(_("{member} joined '{network}'; members now: {count}.").format(
        member=m.name, network=info.name, count=len(info.members)))
    for w in warnings:
        _warn(w)
    return 0


def cmd_question(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.networks import add_learning_question

    store = open_store(args)
    add_learning_question(store, args.name, args.member, args.text, _clock())
    say(_("Learning question added."))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.labels import date_time
    from kring.data.networks import list_networks

    store = open_store(args)
    rows = list_networks(store)
    if not rows:
        say(_("No networks yet. Make one with: kring network new NAME --theme TEXT"))
        return 0
    width = max(len(r.name) for r in rows)
    say(f"{_('network'):<{width}}  {_('members'):>7}  {_('meetings'):>9}  {_('last meeting'):<18} {_('theme')}")
    for r in rows:
        last = date_time(r.last_meeting) if r.last_meeting else "—"
        say(f"{r.name:<{width}}  {r.members:>7}  {r.meetings:>9}  {last:<18} {r.theme}")
    return 0


def _kind(kind: str) -> str:
    from kring.data.labels import kind_label

    return kind_label(kind)


def _date(moment) -> str:  # noqa: ANN001
    from kring.data.labels import date_short

    return date_short(moment) if moment is not None else "—"


def cmd_show(args: argparse.Namespace) -> int:
    from kring.tui.commands.network_show import show

    return show(args)


def cmd_search(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.networks import get_network
    from kring.data.search import in_shown_language, require_terms, search_notes

    store = open_store(args)
    info = get_network(store, args.name)
    query = " ".join(args.query)
    require_terms(query)
    hits = in_shown_language(store, search_notes(store, query, info.id, limit=max(1, args.limit), order="useful"))
    if not hits:
        say(_("Nothing found for '{query}' in '{network}'.").format(query=query, network=info.name))
        return 0
    say(_("{count} found for '{query}' in '{network}' (insights and decisions first):").format(
        count=len(hits), query=query, network=info.name))
    for h in hits:
        where = ", ".join(x for x in (h.meeting_title, _date(h.date), h.step_title, h.speaker or "") if x)
        say(f"  [{_kind(h.kind)}] {h.text}\n      {where}")
    return 0


def cmd_forget(args: argparse.Namespace) -> int:
    from kring.data.errors import InputError
    from kring.data.forget import forget_member, forget_question
    from kring.data.i18n import _
    from kring.data.networks import network_id_by_name

    store = open_store(args)
    network_id = network_id_by_name(store, args.name)
    how = dict(aliases=args.alias, keep_first_name=args.keep_first_name)
    report = forget_member(store, network_id, args.member, **how)
    say(forget_question(report))
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(_("forget: confirm with --yes (no terminal to ask on); nothing was changed"))
        answer = input(_("Type 'ja' to go on: ")).strip().casefold()
        if answer not in ("j", "ja", "y", "yes"):
            say(_("Nothing was changed."))
            return 0
    done = forget_member(store, network_id, args.member, apply=True, **how)
    say(_("{name} is forgotten.").format(name=report.member))
    if not done.erased:
        _warn(_("another kring process has the store open: old copies stay in the store's -wal file until "
                "every kring process on it has closed")
              if store.is_sqlite else
              _("the store's tables could not be vacuumed (not their owner): old row versions remain on the "
                "server until its next VACUUM"))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.labels import date_time
    from kring.data.networks import get_network
    from kring.data.planning import plan_meeting, planned_meetings

    store = open_store(args)
    if args.werkvorm:
        from kring.workformats.loader import find

        find(args.werkvorm)  # a format that does not load is said now, not on the day
    planned = plan_meeting(store, args.name, args.at, _clock(), minutes=args.minutes, place=args.place,
                           werkvorm=args.werkvorm, zone=config_of(args).settings.timezone)
    info = get_network(store, planned.network_id)
    count = len(planned_meetings(store, info.id, held=False))
    say(_("Meeting of '{network}' planned on {when} ({minutes} min); planned meetings now: {count}.").format(
        network=info.name, when=date_time(planned.starts_at), minutes=planned.minutes, count=count))
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.ics import network_calendar
    from kring.data.networks import network_id_by_name

    store = open_store(args)
    data = network_calendar(store, network_id_by_name(store, args.name), _clock(),
                            zone=config_of(args).settings.timezone)  # its texts already shown()
    from kring.tui.commands import write_output

    target = write_output(store, args.output, data.decode("utf-8"))  # `-`: standard output
    if target is not None:
        say(_("Calendar written to {file}").format(file=target), file=sys.stderr)
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from kring.data.networks import network_id_by_name
    from kring.tui.commands import need_terminal

    need_terminal(config_of(args))  # a screen: without a terminal it would spin at full speed
    store = open_store(args)
    network_id = network_id_by_name(store, args.name) if args.name else None
    from kring.tui.network_app import NetworkApp

    NetworkApp(store, network_id, config=config_of(args)).run()
    return 0


def start_network_meeting(args: argparse.Namespace) -> int:
    """`kring run --network NAME [--format F] [--role ROLE=NAME …] [--participant GUEST …]`."""
    from kring.tui.app import KringApp
    from kring.tui.commands import need_terminal

    store, meeting_id = prepare_network_meeting(args, before_making=need_terminal)
    # the agenda's network part shows the proposed roles before the first step
    app = KringApp(store, meeting_id, confirm_roles=True, check_first=True, config=config_of(args))
    return run_app(app)


def prepare_network_meeting(args: argparse.Namespace, clock=None, before_making=None):  # noqa: ANN001, ANN201
    """Check everything, then create the meeting: (store, meeting id). Bad input creates nothing;
    `before_making` is a last check (a terminal for the screen) before anything is made."""
    from kring.data.errors import InputError
    from kring.data.i18n import _
    from kring.data.network_meetings import default_format, live_meetings, start_meeting
    from kring.data.networks import get_network
    from kring.data.planning import link_meeting, next_planned
    from kring.data.roles import parse_role_options, propose_roles
    from kring.workformats.loader import find

    store = open_store(args)
    clock = clock or _clock()
    info = get_network(store, args.network)
    if not info.members:
        raise InputError(
            _("network '{name}' has no members yet (add them with: kring network add \"{name}\" NAME)").format(name=info.name))
    # the meeting on the calendar, when there is one
    planned = next_planned(store, info.id, clock.now(), zone=config_of(args).settings.timezone)
    fmt = find(args.werkvorm or (planned.werkvorm if planned else "") or default_format(store, info.id))
    fixed = parse_role_options(info, getattr(args, "role", None) or [])
    roles = propose_roles(store, info.id, fixed=fixed)
    if before_making is not None:
        from kring.data.meetings import check_place, check_title, clean_names

        # what start_meeting would refuse, refused first: a missing terminal is said last
        check_title(args.title), check_place(args.place or "")
        clean_names([m.name for m in info.members] + list(getattr(args, "participant", None) or []))
        before_making()
    for live in live_meetings(store, info.id):
        _warn(_("meeting {id} of this network is still live (kring resume {id}); starting a new one").format(id=live))
    place = args.place or (planned.place if planned else "")
    meeting_id = start_meeting(store, info.id, fmt.model_dump(mode="json"), clock, roles=roles,
                               title=args.title, place=place, guests=getattr(args, "participant", None) or [])
    if planned is not None:
        link_meeting(store, planned.id, meeting_id)
    return store, meeting_id
