"""Learning networks: members and learning questions, roles and their rotation, the
network's next meeting, ground rules from the kick-off, and the right to be forgotten."""

from __future__ import annotations

import pytest
from sqlmodel import select

from kring.data import ground_rules, network_meetings, networks
from kring.data import roles as role_rotation
from kring.data.core.steps import FormatSteps
from kring.data.errors import InputError
from kring.data.meetings import append_event, get_meeting
from kring.data.models import Event, Note, NoteRevision, Participant

MEMBERS = [
    ("Anouk de Vries", "anouk@example.org", "teamleider wijkzorg", ["Hoe houd ik vrijwilligers betrokken?"]),
    ("Bram Jansen", "", "praktijkopleider", ["Hoe begeleid ik stagiairs in de wijk?"]),
    ("Fatima El Amrani", "fatima@example.nl", "jeugdverpleegkundige",
     ["Hoe signaleer ik eenzaamheid bij jongeren?", "Hoe werk ik samen met scholen?"]),
    ("Joris Peeters", "joris@example.be", "maatschappelijk werker", ["Hoe voer ik een keukentafelgesprek?"]),
    ("Lotte Bakker", "", "beleidsmedewerker", ["Hoe vertaal ik praktijkkennis naar beleid?"]),
]


def make_network(store, clock, name="Wijkzorg Utrecht", members=MEMBERS) -> int:
    network_id = networks.create_network(store, name, clock, theme="Samenwerken in de wijk",
                                         goal="Van elkaars praktijk leren", form="proces", kind="praktijk",
                                         rhythm="elke zes weken")
    for member, email, expertise, questions in members:
        assert networks.add_member(store, network_id, member, clock, email=email, expertise=expertise,
                                   questions=questions) == []
    return network_id


def fmt(name: str) -> dict:
    from kring.workformats.loader import find

    return find(name).model_dump(mode="json")


def add_note(store, meeting_id, kind, text, clock, **kw) -> Note:
    """The note-taker's screen is not needed here: a Note row and its first revision."""
    import uuid

    with store.writing() as s:
        note = Note(uid=uuid.uuid4().hex, meeting_id=meeting_id, kind=kind, text=text, at=clock.now(), **kw)
        s.add(note)
        s.flush()
        s.add(NoteRevision(note_id=note.id, revision=1, kind=kind, text=text, confidential=note.confidential,
                           owner=note.owner, due=note.due, status=note.status, author=note.author, at=clock.now()))
        return note


def close(store, meeting_id, clock) -> None:
    append_event(store, meeting_id, "start", clock.now())
    clock.advance(minutes=90)
    append_event(store, meeting_id, "close", clock.now())
    clock.advance(minutes=60 * 24 * 42)


# --- the network and its members ------------------------------------------------------------


def test_a_network_with_five_members_and_their_learning_questions(store, clock):
    network_id = make_network(store, clock)
    info = networks.get_network(store, "wijkzorg utrecht")  # names are found in any case
    assert info.id == network_id
    assert (info.theme, info.goal, info.form, info.kind, info.rhythm) == (
        "Samenwerken in de wijk", "Van elkaars praktijk leren", "process", "practice", "elke zes weken")
    assert [m.name for m in info.members] == [m[0] for m in MEMBERS]
    assert info.member("fatima el amrani").questions == MEMBERS[2][3]
    assert info.member("Anouk de Vries").email == "anouk@example.org"
    assert info.roles == ["moderator", "notulist", "tijdbewaker"]
    [summary] = networks.list_networks(store)
    assert (summary.name, summary.members, summary.meetings) == ("Wijkzorg Utrecht", 5, 0)


def test_duplicate_member_names_are_refused_and_nothing_is_lost(store, clock, english):
    network_id = make_network(store, clock)
    with pytest.raises(InputError, match="already has a member named 'Bram Jansen'"):
        networks.add_member(store, network_id, "  bram   JANSEN ", clock, questions=["Iets anders?"])
    info = networks.get_network(store, network_id)
    assert len(info.members) == 5
    assert info.member("Bram Jansen").questions == MEMBERS[1][3]


@pytest.mark.parametrize("email", ["bram", "bram@", "@example.org", "bram@example", "bram jansen@example.org",
                                   "a@b@example.org"])
