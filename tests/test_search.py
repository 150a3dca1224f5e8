"""Full-text search over all of a network's meetings, and what was learned per learning question."""

from __future__ import annotations

import pytest
from sqlmodel import select

from kring.data import network_meetings, networks, search
from kring.data.errors import InputError
from kring.data.models import Note, NoteRevision
from tests.test_network import add_note, close, fmt, make_network


@pytest.fixture
def network_id(store, clock) -> int:
    network_id = make_network(store, clock)
    first = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    add_note(store, first, "note", "Over vrijwilligers gesproken, verder niets", clock)
    add_note(store, first, "insight", "Vrijwilligers blijven als ze een vaste taak en een vast maatje hebben", clock,
             speaker="Anouk de Vries")
    add_note(store, first, "decision", "Vrijwilligers krijgen voortaan een coördinator", clock)
    add_note(store, first, "insight", "Vrijwilligers vertelden over hun thuissituatie", clock, confidential=True)
    add_note(store, first, "insight", "Vrijwilligers verwijderde notitie", clock, deleted=True)
    close(store, first, clock)
    second = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    add_note(store, second, "insight", "Een keukentafelgesprek werkt beter met een vaste vragenlijst", clock,
             speaker="Joris Peeters")
    other = networks.create_network(store, "Ander netwerk", clock)
    networks.add_member(store, other, "Kees", clock)
    elsewhere = network_meetings.start_meeting(store, other, fmt("standaard"), clock)
    add_note(store, elsewhere, "insight", "Vrijwilligers van een ander netwerk", clock)
    return network_id


def texts(hits) -> list[str]:
    return [h.text for h in hits]


def test_insights_and_decisions_first_and_nothing_confidential(store, network_id):
    hits = search.search_notes(store, "vrijwilligers", network_id, order="useful")
    assert [h.kind for h in hits] == ["insight", "decision", "note"]
    assert hits[0].text.startswith("Vrijwilligers blijven")
    assert hits[0].meeting_title.startswith("Wijkzorg Utrecht") and hits[0].speaker == "Anouk de Vries"
    assert not any("thuissituatie" in t or "verwijderde" in t or "ander netwerk" in t for t in texts(hits))


def test_words_prefixes_case_and_diacritics(store, network_id, english):
    assert texts(search.search_notes(store, "VRIJWILLIG maatje", network_id, order="useful")) == [
        "Vrijwilligers blijven als ze een vaste taak en een vast maatje hebben"]
    # every word must be there
    assert search.search_notes(store, "vrijwilligers keukentafel", network_id, order="useful") == []
    assert texts(search.search_notes(store, "keukentafel", network_id, order="useful")) == [
        "Een keukentafelgesprek werkt beter met een vaste vragenlijst"]
    # operators of a search engine are just text here
    assert texts(search.search_notes(store, '"coördinator*  (', network_id, order="useful")) == [
        "Vrijwilligers krijgen voortaan een coördinator"]
    with pytest.raises(InputError, match="no words"):
        search.require_terms("  *** ")  # what `kring network search` asks first
    assert search.search_notes(store, "  *** ", network_id, order="useful") == []


def test_diacritics_fold_on_every_store(store, network_id, monkeypatch):
    """One rule: FTS5, PostgreSQL's folded index (0005) and LIKE all fold diacritics."""
    assert texts(search.search_notes(store, "coordinator", network_id, order="useful")) == [
        "Vrijwilligers krijgen voortaan een coördinator"]
    monkeypatch.setattr(search, "method", lambda _store: "like")
    assert texts(search.search_notes(store, "coordinator", network_id, order="useful")) == [
        "Vrijwilligers krijgen voortaan een coördinator"]


def test_a_word_finds_the_words_it_begins_and_no_others(store, network_id):
    """The rule, on every store and every way of narrowing: 'tafel' is inside
    'keukentafelgesprek' but begins none of its words."""
    assert search.search_notes(store, "tafel", network_id) == []
    assert texts(search.search_notes(store, "keukentafel", network_id)) == [
        "Een keukentafelgesprek werkt beter met een vaste vragenlijst"]
    assert search.matches("Coördinatie-overleg", ["coordinatie", "overleg"])
    assert not search.matches("hoogzomer", ["zomer"])


def test_postgresql_queries_the_expression_its_index_holds():
    """The GIN index of migration 0005 is used only when the query's expression
    is the index's, letter for letter."""
    import importlib

    migration = importlib.import_module("kring.data.migrations.versions.0005_note_search_folded")
    assert (search.PG_FOLD_FROM, search.PG_FOLD_TO) == (migration.FOLD_FROM, migration.FOLD_TO)
    assert search.PG_FOLDED_TEXT == migration.FOLDED.replace("(text,", "(note.text,")
    assert all(search.fold(a) == b for a, b in zip(search.PG_FOLD_FROM, search.PG_FOLD_TO, strict=True))


