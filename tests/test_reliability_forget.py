"""Forgetting is real: after `network forget` no form of the member's name (full name,
first name, alias; any case, with or without diacritics, NFC or NFD, possessive) is left
in the store's rows, in the SQLite files (main, -wal, -shm, the full-text index's shadow
tables), nor in any export, and the report's counts stay as they were."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from kring.data import network_meetings, networks
from kring.data.forget import _Scrubber, forget_member, forget_question
from kring.data.meetings import append_event, get_meeting
from kring.data.models import Draft, EvaluationReceipt, EvaluationResponse
from kring.data.notes import edit_note, save_draft
from tests.cli_helpers import run
from tests.crashdriver import say
from tests.test_network import MEMBERS, add_note, close, fmt, make_network

NET = "Wijkzorg Utrecht"
FORGOTTEN = ("fatima", "amrani", "faat")  # full name, first name, alias: none may be left


def _folded(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def raw_file_hits(store, words=FORGOTTEN) -> dict[str, list[str]]:
    """Which words the store's files hold, read as raw bytes (main file, -wal, -shm)."""
    hits: dict[str, list[str]] = {}
    path = Path(store.url.removeprefix("sqlite:///"))
    for f in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if not f.exists():
            continue
        data = f.read_bytes().lower()
        found = [w for w in words if w.encode() in data or unicodedata.normalize("NFD", w).encode() in data]
        if found:
            hits[f.name] = found
    return hits


def scanned_bytes(store) -> int:
    path = Path(store.url.removeprefix("sqlite:///"))
    return sum(f.stat().st_size for f in (path, path.with_name(path.name + "-wal"),
                                           path.with_name(path.name + "-shm")) if f.exists())


def raw_row_hits(store, words=FORGOTTEN, seen: list | None = None) -> list[tuple[str, str]]:
    """Which rows of any table hold a word, read by plain SQL (every table, every column,
    on SQLite the full-text index's shadow tables too). `seen` gets the texts read."""
    hits = []
    with store.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                if seen is not None:
                    seen += [v for v in row if isinstance(v, (str, bytes, dict, list)) and v]
                flat = _folded(" ".join(str(v) for v in row))
                hits += [(table, w) for w in words if w in flat]
    return hits


def exports(store, meeting_id) -> dict[str, str]:
    from kring.data.report import render_csv, render_html, render_md
    from kring.data.report import build_report
    from kring.data.search import search_notes

    report = build_report(store, meeting_id, include_confidential=True)
    network_id = get_meeting(store, meeting_id).network_id
    out = {"md": render_md(report), "html": render_html(report), "csv": render_csv(report),
           "json": json.dumps(report, ensure_ascii=False)}
    for word in ("Fatima", "Amrani", "Faat", "José", "Jose"):
        out["history " + word] = " ".join(h.text for h in search_notes(store, word))
        out["network search " + word] = " ".join(h.text for h in search_notes(store, word, network_id,
                                                                               order="useful"))
    return out


def export_hits(store, meeting_id, words=FORGOTTEN) -> list[tuple[str, str]]:
    return [(k, w) for k, v in exports(store, meeting_id).items() for w in words if w in _folded(v)]


def figures(store, meeting_id) -> tuple:
    """What a report counts: participants, speaking time and turns, evaluation answers."""
    from kring.data.report import build_report

    r = build_report(store, meeting_id, include_confidential=True)
    speaking = sorted((s["seconds"], s["turns"]) for s in r["speaking"])
    return (len(r["participants"]), speaking, r["evaluation"]["count"], len(r["evaluation"]["responses"]),
            len(r["notes"]), len(r["actions"]))


