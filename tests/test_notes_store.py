"""Notes in the store: history of every version, deletes that hide, drafts, confidentiality,
and several writers on one SQLite file at once."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from kring.data.notes import (
    add_note,
    clear_draft,
    delete_note,
    draft_key,
    edit_note,
    get_note,
    list_notes,
    load_draft,
    note_history,
    notes_figures,
    restore_note,
    save_draft,
)
from kring.data.report import build_report
from tests.note_helpers import make_note


def test_add_is_filed_and_a_retry_never_doubles(store, meeting_id, clock):
    note = make_note(clock, kind="decision", text="we starten in januari")
    assert add_note(store, meeting_id, note) is True
    assert add_note(store, meeting_id, note) is False  # the outbox retried after a lost answer
    [stored] = list_notes(store, meeting_id)
    assert (stored.kind, stored.text, stored.step_index, stored.speaker, stored.author, stored.at) == (
        "decision", "we starten in januari", 0, "Bram", "Sanne", clock.now())
    assert [r.revision for r in note_history(store, note.uid)] == [1]


def test_edits_keep_every_version(store, meeting_id, clock):
    note = make_note(clock, text="eerste versie")
    add_note(store, meeting_id, note)
    clock.advance(seconds=30)
    assert edit_note(store, note.uid, author="Sanne", at=clock.now(), text="tweede versie") == 2
    clock.advance(seconds=30)
    assert edit_note(store, note.uid, author="Lotte", at=clock.now(), kind="action", text="derde",
                     owner="Anouk", due="2026-11-27") == 3
    # the same change again (a retried write) adds nothing
    assert edit_note(store, note.uid, author="Lotte", at=clock.now(), text="derde") is None
    history = note_history(store, note.uid)
    assert [(r.revision, r.text, r.author) for r in history] == [
        (1, "eerste versie", "Sanne"), (2, "tweede versie", "Sanne"), (3, "derde", "Lotte")]
    assert (history[2].kind, history[2].owner, history[2].due) == ("action", "Anouk", "2026-11-27")
    current = get_note(store, note.uid)
    assert (current.revision, current.text, current.at) == (3, "derde", note.at)  # still filed when begun


def test_delete_hides_but_keeps_the_history(store, meeting_id, clock):
    keep, gone = make_note(clock, text="blijft"), make_note(clock, text="weg ermee")
    add_note(store, meeting_id, keep)
    add_note(store, meeting_id, gone)
    delete_note(store, gone.uid, author="Sanne", at=clock.now())
    assert [n.text for n in list_notes(store, meeting_id)] == ["blijft"]
    assert [n["text"] for n in build_report(store, meeting_id, clock=clock)["notes"]] == ["blijft"]
    history = note_history(store, gone.uid)
    assert [(r.text, r.deleted) for r in history] == [("weg ermee", False), ("weg ermee", True)]
    restore_note(store, gone.uid, author="Sanne", at=clock.now())
    assert len(list_notes(store, meeting_id)) == 2


def test_confidential_notes_stay_out_of_exports_unless_asked(store, meeting_id, clock):
    add_note(store, meeting_id, make_note(clock, text="openbaar besluit", kind="decision"))
    secret = make_note(clock, text="wat de inbrenger vertelde", confidential=True)
    add_note(store, meeting_id, secret)
    add_note(store, meeting_id, make_note(clock, text="geheime actie", kind="action", owner="Anouk",
                                          confidential=True))
    report = build_report(store, meeting_id, clock=clock)
    dumped = repr(report)
    assert "wat de inbrenger vertelde" not in dumped and "geheime actie" not in dumped
    assert [n["text"] for n in report["notes"]] == ["openbaar besluit"]
    full = build_report(store, meeting_id, include_confidential=True, clock=clock)
    assert {n["text"] for n in full["notes"]} == {"openbaar besluit", "wat de inbrenger vertelde", "geheime actie"}
    assert [a["text"] for a in full["actions"]] == ["geheime actie"]
    # made public later: it is exported from then on
    edit_note(store, secret.uid, author="Sanne", at=clock.now(), confidential=False)
    assert "wat de inbrenger vertelde" in repr(build_report(store, meeting_id, clock=clock))


def test_figures_count_per_step_and_show_only_public_decisions(store, meeting_id, clock):
    add_note(store, meeting_id, make_note(clock, step_index=None, step_title="", text="voor de start"))
    add_note(store, meeting_id, make_note(clock, kind="decision", text="openbaar"))
    clock.advance(seconds=5)
    add_note(store, meeting_id, make_note(clock, step_index=3, kind="action", text="geheim", confidential=True))
    add_note(store, meeting_id, make_note(clock, step_index=3, text="ook in stap 4"))
    figures = notes_figures(store, meeting_id)
    assert figures.total == 4
    assert figures.per_step == {-1: 1, 0: 1, 3: 2}
    assert figures.latest_public.text == "openbaar"


def test_draft_save_load_clear(store, meeting_id, clock):
    key = draft_key("Sanne", "notulist")
    save_draft(store, meeting_id, key, "half getypt", {"begun": {"step": 2}}, clock.now())
    save_draft(store, meeting_id, key, "half getypt, verder", {"begun": {"step": 2}}, clock.now())
    draft = load_draft(store, meeting_id, key)
    assert (draft.text, draft.data) == ("half getypt, verder", {"begun": {"step": 2}})
    # the moderator's quick note under the same login is a separate draft
    assert load_draft(store, meeting_id, draft_key("Sanne", "moderator")) is None
    # filing the note removes its draft in the same write
    add_note(store, meeting_id, make_note(clock), draft_key=key)
    assert load_draft(store, meeting_id, key) is None
    save_draft(store, meeting_id, key, "nog een", {}, clock.now())
    clear_draft(store, meeting_id, key)
    assert load_draft(store, meeting_id, key) is None
    save_draft(store, meeting_id, key, "", {}, clock.now())  # an empty draft is no draft
    assert load_draft(store, meeting_id, key) is None


def test_emoji_right_to_left_and_long_text_round_trip(store, meeting_id, clock):
    text = "👍🏽 שלום عليكم ✨\nregel twee " + "x" * 100_000
    note = make_note(clock, text=text)
    add_note(store, meeting_id, note)
    assert get_note(store, note.uid).text == text


# --- several writers at once ---------------------------------------------------------------

PER_WRITER = 40


def _write_notes(url: str, meeting_id: int, author: str, errors: list) -> None:
    from kring.data.core.clock import FakeClock
    from kring.data.outbox import Outbox
    from kring.data.store import Store

    store = Store(url)
    clock = FakeClock()
    outbox = Outbox(on_error=errors.append, retry_after=0.01)
    key = draft_key(author, "notulist")
    for i in range(PER_WRITER):
        note = make_note(clock, author=author, text=f"{author} {i}")
        outbox.put(lambda i=i: save_draft(store, meeting_id, key, f"{author} {i} half", {}, clock.now()))
        outbox.put(lambda note=note: add_note(store, meeting_id, note, draft_key=key))
        if i % 5 == 0:
            outbox.put(lambda note=note: edit_note(store, note.uid, author=author, at=clock.now(), text=note.text + "!"))
    assert outbox.close(timeout=60)
    store.close()


def _process_writer(url: str, meeting_id: int, author: str, queue) -> None:  # noqa: ANN001
    errors: list = []
    _write_notes(url, meeting_id, author, errors)
    queue.put((author, errors))


def _check_all_landed(store, meeting_id, authors) -> None:
    notes = list_notes(store, meeting_id)
    assert len(notes) == PER_WRITER * len(authors)
    for author in authors:
        texts = {n.text.rstrip("!") for n in notes if n.author == author}
        assert texts == {f"{author} {i}" for i in range(PER_WRITER)}
        edited = [n for n in notes if n.author == author and n.revision == 2]
        assert len(edited) == PER_WRITER // 5
        assert load_draft(store, meeting_id, draft_key(author, "notulist")) is None


def test_two_writer_threads_lose_nothing(store, meeting_id, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("threads on one SQLite file")
    errors: list = []
    threads = [threading.Thread(target=_write_notes, args=(db_url, meeting_id, name, errors)) for name in ("Sanne", "Pim")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert errors == []  # never "database is locked", not even once to be retried
    _check_all_landed(store, meeting_id, ["Sanne", "Pim"])


def test_three_writer_processes_lose_nothing(store, meeting_id, db_url):
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    authors = ["Sanne", "Pim", "Noor"]
    procs = [ctx.Process(target=_process_writer, args=(db_url, meeting_id, a, queue)) for a in authors]
    for p in procs:
        p.start()
    results = dict(queue.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    assert results == {a: [] for a in authors}
    _check_all_landed(store, meeting_id, authors)
