"""Errors meant for a person: one line that names what was wrong."""


class InputError(Exception):
    """Bad input from a person or a file. The command line exits 2 with str(self)."""
