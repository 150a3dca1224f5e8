"""kring demo · run · resume · sessions"""

from __future__ import annotations

import argparse

from kring.tui.commands import config_of, need_terminal, open_store, run_app
from kring.tui.output import say
from kring.data.i18n import _


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help=_("a demo network and a live meeting"))
    p.set_defaults(func=cmd_demo, paints_first=True)

    p = sub.add_parser("run", parents=[common], help=_("start a new live meeting"))
    p.add_argument("--format", "-f", dest="werkvorm", default=None, metavar=_("NAME_OR_FILE"), help=_("work format name or YAML file"))
    p.add_argument("--participant", "-p", action="append", default=[], metavar=_("NAME"))
    p.add_argument("--title", default=None, metavar=_("TITLE"))
    p.add_argument("--place", default="", metavar=_("PLACE"))
    p.add_argument("--network", default=None, metavar=_("NETWORK"), help=_("start the network's next meeting with its members"))
    p.add_argument("--role", action="append", default=[], metavar=_("ROLE=NAME"),
                   help=_("with --network: give a role to a member instead of the proposed rotation"))
    p.set_defaults(func=cmd_run, paints_first=True)

    p = sub.add_parser("resume", parents=[common], help=_("reopen a live meeting (latest by default)"))
    p.add_argument("id", nargs="?", type=int, metavar=_("ID"), help=_("the meeting (default: the latest live one)"))
    p.set_defaults(func=cmd_resume, paints_first=True)

    p = sub.add_parser("sessions", parents=[common], help=_("list the meetings in the store"))
    p.add_argument("--network", default=None, metavar=_("NETWORK"))
    p.set_defaults(func=cmd_sessions)


def _moderator(store, meeting_id: int, config, *, check_first: bool = False):  # noqa: ANN001, ANN202
    from kring.tui.app import KringApp

    return KringApp(store, meeting_id, config=config, check_first=check_first)


def _first_paint(args: argparse.Namespace, **which) -> int | None:  # noqa: ANN003
    """Show the meeting before the store's libraries load (see kring.tui.firstpaint);
    None when the quick read is not sure, and the usual path should open the store."""
    from kring.tui.firstpaint import read

    return _paint_first(args, read(config_of(args).peek("db"), **which))


def _paint_first(args: argparse.Namespace, first, *, check_first: bool = False) -> int | None:  # noqa: ANN001
    """`first`: a FirstPaint or None. `check_first`: a new meeting opens with the check."""
    if first is None:
        return None
    from kring.tui.app import KringApp

    # the typed settings are built with the store, after the first frame
    app = KringApp(None, first.meeting.id, first_paint=first, config=config_of(args), check_first=check_first)
    code = run_app(app)
    if app.open_error is not None:
        raise app.open_error  # said as the usual path says it (exit 2 for a store that will not open)
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    need_terminal(config_of(args))  # before the demo is made
    code = _first_paint(args, demo=True)
    if code is None:
        from kring.tui.firstmeeting import for_new_demo

        code = _paint_first(args, for_new_demo(config_of(args).peek("db")))  # no store yet
    if code is not None:
        return code
    store = open_store(args)
    meeting_id = _live_demo(store)
    if meeting_id is None:  # the first time: make the demo (reading the work formats takes a moment)
        from kring.data.core.clock import SystemClock
        from kring.data.demo import demo_meeting
        from kring.tui.firstmeeting import DEMO_FORMAT
        from kring.workformats.loader import find
        from kring.workformats.quick import remember

        fmt = remember(DEMO_FORMAT, lambda: find(DEMO_FORMAT))  # kept for the next first paint
        meeting_id = demo_meeting(store, SystemClock(), fmt.model_dump(mode="json"))
    return run_app(_moderator(store, meeting_id, config_of(args)))


def _live_demo(store) -> int | None:  # noqa: ANN001
    """The demo meeting still running, found without loading any work format (start-up time)."""
    from sqlmodel import select

    from kring.data.demo import DEMO_NETWORK
    from kring.data.models import Meeting, Network

    with store.session() as s:
        found = s.exec(
            select(Meeting.id).join(Network, Network.id == Meeting.network_id)
            .where(Network.name == DEMO_NETWORK, Meeting.status == "live").order_by(Meeting.id.desc())
        ).first()
    return None if found is None else int(found)


def cmd_run(args: argparse.Namespace) -> int:
    from kring.data.core.given import check_place, check_title, clean_names
    from kring.data.errors import InputError
    from kring.data.i18n import _

    check_title(args.title), check_place(args.place)  # before anything is opened or made
    if args.network:
        config_of(args).settings  # noqa: B018 - a setting kring cannot use is said before anything starts
        from kring.tui.commands.network import start_network_meeting

        return start_network_meeting(args)
    if not args.werkvorm:
        raise InputError(_("kring run: say which work format with --format NAME_OR_FILE (see: kring formats list)"))
    if not args.participant:
        raise InputError(_("kring run: name the participants with --participant NAME (once per person)"))
    names = clean_names(args.participant)
    from kring.tui.firstmeeting import for_run

    first = for_run(config_of(args).peek("db"), args.werkvorm, names, args.title, args.place)
    if first is not None:
        need_terminal(config_of(args))  # before the meeting is made
        return _paint_first(args, first, check_first=True)
    config_of(args).settings  # noqa: B018 - as main does for a command that does not paint first
    from kring.data.core.clock import SystemClock
    from kring.data.meetings import create_meeting
    from kring.workformats.loader import find
    from kring.workformats.quick import remember

    fmt = remember(args.werkvorm, lambda: find(args.werkvorm))  # kept for the next first paint
    need_terminal()  # before the meeting is made
    store = open_store(args)
    meeting_id = create_meeting(store, fmt.model_dump(mode="json"), names, SystemClock(), title=args.title,
                                place=args.place)
    return run_app(_moderator(store, meeting_id, config_of(args), check_first=True))


def cmd_resume(args: argparse.Namespace) -> int:
    code = _first_paint(args, meeting_id=args.id)
    if code is not None:
        return code
    from kring.data.meetings import resolve_meeting

    store = open_store(args)
    info = resolve_meeting(store, args.id, live_only=True)
    return run_app(_moderator(store, info.id, config_of(args)))


def cmd_sessions(args: argparse.Namespace) -> int:
    from kring.data.i18n import _
    from kring.data.labels import date_time
    from kring.data.meetings import list_meetings

    store = open_store(args)
    network_id = None
    if args.network:
        from kring.data.networks import network_id_by_name

        network_id = network_id_by_name(store, args.network)
    rows = list_meetings(store, network_id)
    if not rows:
        say(_("No meetings yet. Start one with: kring demo, or kring run --format standaard --participant NAME …"))
        return 0
    status = {"live": _("live"), "closed": _("closed")}
    whens = [date_time(m.started_at or m.created_at) for m in rows]
    # columns as wide as what they hold ('vijfstappenmethode', 'sept.'), so the titles line up
    w_when = max(len(_("date")), *map(len, whens))
    w_status = max(len(_("status")), *(len(status.get(m.status, m.status)) for m in rows))
    w_format = max(14, len(_("work format")), *(len(m.werkvorm) for m in rows))
    say(f"{'id':>4}  {_('date'):<{w_when}}  {_('status'):<{w_status}} {_('people'):>6}  {_('work format'):<{w_format}}  {_('title')}")
    for m, when in zip(rows, whens):
        say(f"{m.id:>4}  {when:<{w_when}}  {status.get(m.status, m.status):<{w_status}} {m.participants:>6}  "
            f"{m.werkvorm:<{w_format}}  {m.title}")
    return 0
