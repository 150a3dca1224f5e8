"""A ready demo network and meeting, so a newcomer sees kring working at once."""

from __future__ import annotations

from sqlmodel import select

from kring.data.core.clock import Clock
from kring.data.core.events import EventKind
from kring.data.i18n import _
from kring.data.meetings import append_event, create_meeting
from kring.data.models import LearningQuestion, Meeting, Member, Network
from kring.data.store import Store

DEMO_NETWORK = "Demo leernetwerk"
DEMO_MEMBERS = [
    ("Anouk de Vries", "teamleider wijkzorg"),
    ("Bram Jansen", "praktijkopleider"),
    ("Fatima El Amrani", "jeugdverpleegkundige"),
    ("Joris Peeters", "maatschappelijk werker"),
    ("Lotte Bakker", "beleidsmedewerker"),
    ("Sven Maes", "coördinator vrijwilligers"),
]


def ensure_demo_network(store: Store, clock: Clock) -> int:
    with store.writing() as s:
        net = s.exec(select(Network).where(Network.name == DEMO_NETWORK)).first()
        if net is None:
            net = Network(
                name=DEMO_NETWORK,
                theme="Samenwerken in de wijk",
                goal="Van elkaars praktijk leren en het werk in de wijk verbeteren",
                form="process",
                kind="practice",
                rhythm="elke zes weken",
                ground_rules=["Wat in de kring gedeeld wordt, blijft in de kring", "Telefoons op stil"],
                created_at=clock.now(),
            )
            s.add(net)
            s.flush()
            for seat, (name, expertise) in enumerate(DEMO_MEMBERS):
                member = Member(network_id=net.id, name=name, expertise=expertise, seat=seat, created_at=clock.now())
                s.add(member)
                s.flush()
                s.add(LearningQuestion(member_id=member.id, text=DEMO_QUESTIONS[seat], created_at=clock.now()))
        return int(net.id)  # type: ignore[arg-type]


DEMO_QUESTIONS = [
    "Hoe houd ik vrijwilligers betrokken?",
    "Hoe begeleid ik stagiairs in de wijk?",
    "Hoe signaleer ik eenzaamheid bij jongeren?",
    "Hoe voer ik een goed keukentafelgesprek?",
    "Hoe vertaal ik praktijkkennis naar beleid?",
    "Hoe werf ik nieuwe vrijwilligers?",
]


def demo_meeting(store: Store, clock: Clock, format_data: dict) -> int:
    """The unfinished demo meeting, or a new one with its clock already running."""
    network_id = ensure_demo_network(store, clock)
    with store.session() as s:
        live = s.exec(
            select(Meeting.id).where(Meeting.network_id == network_id, Meeting.status == "live").order_by(Meeting.id.desc())
        ).first()
    if live is not None:
        return int(live)
    meeting_id = create_meeting(
        store, format_data, [name for name, _email in DEMO_MEMBERS], clock,
        title=_("Demo: learning-network meeting"), network_id=network_id, place="Buurthuis De Kring",
        roles={DEMO_MEMBERS[0][0]: ["moderator"], DEMO_MEMBERS[1][0]: ["notulist"]},
    )
    append_event(store, meeting_id, EventKind.START, clock.now(), origin="demo")
    return meeting_id
