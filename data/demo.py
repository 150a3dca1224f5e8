"""A ready demo network and meeting, so a newcomer sees kring working at once."""

from __future__ import annotations

from sqlmodel import select

from kring.data.clock import Clock
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


def _earlier_meeting(store: Store, clock: Clock, format_data: dict, network_id: int) -> None:
    """Six weeks ago: a closed meeting whose open actions the demo's look-back step shows."""
    import uuid

    from kring.data.clock import FakeClock
    from kring.data.models import Note, NoteRevision

    then = FakeClock(clock.now().subtract(weeks=6))
    names = [name for name, _ in DEMO_MEMBERS]
    meeting_id = create_meeting(
        store, format_data, names, then, title="Demo: vorige bijeenkomst", network_id=network_id,
        place="Buurthuis De Kring", roles={names[2]: ["moderator"], names[3]: ["notulist"], names[4]: ["tijdbewaker"]},
    )
    append_event(store, meeting_id, "start", then.now(), origin="demo")
    notes = [
        ("insight", "Vrijwilligers blijven langer als ze een vaste taak en een vast maatje hebben", names[0], None, None),
        ("decision", "We wisselen elke bijeenkomst van procesbegeleider", None, None, None),
        ("action", "Sociale kaart van de wijk rondsturen", None, names[4], then.now().add(weeks=2).to_date_string()),
        ("action", "Wijkagent uitnodigen voor de volgende keer", None, names[1], then.now().add(weeks=5).to_date_string()),
    ]
    with store.writing() as s:
        for kind, text, speaker, owner, due in notes:
            note = Note(uid=uuid.uuid4().hex, meeting_id=meeting_id, kind=kind, text=text, speaker=speaker,
                        owner=owner, due=due, author=names[3], at=then.now(), updated_at=then.now())
            s.add(note)
            s.flush()
            s.add(NoteRevision(note_id=note.id, revision=1, kind=kind, text=text, confidential=False, owner=owner,
                               due=due, author=names[3], at=then.now()))
    then.advance(minutes=100)
    append_event(store, meeting_id, "close", then.now(), origin="demo")


def demo_meeting(store: Store, clock: Clock, format_data: dict) -> int:
    """The unfinished demo meeting, or a new one with its clock already running."""
    network_id = ensure_demo_network(store, clock)
    with store.session() as s:
        live = s.exec(
            select(Meeting.id).where(Meeting.network_id == network_id, Meeting.status == "live").order_by(Meeting.id.desc())
        ).first()
    if live is not None:
        return int(live)
    with store.session() as s:
        earlier = s.exec(select(Meeting.id).where(Meeting.network_id == network_id)).first()
    if earlier is None:
        _earlier_meeting(store, clock, format_data, network_id)
    meeting_id = create_meeting(
        store, format_data, [name for name, _ in DEMO_MEMBERS], clock,
        title="Demo: bijeenkomst leernetwerk", network_id=network_id, place="Buurthuis De Kring",
        roles={DEMO_MEMBERS[0][0]: ["moderator"], DEMO_MEMBERS[1][0]: ["notulist"]},
    )
    append_event(store, meeting_id, "start", clock.now(), origin="demo")
    return meeting_id