def a_meeting_that_names_fatima(store, clock) -> tuple[int, int]:
    network_id = make_network(store, clock)
    networks.add_learning_question(store, network_id, "Bram Jansen", "Hoe steun ik Fatima en anderen?", clock)
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock,
                                        roles={"notulist": "Fatima El Amrani"})
    append_event(store, meeting_id, "start", clock.now())
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Fatima El Amrani"})
    clock.advance(minutes=3)
    append_event(store, meeting_id, "speaker", clock.now(), {"name": "Bram Jansen"})
    append_event(store, meeting_id, "case_bringer", clock.now(), {"name": "Fatima El Amrani", "step": "casus"})
    clock.advance(minutes=2)
    add_note(store, meeting_id, "note", "Fatima heeft thuis problemen", clock, author="Lotte Bakker",
             speaker="Fatima El Amrani", confidential=True)
    add_note(store, meeting_id, "action", "Bram belt Fatima deze week", clock, author="Lotte Bakker",
             owner="Bram Jansen")
    add_note(store, meeting_id, "action", "Verslag rondsturen", clock, author="Lotte Bakker", owner="Fatima")
    add_note(store, meeting_id, "insight", "FATIMA's aanpak werkt: Faat vraagt eerst door", clock,
             author="Fatima El Amrani")
    nfd = add_note(store, meeting_id, "note", unicodedata.normalize("NFD", "Fatimá El Amrani vertelt"), clock,
                   author="Lotte Bakker")
    # an earlier version named her; the revision history must not keep it
    edited = add_note(store, meeting_id, "decision", "Fatima El Amrani organiseert de volgende keer", clock,
                      author="Lotte Bakker")
    edit_note(store, edited.uid, author="Lotte Bakker", at=clock.now(), text="Anouk organiseert de volgende keer")
    save_draft(store, meeting_id, "Fatima El Amrani#notulist", "half getypt", {"kind": "note"}, clock.now())
    save_draft(store, meeting_id, "Lotte Bakker#notulist", "Met Fatima afspreken", {"speaker": "Fatima"},
               clock.now())
    with store.writing() as s:
        for who, answers in (("Fatima El Amrani", {"roti": 4, "top": "Fijn, groet Fatima"}),
                             ("Bram Jansen", {"roti": 5, "top": "dank aan faat"})):
            s.add(EvaluationReceipt(meeting_id=meeting_id, participant=who, at=clock.now()))
            s.add(EvaluationResponse(meeting_id=meeting_id, participant=who, answers=answers, at=clock.now()))
    close(store, meeting_id, clock)
    assert nfd.text != "Fatimá El Amrani vertelt"  # really NFD
    return network_id, meeting_id


