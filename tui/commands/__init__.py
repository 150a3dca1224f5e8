"""One module a command group; each has `register(subparsers, common)`."""

from __future__ import annotations

import argparse

from kring.tui.output import say


def open_store(args: argparse.Namespace):  # noqa: ANN201
    """The store the settings name (`--db`, KRING_DB, the config file's `db`, else the default)."""
    from kring.data.store import Store

    settings = config_of(args).settings
    return Store.open(settings.db, shared_group=settings.shared_group)


def config_of(args: argparse.Namespace):  # noqa: ANN201 - a Config
    """The settings' layers the command line read (`kring.tui.cli.main` puts them on
    `args`); a caller that built its own arguments gets the environment's and the file's."""
    config = getattr(args, "config", None)
    if config is None:
        from kring.tui.config import Config

        args.config = config = Config.load({"db": getattr(args, "db", None)})
    return config


def write_output(store, name: str, text: str):  # noqa: ANN001, ANN201
    """Every file a command writes where a person asked (`-o`) goes here: `-` is standard
    output, the store's own files are refused, a device or named pipe is written into.
    The path written, or None for standard output."""
    from kring.data.files import write_export
    from kring.data.store import store_files

    return write_export(name, text, protected=store_files(store.path) if store.path is not None else ())


def need_terminal(config=None) -> None:  # noqa: ANN001 - a Config
    """The screens read keys from a terminal; with standard input a pipe, a file or
    nothing at all, Textual would wait on it at full speed. Refuse in one line instead,
    before anything is made in the store. A setting kring cannot use is said first:
    it is what the person must mend wherever they start kring."""
    import sys

    from kring.data.errors import InputError
    from kring.data.i18n import _

    stdin = sys.stdin
    try:
        tty = stdin is not None and stdin.isatty()
    except (OSError, ValueError):  # closed
        tty = False
    if not tty:
        if config is not None:
            config.settings  # noqa: B018 - raises the one line for a broken setting
        raise InputError(_("this command shows a screen and needs a terminal, but standard input is not one "
                           "(start it in a terminal, or over ssh with -t)"))


def run_app(app) -> int:  # noqa: ANN001
    """Run a Textual app; afterwards say plainly if anything could not be saved."""
    import sys

    need_terminal(app.config)
    app.run()
    if app.outbox.waiting:
        from kring.data.i18n import ngettext

        say(ngettext("kring: {count} change could not be saved: {reason}",
                     "kring: {count} changes could not be saved: {reason}", app.outbox.waiting).format(
            count=app.outbox.waiting, reason=app.outbox.failing), file=sys.stderr)
        return 1
    return 0
