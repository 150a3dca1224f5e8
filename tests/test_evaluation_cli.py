"""`kring evaluate`: bad input is one line and exit 2, before any screen opens."""

from __future__ import annotations

import pytest

from kring.data.evaluation import submit
from kring.tui.cli import main


@pytest.fixture
def db(db_url, monkeypatch):
    monkeypatch.setenv("KRING_DB", db_url)
    return db_url


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err.strip()


def test_no_meeting_yet(capsys, db, english):
    assert run(capsys, "evaluate") == (
        2, "", "kring: no meetings in this store yet (start one with: kring run or kring demo)")
    assert run(capsys, "evaluate", "9")[2] == "kring: no meeting with id 9 in this store (see: kring sessions)"


def test_unknown_or_ambiguous_name(capsys, db, meeting_id, english):
    code, _, err = run(capsys, "evaluate", "--as", "Zoë")
    assert code == 2
    assert err == ("kring: 'Zoë' is not a participant of this meeting "
                   "(participants: Anouk, Bram, Fatima, Joris, Lotte)")


def test_twice_is_refused_before_the_form_opens(capsys, db, store, clock, meeting_id, english):
    submit(store, meeting_id, "Bram", {"roti": 3}, clock)
    code, _, err = run(capsys, "evaluate", str(meeting_id), "--as", "bram")
    assert (code, err) == (2, f"kring: Bram has already filled in the evaluation of meeting {meeting_id}")


def test_everyone_done(capsys, db, store, clock, meeting_id, english):
    for name in ("Anouk", "Bram", "Fatima", "Joris", "Lotte"):
        submit(store, meeting_id, name, {"roti": 3}, clock)
    code, _, err = run(capsys, "evaluate")
    assert (code, err) == (2, f"kring: everyone has already filled in the evaluation of meeting {meeting_id}")


def test_a_network_form_that_cannot_be_found(capsys, db, store, clock, standaard, english):
    from kring.data.meetings import create_meeting
    from kring.data.models import Network

    with store.writing() as s:
        net = Network(name="N", evaluation_form="weg", created_at=clock.now())
        s.add(net)
        s.flush()
        network_id = net.id
    create_meeting(store, standaard, ["Anouk"], clock, network_id=network_id)
    code, _, err = run(capsys, "evaluate", "--as", "Anouk")
    assert (code, err) == (2, "kring: unknown evaluation form 'weg' (known: standaard)")
