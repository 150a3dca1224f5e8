"""Meeting roles in a learning network, and their fair rotation.

Roles (moderator, notulist, tijdbewaker and any the network adds) are kept on
each meeting's participants; `propose_roles` reads that history and proposes
a fair rotation for the next meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from sqlmodel import col, select

from kring.data.errors import InputError
from kring.data.models import Meeting, Participant
from kring.data.networks import NetworkInfo, get_network
from kring.data.store import Store
from kring.data.i18n import _


@dataclass
class RoleRecord:
    """How often and how recently one member held each role (meeting numbers count from 1)."""

    count: dict[str, int] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)
    total: int = 0
    last_any: int = 0


def role_history(store: Store, network_id: int) -> dict[str, RoleRecord]:
    """Per member name: which roles they held in the network's meetings so far."""
    info = get_network(store, network_id)
    by_id = {m.id: m.name for m in info.members}
    by_name = {m.name.casefold(): m.name for m in info.members}
    history = {m.name: RoleRecord() for m in info.members}
    with store.session() as s:
        meetings = s.exec(
            select(Meeting.id).where(Meeting.network_id == network_id).order_by(col(Meeting.id))
        ).all()
        number = {mid: n for n, mid in enumerate(meetings, start=1)}
        if not meetings:
            return history
        parts = s.exec(select(Participant).where(col(Participant.meeting_id).in_(meetings))).all()
    for p in parts:
        name = by_id.get(p.member_id) if p.member_id is not None else None
        name = name or by_name.get(p.name.casefold())
        if name is None or not p.roles:
            continue
        rec, n = history[name], number[p.meeting_id]
        for role in p.roles:
            rec.count[role] = rec.count.get(role, 0) + 1
            rec.last[role] = max(rec.last.get(role, 0), n)
            rec.total += 1
            rec.last_any = max(rec.last_any, n)
    return history


def propose_roles(store: Store, network_id: int, fixed: dict[str, str] | None = None,
                  present: Iterable[str] | None = None) -> dict[str, str]:
    """A fair rotation: role -> member name.

    Each role goes to the member who held it least often, then least recently,
    then who held fewest roles at all, then by seat; nobody gets two roles while
    someone present has none. `fixed` assignments (role -> name) are kept.
    """
    info = get_network(store, network_id)
    history = role_history(store, network_id)
    people = [m for m in info.members if present is None or m.name in set(present)]
    seat = {m.name: i for i, m in enumerate(people)}
    chosen: dict[str, str] = {}
    for role, name in (fixed or {}).items():
        chosen[role] = info.member(name).name
    taken = set(chosen.values())
    for role in info.roles:
        if role in chosen or not people:
            continue
        free = [m.name for m in people if m.name not in taken] or [m.name for m in people]

        def fairness(name: str) -> tuple[int, int, int, int, int]:
            rec = history.get(name, RoleRecord())
            return (rec.count.get(role, 0), rec.last.get(role, 0), rec.total, rec.last_any, seat[name])

        pick = min(free, key=fairness)
        chosen[role] = pick
        taken.add(pick)
    order = list(info.roles) + [r for r in chosen if r not in info.roles]
    return {role: chosen[role] for role in order if role in chosen}


def parse_role_options(info: NetworkInfo, options: Iterable[str]) -> dict[str, str]:
    """`notulist=Bram` options from the command line: role -> member name."""
    fixed: dict[str, str] = {}
    for option in options:
        role, sep, name = option.partition("=")
        role = role.strip().casefold()
        if not sep or not role or not name.strip():
            raise InputError(_("--role {option}: write it as ROLE=NAME, for example notulist=Bram").format(option=option))
        if role not in info.roles:
            raise InputError(_("--role {option}: network '{name}' has no role '{role}' (its roles: {choices})").format(option=option, name=info.name, role=role, choices=', '.join(info.roles)))
        fixed[role] = info.member(name).name
    return fixed


def roles_by_person(roles: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for role, name in roles.items():
        out.setdefault(name, []).append(role)
    return out


def set_roles(store: Store, meeting_id: int, roles: dict[str, str]) -> None:
    """Store who has which role in a meeting (role -> participant name)."""
    per_person = roles_by_person(roles)
    with store.writing() as s:
        parts = s.exec(select(Participant).where(Participant.meeting_id == meeting_id)).all()
        names = {p.name for p in parts}
        for name in per_person:
            if name not in names:
                raise InputError(_("'{name}' does not take part in meeting {meeting_id}").format(name=name, meeting_id=meeting_id))
        for p in parts:
            p.roles = per_person.get(p.name, [])
            s.add(p)


def meeting_roles(store: Store, meeting_id: int) -> dict[str, str]:
    """role -> name for a meeting, as stored on its participants."""
    with store.session() as s:
        parts = s.exec(
            select(Participant).where(Participant.meeting_id == meeting_id).order_by(col(Participant.seat))
        ).all()
    out: dict[str, str] = {}
    for p in parts:
        for role in p.roles or []:
            out.setdefault(role, p.name)
    return out
