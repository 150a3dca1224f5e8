"""How the domain's codes read for a person, in the chosen language (one place for every screen and export)."""

from __future__ import annotations

from kring.data.i18n import _


def kind_label(kind: str) -> str:
    """A note's kind: decision, action, insight…"""
    return {
        "note": _("Note"),
        "decision": _("Decision"),
        "action": _("Action"),
        "insight": _("Insight"),
        "question": _("Open question"),
        "parking": _("Parking lot"),
        "quote": _("Quote"),
    }.get(kind, kind)


def mode_label(mode: str) -> str:
    """A step's mode: who speaks."""
    return {
        "case": _("case-bringer"),
        "round": _("round"),
        "open": _("open"),
        "solo": _("on your own"),
        "facilitator": _("moderator"),
        "subgroups": _("subgroups"),
    }.get(mode, mode)


def role_label(role: str) -> str:
    """A meeting role."""
    return {"moderator": _("moderator"), "notulist": _("note-taker"), "tijdbewaker": _("time-keeper")}.get(role, role)