def test_an_email_that_is_not_one_is_refused(store, clock, email, english):
    network_id = make_network(store, clock, members=[])
    with pytest.raises(InputError, match="is not an e-mail address"):
        networks.add_member(store, network_id, "Bram", clock, email=email)
    assert networks.get_network(store, network_id).members == []


def test_unknown_network_and_bad_choices(store, clock, english):
    with pytest.raises(InputError, match="unknown network 'Nergens'"):
        networks.get_network(store, "Nergens")
    with pytest.raises(InputError, match="form 'kubus'"):
        networks.create_network(store, "X", clock, form="kubus")
    with pytest.raises(InputError, match="kind 'raar'"):
        networks.create_network(store, "X", clock, kind="raar")
    make_network(store, clock, members=[])
    with pytest.raises(InputError, match="already exists"):
        networks.create_network(store, "WIJKZORG utrecht", clock)


def test_past_twelve_members_warns_but_does_not_refuse(store, clock):
    network_id = make_network(store, clock, members=[])
    for i in range(12):
        assert networks.add_member(store, network_id, f"Lid {i + 1}", clock) == []
    warnings = networks.add_member(store, network_id, "Lid 13", clock)
    assert len(warnings) == 1 and "13" in warnings[0] and "12" in warnings[0]
    assert len(networks.get_network(store, network_id).members) == 13


def test_update_network_and_member(store, clock, english):
    network_id = make_network(store, clock)
    info = networks.update_network(store, network_id, add_rules=["Telefoons op stil", "telefoons op stil"],
                                   roles=["moderator", "notulist", "tijdbewaker", "gastheer"])
    assert info.ground_rules == ["Telefoons op stil"]
    assert info.roles[-1] == "gastheer"
    m = networks.update_member(store, network_id, "Bram Jansen", email="bram@example.org",
                               questions=["Hoe begeleid ik stagiairs in de wijk?", "Hoe geef ik feedback?"],
                               clock=clock)
    assert m.email == "bram@example.org" and len(m.questions) == 2
    networks.add_learning_question(store, network_id, "Bram Jansen", "Hoe plan ik mijn week?", clock)
    with pytest.raises(InputError, match="already has this learning question"):
        networks.add_learning_question(store, network_id, "Bram Jansen", "hoe plan ik mijn week?", clock)
    with pytest.raises(InputError, match="already has a member named"):
        networks.update_member(store, network_id, "Bram Jansen", name="Lotte Bakker")


# --- roles and their rotation --------------------------------------------------------------------


def test_roles_rotate_fairly_over_meetings(store, clock):
    network_id = make_network(store, clock)
    seen: list[dict[str, str]] = []
    for _ in range(5):
        roles = role_rotation.propose_roles(store, network_id)
        # nobody gets two roles while others have none
        assert len(set(roles.values())) == 3
        meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock, roles=roles)
        assert role_rotation.meeting_roles(store, meeting_id) == roles
        seen.append(roles)
        close(store, meeting_id, clock)
    # five meetings, five people: everyone was moderator once, note-taker once, time-keeper once
    for role in ("moderator", "notulist", "tijdbewaker"):
        assert sorted(r[role] for r in seen) == sorted(m[0] for m in MEMBERS), role
    # no one holds a role in two meetings running while others wait
    assert set(seen[0].values()).isdisjoint({seen[1]["moderator"], seen[1]["notulist"]})


def test_fixed_roles_are_kept_and_the_rest_rotates(store, clock, english):
    network_id = make_network(store, clock)
    info = networks.get_network(store, network_id)
    fixed = role_rotation.parse_role_options(info, ["notulist=anouk de vries"])
    roles = role_rotation.propose_roles(store, network_id, fixed=fixed)
    assert roles["notulist"] == "Anouk de Vries"
    assert "Anouk de Vries" not in (roles["moderator"], roles["tijdbewaker"])
    with pytest.raises(InputError, match="has no role 'voorzitter'"):
        role_rotation.parse_role_options(info, ["voorzitter=Bram Jansen"])
    with pytest.raises(InputError, match="no member 'Kees'"):
        role_rotation.parse_role_options(info, ["notulist=Kees"])
    with pytest.raises(InputError, match="ROLE=NAME"):
        role_rotation.parse_role_options(info, ["notulist"])


