"""The `kring` command line.

Heavy imports (Textual, SQLAlchemy) happen inside the commands, after the
language is chosen: the interface strings are translated when their modules load.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

# Textual paints what changed at its next frame, at most MAX_FPS a second. At 60, a
# key pressed just after another frame went out (the clock's second, the cursor's
# blink) waited up to 17 ms for the next: a twentieth of the keys, the p95 of typing.
# At 120 that wait is half; a screen that changes less often sends no more frames.
os.environ.setdefault("TEXTUAL_FPS", "120")

from kring.data import i18n  # noqa: E402 - after the frame rate: nothing below may load Textual first
from kring.data.errors import InputError  # noqa: E402
from kring.data.i18n import _  # noqa: E402
from kring.data.labels import use_zone  # noqa: E402
from kring.tui.config import Config  # noqa: E402
from kring.tui import earlyterminal, startgc  # noqa: E402
from kring.tui.output import say  # noqa: E402


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for any bad input
        self.exit(2, f"{self.prog}: {message}\n")


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar=_("DB"),
                        help=_("store: a SQLAlchemy URL or a file path (else $KRING_DB, else the config file's db)"))
    common.add_argument("--lang", default=argparse.SUPPRESS, metavar=_("LANG"), help=_("interface language: nl (default) or en"))
    common.add_argument("--shared-group", default=argparse.SUPPRESS, metavar=_("GROUP"),
                        help=_("share the store with this group: its file and folder are the owner's and the "
                             "group's (else $KRING_SHARED_GROUP; default: the owner's only)"))
    common.add_argument("--timezone", default=argparse.SUPPRESS, metavar=_("ZONE"),
                        help=_("every time shown, and the series' calendar, in this zone, e.g. Europe/Amsterdam "
                             "(else $KRING_TIMEZONE, the config file's timezone, $TZ; default: Europe/Amsterdam)"))
    return common


# Which module of kring.tui.commands registers each command, in the order of --help.
COMMANDS = {
    "demo": "meeting", "run": "meeting", "resume": "meeting", "sessions": "meeting",
    "notes": "notes", "evaluate": "evaluate", "report": "report", "history": "history",
    "formats": "formats", "network": "network", "sync": "sync", "serve": "serve",
}
_VALUED = ("--db", "--lang", "--shared-group", "--timezone")  # the common options that take a value
_SETTINGS = ("db", "lang", "shared_group", "timezone")  # the settings the command line gives (see kring.tui.settings)


def build_parser(command: str | None = None) -> ArgumentParser:
    """The whole command line, or only the group of `command`: building every
    subcommand is a few milliseconds of every start-up (issue #8)."""
    import importlib

    common = common_options()
    parser = ArgumentParser(prog="kring", description=_("Run live learning-network meetings."), parents=[common])
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=ArgumentParser)
    wanted = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in wanted:
        importlib.import_module(f"kring.tui.commands.{name}").register(sub, common)
    return parser


def command_in(argv: Sequence[str]) -> str | None:
    """The command word of `argv` (after any common options), or None."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUED:
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # Before anything is written (the language's catalog is kept in the cache folder
    # while the command line is read): the owner's only, until the settings say more.
    os.umask(0o077)
    command = command_in(argv)
    startgc.hold(command)  # let go at the door's first screen, or below when the command ends
    if command in _SCREENS:
        earlyterminal.take()  # keys typed from now are neither echoed nor cooked (given back below)
    try:
        return _main(argv, command)
    finally:
        startgc.release()
        earlyterminal.give_back()


_SCREENS = startgc.DOORS - {"serve"}  # the doors that show a screen


def _main(argv: list[str], command: str | None) -> int:
    _first_language(argv)
    parser = build_parser(command)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2) and --help (0), already printed
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        args.config = config = Config.load({name: getattr(args, name, None) for name in _SETTINGS})
        _language(config)
        use_zone(config.zone())  # every time said (sessions, reports, screens) in the user's zone
        # Minutes are confidential: everything kring writes is the owner's (and, for a
        # shared store, its group's), never the world's.
        os.umask(0o007 if str(config.peek("shared_group") or "").strip() else 0o077)
        if not getattr(args, "paints_first", False):
            config.settings  # noqa: B018 - built now: a setting kring cannot use is said before anything starts
        code = int(args.func(args) or 0)
        from kring.data.files import flush_stdout

        flush_stdout()
        return code
    except InputError as exc:
        say(f"kring: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()
    except Exception as exc:  # noqa: BLE001 - no traceback reaches a user
        from kring.data.store import StoreError

        if isinstance(exc, StoreError):
            say(f"kring: {exc}", file=sys.stderr)
            return 2
        from kring.data.errors import log_crash

        log = log_crash()
        # An exception's name and text are for the one who fixes kring (they may hold
        # SQL): the person is told where they are, not what they say.
        say(_("kring: an unexpected error stopped this command; the details are in {log}").format(log=log), file=sys.stderr)
        return 1


def _reader_gone() -> int:
    """The program reading kring's output stopped (`kring report | head`): no crash, nothing
    to say. What is still buffered goes nowhere, so the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file under sys.stdout: nothing left to flush there
        pass
    return 141  # what a shell says of a writer stopped by its pipe (128 + SIGPIPE)


def _first_language(argv: Sequence[str]) -> None:
    """The language of what is said before the settings are read: a usage error, a broken
    config file. --lang or KRING_LANG, else the locale; a value kring cannot use is said
    later, where the settings are checked. argparse's own messages take the same catalog."""
    args = iter(argv)
    requested = next((next(args, None) for arg in args if arg == "--lang"), None)
    requested = requested or next((a.split("=", 1)[1] for a in argv if a.startswith("--lang=")), None)
    try:
        i18n.setup(requested or os.environ.get("KRING_LANG") or None)
    except InputError:
        i18n.setup(None)
    # argparse looks these two names up when it speaks. Its supported way, gettext's process-wide
    # domain, takes the language from $LANGUAGE/$LC_*, not from --lang or the config file; setting
    # $LANGUAGE would pass it on to every program kring starts. So argparse is given kring's catalog.
    argparse._, argparse.ngettext = i18n._, i18n.ngettext


def _language(config: Config) -> None:
    """Choose the interface language first: its strings are translated as modules load."""
    lang = config.peek("lang")
    try:
        i18n.setup(lang if lang is None else str(lang))
    except InputError:
        raise config.error(("lang",), _("choose one of {choices}").format(choices=', '.join(i18n.LANGUAGES))) from None


if __name__ == "__main__":
    sys.exit(main())