def test_edits_and_deletes_reach_the_index(store, clock, network_id):
    with store.writing() as s:
        note = s.exec(select(Note).where(Note.text.like("Een keukentafelgesprek%"))).one()
        note.text = "Een huisbezoek werkt beter met een vaste vragenlijst"
        s.add(note)
    assert search.search_notes(store, "keukentafelgesprek", network_id, order="useful") == []
    assert len(search.search_notes(store, "huisbezoek", network_id, order="useful")) == 1
    with store.writing() as s:
        note = s.exec(select(Note).where(Note.text.like("Een huisbezoek%"))).one()
        for revision in s.exec(select(NoteRevision).where(NoteRevision.note_id == note.id)).all():
            s.delete(revision)
        s.flush()
        s.delete(note)
    assert search.search_notes(store, "huisbezoek", network_id, order="useful") == []


def test_without_fts_the_search_falls_back_to_like(store, network_id, monkeypatch):
    fast = texts(search.search_notes(store, "vrijwilligers vaste", network_id, order="useful"))
    monkeypatch.setattr(search, "method", lambda _store: "like")
    assert texts(search.search_notes(store, "vrijwilligers vaste", network_id, order="useful")) == fast
    assert [h.kind for h in search.search_notes(store, "vrijwilligers", network_id, order="useful")] == [
        "insight", "decision", "note"]


def test_the_migration_indexes_notes_already_stored(db_url, clock):
    """A store made before 0002 gets its notes indexed when it is upgraded."""
    from sqlalchemy import MetaData, create_engine, insert

    from kring.data import schema
    from kring.data.store import Store

    engine = create_engine(db_url)
    schema.upgrade(engine, "0001")
    # written into the tables of 0001 as they were, not through today's models (which
    # carry the columns later revisions added)
    meta = MetaData()
    meta.reflect(engine)
    t, now = meta.tables, clock.now().isoformat()
    with engine.begin() as conn:
        network_id = conn.execute(insert(t["network"]).values(
            name="Wijkzorg Utrecht", theme="Samenwerken in de wijk", goal="", form="process", kind="practice",
            rhythm="elke zes weken", ground_rules=[], roles=["moderator", "notulist"], evaluation_form="standaard",
            anonymous_evaluation=False, round_order="seating", created_at=now)).inserted_primary_key[0]
        meeting_id = conn.execute(insert(t["meeting"]).values(
            network_id=network_id, title="Bijeenkomst 1", werkvorm="standaard", format_data=fmt("standaard"),
            place="", status="live", created_at=now, started_at=now)).inserted_primary_key[0]
        conn.execute(insert(t["note"]).values(
            uid="note-old-1", meeting_id=meeting_id, kind="insight", text="Samen lunchen verbindt het team",
            step_index=0, step_title="Inchecken", speaker=None, author="Sanne", at=now, confidential=False,
            owner=None, due=None, status="open", deleted=False, revision=1, updated_at=now))
    engine.dispose()
    store = Store(db_url)  # upgrades to the newest schema
    try:
        assert schema.current_revision(store.engine) == schema.HEAD >= "0002"
        assert texts(search.search_notes(store, "lunchen", network_id, order="useful")) == ["Samen lunchen verbindt het team"]
    finally:
        store.close()


def test_what_was_learned_per_learning_question(store, network_id):
    learned = {(e.member, e.question): e for e in search.learned_per_question(store, network_id)}
    anouk = learned[("Anouk de Vries", "Hoe houd ik vrijwilligers betrokken?")]
    # noted while Anouk had the floor; the decision is no insight, the confidential one never shows
    assert [(i.hit.text[:20], i.why) for i in anouk.items] == [("Vrijwilligers blijve", "speaker")]
    joris = learned[("Joris Peeters", "Hoe voer ik een keukentafelgesprek?")]
    assert [i.why for i in joris.items] == ["speaker"]
    bram = learned[("Bram Jansen", "Hoe begeleid ik stagiairs in de wijk?")]
    assert bram.items == []
    fatima = learned[("Fatima El Amrani", "Hoe werk ik samen met scholen?")]
    assert fatima.items == []


def test_a_learning_question_finds_insights_by_its_words(store, clock, network_id):
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    add_note(store, meeting_id, "insight", "Stagiairs leren het meest van huisbezoeken", clock, speaker="Lotte Bakker")
    learned = {e.member: e for e in search.learned_per_question(store, network_id) if e.member == "Bram Jansen"}
    [item] = learned["Bram Jansen"].items
    assert item.why == "word" and item.word == "stagiairs"