def test_the_next_meeting_has_the_members_as_participants(store, clock):
    network_id = make_network(store, clock)
    assert network_meetings.default_format(store, network_id) == "kickoff"
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("kickoff"), clock, guests=["Gast Spreker"])
    info = get_meeting(store, meeting_id)
    assert info.network_id == network_id
    assert info.names == [m[0] for m in MEMBERS] + ["Gast Spreker"]
    assert info.title.startswith("Wijkzorg Utrecht")
    with store.session() as s:
        linked = {p.name: p.member_id for p in s.exec(select(Participant)).all()}
    assert linked["Gast Spreker"] is None and all(linked[m[0]] for m in MEMBERS)
    assert network_meetings.default_format(store, network_id) == "standaard"


def test_a_network_without_members_cannot_meet(store, clock, english):
    network_id = make_network(store, clock, members=[])
    with pytest.raises(InputError, match="has no members yet"):
        network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)


# --- ground rules agreed at the kick-off -------------------------------------------------------------


def test_ground_rules_from_the_kickoff_are_stored_on_the_network(store, clock):
    network_id = make_network(store, clock)
    kickoff = network_meetings.start_meeting(store, network_id, fmt("kickoff"), clock)
    rules_step = FormatSteps.of(fmt("kickoff")).index_of("spelregels")
    add_note(store, kickoff, "decision", "Wat in de kring gedeeld wordt, blijft in de kring", clock,
             step_index=rules_step, step_title="Spelregels")
    add_note(store, kickoff, "decision", "We beginnen op tijd", clock, step_index=0)  # another step: no rule
    add_note(store, kickoff, "decision", "Geheim", clock, step_index=rules_step, confidential=True)
    # the moderator's key in that step: a decision note and the rule at once
    ground_rules.record_ground_rule(store, kickoff, "Telefoons op stil", "Anouk", clock.now(), uid="rule-1")
    ground_rules.record_ground_rule(store, kickoff, "Telefoons op stil", "Anouk", clock.now(), uid="rule-1")  # retry
    assert networks.get_network(store, network_id).ground_rules == ["Telefoons op stil"]
    close(store, kickoff, clock)
    assert ground_rules.adopt_ground_rules(store, network_id, clock) == [
        "Wat in de kring gedeeld wordt, blijft in de kring"]
    rules = networks.get_network(store, network_id).ground_rules
    assert rules == ["Telefoons op stil", "Wat in de kring gedeeld wordt, blijft in de kring"]
    # adopted once: a rule the network drops later does not come back
    networks.update_network(store, network_id, ground_rules=["Telefoons op stil"])
    assert ground_rules.adopt_ground_rules(store, network_id, clock) == []
    network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    assert networks.get_network(store, network_id).ground_rules == ["Telefoons op stil"]
    with store.session() as s:
        assert len(s.exec(select(Note).where(Note.uid == "rule-1")).all()) == 1


# --- the right to be forgotten -------------------------------------------------------------------------