def test_forgetting_leaves_no_form_of_the_name_in_the_store_or_any_export(store, clock, request):
    network_id, meeting_id = a_meeting_that_names_fatima(store, clock)
    before = figures(store, meeting_id)
    assert export_hits(store, meeting_id) and raw_row_hits(store)
    if store.is_sqlite:
        assert raw_file_hits(store)

    counted = forget_member(store, network_id, "fatima el amrani", aliases=["Faat"])
    assert counted.names == ["Fatima El Amrani", "Faat", "Fatima"]
    assert counted.counts["notes mentioning them"] == 3 and counted.counts["actions mentioning them"] == 1
    assert counted.counts["drafts"] == 2 and counted.counts["evaluation answers"] == 2
    assert counted.confidential == 1
    question = forget_question(counted)
    assert "vertrouwelijk" in question and "heeft thuis problemen" not in question  # counted, never shown
    assert "[voormalig lid] belt" not in question and "Bram belt [voormalig lid] deze week" in question

    done = forget_member(store, network_id, "Fatima El Amrani", apply=True, aliases=["Faat"], clock=clock)
    assert done.erased is True
    cells: list = []
    assert raw_row_hits(store, seen=cells) == []
    assert export_hits(store, meeting_id) == []
    shown = exports(store, meeting_id)
    say(request, f"forgetting ({store.engine.dialect.name}): {sum(done.counts.values())} changes in "
                 f"{len(done.counts)} kinds; {len(cells)} stored texts and {len(shown)} exports "
                 f"({sum(len(v.encode()) for v in shown.values())} bytes) read back"
        + (f", {scanned_bytes(store)} bytes of store files scanned" if store.is_sqlite else "")
        + ": no full name, first name or alias left")
    if store.is_sqlite:
        assert raw_file_hits(store) == {}
        with store.engine.connect() as conn:  # the full-text index itself, not only its bytes
            assert conn.execute(text("SELECT count(*) FROM note_fts WHERE note_fts MATCH 'fatima'")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM note_fts WHERE note_fts MATCH 'thuis'")).scalar() == 1
    assert figures(store, meeting_id) == before
    with store.session() as s:
        assert s.get(Draft, 1) is None or "Fatima" not in s.get(Draft, 1).author
    texts = sorted(n.text for n in get_meeting_notes(store, meeting_id))
    assert "voormalig lid heeft thuis problemen" in texts
    assert "voormalig lid's aanpak werkt: voormalig lid vraagt eerst door" in texts
    assert "Bram belt voormalig lid deze week" in texts
    assert networks.get_network(store, network_id).member("Bram Jansen").questions[-1] == (
        "Hoe steun ik voormalig lid en anderen?")


def get_meeting_notes(store, meeting_id):
    from kring.data.notes import list_notes

    return list_notes(store, meeting_id)


def test_a_shared_first_name_is_said_and_the_other_member_keeps_their_name(store, clock):
    network_id = make_network(store, clock, members=MEMBERS + [("Fatima Bakker", "", "", [])])
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    add_note(store, meeting_id, "note", "Fatima Bakker en Fatima El Amrani vullen elkaar aan; Fatima lacht", clock)
    report = forget_member(store, network_id, "Fatima El Amrani")
    assert report.shared_first_name == ["Fatima Bakker"]
    assert "ook de voornaam van Fatima Bakker" in forget_question(report)
    forget_member(store, network_id, "Fatima El Amrani", apply=True)
    [note] = get_meeting_notes(store, meeting_id)
    assert note.text == "Fatima Bakker en voormalig lid vullen elkaar aan; voormalig lid lacht"
    # kept on request: only the full name (and aliases) go
    network_id = make_network(store, clock, name="Tweede", members=MEMBERS + [("Fatima Bakker", "", "", [])])
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    add_note(store, meeting_id, "note", "Fatima El Amrani en Fatima lachen", clock)
    forget_member(store, network_id, "Fatima El Amrani", apply=True, keep_first_name=True)
    [note] = get_meeting_notes(store, meeting_id)
    assert note.text == "voormalig lid en Fatima lachen"


@pytest.mark.parametrize("written", [
    "José zegt", "JOSE zegt", unicodedata.normalize("NFD", "José zegt"), "Jose\u0301's fiets", "Josés fiets",
])
def test_names_match_in_any_case_with_or_without_diacritics(written):
    scrub = _Scrubber(["José Dias", "José"])
    new, changed = scrub.text(written, "X")
    assert changed and "jos" not in new.casefold() and "\u0301" not in new
    assert scrub.text("Josephine en Ajosé", "X") == ("Josephine en Ajosé", False)  # whole words only


def test_cli_forget_asks_with_counts_and_examples_then_every_export_is_clean(capsys, db, clock, tmp_path,
                                                                             monkeypatch):
    from kring.data.store import Store

    store = Store(f"sqlite:///{db}")
    network_id, meeting_id = a_meeting_that_names_fatima(store, clock)
    store.close()
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "nee")
    code, out, err = run(capsys, "network", "forget", NET, "Fatima El Amrani", "--alias", "Faat")
    assert code == 0 and "Er is niets veranderd" in out
    assert "'Fatima El Amrani', 'Faat', 'Fatima'" in out
    assert "acties die hen noemen" in out and "bijvoorbeeld" in out and "[voormalig lid]" in out
    code, out, err = run(capsys, "network", "forget", NET, "Fatima El Amrani", "--alias", "Faat", "--yes")
    assert code == 0 and not err and "is vergeten" in out
    store = Store(f"sqlite:///{db}")
    assert raw_file_hits(store) == {}
    store.close()
    for fmt_name in ("md", "html", "json", "csv"):
        target = tmp_path / f"verslag.{fmt_name}"
        code, _out, _err = run(capsys, "report", str(meeting_id), "--format", fmt_name, "--include-confidential",
                               "-o", str(target))
        assert code == 0
        body = _folded(target.read_text(encoding="utf-8"))
        assert not [w for w in FORGOTTEN if w in body], fmt_name
    code, out, _ = run(capsys, "network", "search", NET, "Fatima")
    assert code == 0 and "Niets gevonden" in out
    code, out, _ = run(capsys, "network", "show", NET)
    assert code == 0 and not [w for w in FORGOTTEN if w in _folded(out)]


