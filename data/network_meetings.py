"""A learning network's meetings: the next one, and what the series remembers.

The next meeting starts from the network's members (then any guests), with
the roles of a fair rotation and the ground rules agreed so far; the network's
life proposes its work format (the kick-off first or after the intake, borging
after the final evaluation). The network also remembers how its rounds go: by seating, or
shuffled.
"""

from __future__ import annotations

from typing import Any, Iterable

from pendulum import DateTime
from sqlalchemy import func
from sqlmodel import col, select

from kring.data.core.clock import Clock
from kring.data.core.life import NextPhase, next_phase
from kring.data.core.textgate import TITLE_CHARS
from kring.data.errors import InputError
from kring.data.ground_rules import adopt_ground_rules
from kring.data.i18n import _
from kring.data.meetings import check_place, check_title, create_meeting
from kring.data.models import Meeting, Network, Participant
from kring.data.networks import get_network, network_id_by_name, shell_word
from kring.data.roles import propose_roles, roles_by_person
from kring.data.store import Store


def meeting_count(store: Store, network_id: int) -> int:
    with store.session() as s:
        return int(s.exec(select(func.count()).select_from(Meeting).where(Meeting.network_id == network_id)).one())


def live_meetings(store: Store, network_id: int) -> list[int]:
    with store.session() as s:
        return [int(i) for i in s.exec(
            select(Meeting.id).where(Meeting.network_id == network_id, Meeting.status == "live").order_by(col(Meeting.id))
        ).all()]


def next_phase_of(store: Store, network_id: int) -> NextPhase:
    """What the network's life proposes next, from its meetings so far (kring.data.core.life)."""
    with store.session() as s:
        held = s.exec(select(Meeting.werkvorm).where(Meeting.network_id == network_id)
                      .order_by(func.coalesce(Meeting.started_at, Meeting.created_at), col(Meeting.id))).all()
    return next_phase(list(held))


def default_format(store: Store, network_id: int) -> str:
    """A fresh network starts with its kick-off, as does one after its intake; borging follows the final
    evaluation; otherwise the standard meeting."""
    return next_phase_of(store, network_id).werkvorm


def start_meeting(
    store: Store,
    network: str | int,
    format_data: dict[str, Any],
    clock: Clock,
    *,
    roles: dict[str, str] | None = None,
    title: str | None = None,
    place: str = "",
    guests: Iterable[str] = (),
) -> int:
    """Create the network's next meeting with its members (then any guests) as participants and the given roles."""
    title, place = check_title(title), check_place(place)  # bad input changes nothing
    info = get_network(store, network if isinstance(network, int) else network_id_by_name(store, network))
    if not info.members:
        raise InputError(
            _("network '{name}' has no members yet (add them with: kring network add {name_word} NAME)").format(
                name=info.name, name_word=shell_word(info.name))
        )
    # ground rules agreed in earlier meetings are on the network before the next one starts
    adopt_ground_rules(store, info.id, clock, include_live=True)
    roles = roles if roles is not None else propose_roles(store, info.id)
    number = meeting_count(store, info.id) + 1
    title = title or _("{network}: meeting {n}").format(network=info.name[:TITLE_CHARS - 20], n=number)
    meeting_id = create_meeting(
        store, format_data, [m.name for m in info.members] + list(guests), clock, title=title, network_id=info.id,
        place=place, roles=roles_by_person(roles),
    )
    member_ids = {m.name: m.id for m in info.members}
    with store.writing() as s:
        for p in s.exec(select(Participant).where(Participant.meeting_id == meeting_id)).all():
            p.member_id = member_ids.get(p.name)
            s.add(p)
    return meeting_id


def next_meeting_label(store: Store, network_id: int, now: DateTime, *, zone: str | None = None) -> str:
    """The next meeting's work format, said: the planned one's, else what the network's life proposes with
    why ("kickoff (na de intake)"), and the life's proposal beside a planned format that skips it."""
    from kring.data.labels import date_time
    from kring.data.planning import next_planned

    phase = next_phase_of(store, network_id)
    proposed = phase.werkvorm + (f" ({phase.why()})" if phase.why() else "")
    planned = next_planned(store, network_id, now, zone=zone)
    if planned is None or not planned.werkvorm:
        return proposed
    text = _("{format} (planned {when})").format(format=planned.werkvorm, when=date_time(planned.starts_at))
    if phase.is_due and planned.werkvorm != phase.werkvorm:
        text += "; " + _("the network's life proposes {format}").format(format=proposed)
    return text


# --- the network remembers seating or shuffle ----------------------------------------


def network_round_order(store: Store, network_id: int | None) -> str:
    if network_id is None:
        return "seating"
    with store.session() as s:
        net = s.get(Network, network_id)
        return "shuffle" if net is not None and net.round_order == "shuffle" else "seating"


def remember_round_order(store: Store, network_id: int | None, mode: str) -> None:
    if network_id is None:
        return
    with store.writing() as s:
        net = s.get(Network, network_id)
        if net is not None and net.round_order != mode:
            net.round_order = mode
            s.add(net)