def test_forget_a_member_and_everything_that_names_them(store, clock):
    from kring.data.forget import forget_member
    from kring.data.models import (
        EvaluationReceipt,
        EvaluationResponse,
        LearningQuestion,
        Member,
    )

    network_id = make_network(store, clock)
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock,
                                        roles={"moderator": "Bram Jansen"})
    other = networks.create_network(store, "Ander netwerk", clock)
    networks.add_member(store, other, "Bram Jansen", clock)
    outside = network_meetings.start_meeting(store, other, fmt("standaard"), clock)
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Bram Jansen"})
    append_event(store, outside, "speaker", clock.now(), {"name": "Bram Jansen"})
    written = add_note(store, meeting_id, "insight", "Stagiairs leren het meest van huisbezoeken", clock,
                       author="Bram Jansen", speaker="Bram Jansen")
    add_note(store, meeting_id, "action", "Stuur het verslag rond", clock, owner="Bram Jansen", author="Lotte")
    add_note(store, meeting_id, "note", "Bram Jansen vertelt over zijn stagiair", clock, author="Lotte")
    with store.writing() as s:
        s.add(EvaluationReceipt(meeting_id=meeting_id, participant="Bram Jansen", at=clock.now()))
        s.add(EvaluationResponse(meeting_id=meeting_id, participant="Bram Jansen", answers={"top": "fijn"},
                                 at=clock.now()))

    counted = forget_member(store, network_id, "bram jansen")  # counts only
    assert counted.counts["participant rows"] == 1
    assert counted.counts["notes written by them"] == 1
    assert counted.counts["notes naming them as speaker or owner"] == 2
    assert counted.counts["notes mentioning them"] == 1
    assert counted.counts["evaluation receipts"] == 1 and counted.counts["evaluation answers"] == 1
    assert counted.counts["events"] == 1  # the speaker event
    assert "Bram Jansen" in get_meeting(store, meeting_id).names  # nothing changed yet

    done = forget_member(store, network_id, "Bram Jansen", apply=True)
    assert done.counts == counted.counts
    info = networks.get_network(store, network_id)
    assert "Bram Jansen" not in [m.name for m in info.members]
    with store.session() as s:
        assert s.exec(select(LearningQuestion).join(Member).where(Member.name == "Bram Jansen",
                                                                   Member.network_id == network_id)).first() is None
        notes = {n.text: n for n in s.exec(select(Note).where(Note.meeting_id == meeting_id)).all()}
        kept = notes["Stagiairs leren het meest van huisbezoeken"]
        assert kept.id == written.id and kept.author == "voormalig lid" and kept.speaker == "voormalig lid"
        assert notes["Stuur het verslag rond"].owner == "voormalig lid"
        assert "voormalig lid vertelt over zijn stagiair" in notes
        revisions = s.exec(select(NoteRevision)).all()
        assert not any("Bram Jansen" in (r.text + r.author + (r.owner or "")) for r in revisions
                       if r.note_id in {n.id for n in notes.values()})
        # each changed note has a revision of its own, so running clients read it again
        by_note = {}
        for r in revisions:
            by_note.setdefault(r.note_id, []).append(r)
        mentioned = notes["voormalig lid vertelt over zijn stagiair"]
        assert mentioned.revision == 2
        assert [(r.revision, r.author, r.text) for r in by_note[mentioned.id]][-1] == (
            2, "kring", "voormalig lid vertelt over zijn stagiair")
        # the receipt stays under the placeholder, so the number who answered does not drop
        receipts = s.exec(select(EvaluationReceipt).where(EvaluationReceipt.meeting_id == meeting_id)).all()
        assert [r.participant for r in receipts] == ["voormalig lid"]
        response = s.exec(select(EvaluationResponse)).one()
        assert response.participant is None and response.answers == {"top": "fijn"}
        events = s.exec(select(Event).where(Event.meeting_id == meeting_id)).all()
        assert not any("Bram Jansen" in str(e.data) for e in events)
        # another network's meeting is not touched
        assert any("Bram Jansen" in str(e.data) for e in s.exec(select(Event).where(Event.meeting_id == outside)))
    meeting = get_meeting(store, meeting_id)
    assert "Bram Jansen" not in meeting.names and "voormalig lid" in meeting.names
    assert [p.roles for p in meeting.participants if p.name == "voormalig lid"] == [["moderator"]]
    assert "Bram Jansen" in get_meeting(store, outside).names
    with pytest.raises(InputError, match="heeft geen lid 'Bram Jansen'"):
        forget_member(store, network_id, "Bram Jansen")


def test_two_forgotten_members_in_one_meeting_stay_apart(store, clock):
    from kring.data.forget import forget_member

    network_id = make_network(store, clock)
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    forget_member(store, network_id, "Bram Jansen", apply=True)
    forget_member(store, network_id, "Lotte Bakker", apply=True)
    names = get_meeting(store, meeting_id).names
    assert "voormalig lid" in names and "voormalig lid 2" in names and len(names) == 5


def test_a_running_note_taker_reads_a_forgotten_name_away(store, clock):
    """The note-taker reads only notes with a newer revision (kring.data.notes);
    forgetting a member gives each changed note one, so the name goes there too."""
    from kring.data.forget import forget_member
    from kring.data.meetings import change_token
    from kring.data.notes import notes_figures

    network_id = make_network(store, clock)
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    add_note(store, meeting_id, "note", "Bram Jansen vertelt over zijn stagiair", clock, author="Lotte")
    before = notes_figures(store, meeting_id)  # as the running client has it
    assert any("Bram Jansen" in n.text for n in before.notes)
    token = change_token(store, meeting_id)
    forget_member(store, network_id, "Bram Jansen", apply=True, clock=clock)
    assert change_token(store, meeting_id) != token  # the watcher sees a change
    after = notes_figures(store, meeting_id)
    assert not any("Bram Jansen" in n.text for n in after.notes)