def test_a_running_note_takers_stale_draft_is_not_written_back(store, clock):
    """The note-taker's client saves its input as a draft on every keystroke; after a
    rewrite its copy still holds the name, so that save must not bring it back."""
    from kring.data.notes import load_draft

    network_id = make_network(store, clock)
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    save_draft(store, meeting_id, "Lotte Bakker#notulist", "Fatima belt", {}, clock.now())
    forget_member(store, network_id, "Fatima El Amrani", apply=True)
    assert load_draft(store, meeting_id, "Lotte Bakker#notulist").text == "voormalig lid belt"
    save_draft(store, meeting_id, "Lotte Bakker#notulist", "Fatima belt morgen", {}, clock.now())  # stale client
    assert load_draft(store, meeting_id, "Lotte Bakker#notulist").text == "voormalig lid belt"
    assert raw_row_hits(store) == []
    # the input emptied (the note filed): the next draft is saved as usual
    save_draft(store, meeting_id, "Lotte Bakker#notulist", "", {}, clock.now())
    save_draft(store, meeting_id, "Lotte Bakker#notulist", "Nieuwe notitie", {}, clock.now())
    assert load_draft(store, meeting_id, "Lotte Bakker#notulist").text == "Nieuwe notitie"


def test_a_draft_journal_naming_the_member_is_removed(store, clock):
    """The journal a note-taker's keys go to first (kring.data.draftjournal) names the member
    too: forgetting removes it; the store's rewritten draft is what comes back."""
    from kring.data.draftjournal import DraftJournal, journal_path, recover

    network_id = make_network(store, clock)
    meeting_id = network_meetings.start_meeting(store, network_id, fmt("standaard"), clock)
    key = "Lotte Bakker#notulist"
    save_draft(store, meeting_id, key, "Fatima belt", {}, clock.now())
    path = journal_path(store.url, store.path, meeting_id, key)
    journal = DraftJournal(path)
    journal.write("Fatima belt\nmorgen", {})
    journal.close()
    other = journal_path(store.url, store.path, meeting_id, "Bram#notulist")
    DraftJournal(other).write("Bram belt", {})
    # her own journal, holding no name: its file name is made from hers
    own = journal_path(store.url, store.path, meeting_id, "fatima#notulist")
    DraftJournal(own).write("Verslag rondsturen", {})
    forget_member(store, network_id, "Fatima El Amrani", apply=True)
    if path is not None:
        assert not path.exists() and other.exists() and not own.exists()
    assert recover(store, meeting_id, key).text == "voormalig lid belt"


def test_a_reader_holding_the_store_open_is_said_and_its_close_clears_the_files(store, clock):
    """A note-taker's client in the middle of a read keeps the WAL from being emptied:
    forgetting says so, and once the last process closes, the files are clean."""
    import sqlite3

    if not store.is_sqlite:
        pytest.skip("SQLite's files")
    network_id, _meeting = a_meeting_that_names_fatima(store, clock)
    reader = sqlite3.connect(store.url.removeprefix("sqlite:///"), isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM note WHERE text LIKE '%Fatima%'").fetchone()[0] > 0
    done = forget_member(store, network_id, "Fatima El Amrani", apply=True, aliases=["Faat"])
    assert done.erased is False
    assert raw_row_hits(store) == []  # what every reader sees from now on
    reader.close()
    store.close()
    assert raw_file_hits(store) == {}
