"""Errors meant for a person: one line that names what was wrong."""


class InputError(Exception):
    """Bad input from a person or a file. The command line exits 2 with str(self)."""


class StoreError(Exception):
    """The store cannot be used; the message is one line meant for a person."""


def first_line(exc: BaseException) -> str:
    """An error in one line for a person: the first line of its message (a database
    error's own, not SQLAlchemy's wrapping), else the name of its kind."""
    msg = str(getattr(exc, "orig", None) or exc).strip()
    return msg.splitlines()[0] if msg else type(exc).__name__


def log_crash() -> str:
    """Write the exception being handled to kring's crash log (the user's state folder,
    owner-only); the path, to tell the person where the details are."""
    import traceback

    import platformdirs

    folder = platformdirs.user_state_path("kring", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "crash.log"
    with open(path, "a", encoding="utf-8") as fh:
        traceback.print_exc(file=fh)
    return str(path)
