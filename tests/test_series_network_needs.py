"""What the network needs from the command line: anonymous evaluation and the form per network
(`kring network set`), and members imported from a CSV file with one message per bad line."""

from __future__ import annotations

import pytest

from tests.cli_helpers import one_line_error, run
from tests.test_network_cli import NET, make


def _choice(db) -> tuple[str, bool]:
    from sqlmodel import select

    from kring.data.models import Network
    from kring.data.store import Store

    store = Store(f"sqlite:///{db}")
    with store.session() as s:
        net = s.exec(select(Network)).first()
        out = (net.evaluation_form, net.anonymous_evaluation)
    store.close()
    return out


def test_anonymous_evaluation_and_the_form_from_the_command_line(capsys, db):
    make(capsys)
    assert _choice(db) == ("standaard", False)
    code, out, err = run(capsys, "network", "set", NET, "--anonymous", "--evaluation-form", "standaard")
    assert code == 0 and not err and "formulier standaard, anoniem" in out
    assert _choice(db) == ("standaard", True)
    _, shown, _ = run(capsys, "network", "show", NET)
    assert "Evaluatie: formulier standaard, anoniem" in shown
    code, out, _ = run(capsys, "network", "set", NET, "--named")
    assert code == 0 and "met namen" in out and _choice(db) == ("standaard", False)


@pytest.mark.parametrize("argv, words", [
    (["--evaluation-form", "bestaatniet", "--anonymous"], "bestaatniet"),
    (["--anonymous", "--named"], "niet toegestaan samen met argument"),
])
def test_a_bad_choice_changes_nothing(capsys, db, argv, words):
    make(capsys)
    code, _, err = run(capsys, "network", "set", NET, *argv)
    assert code == 2 and words in one_line_error(err)
    assert _choice(db) == ("standaard", False)


def test_members_from_a_csv_file_with_semicolons_and_a_header(capsys, db, tmp_path):
    run(capsys, "network", "new", "Jeugdzorg")
    file = tmp_path / "leden.csv"
    file.write_text("\ufeffnaam;e-mail;leervraag\nSanne Visser;sanne@example.org;Hoe betrek ik ouders?;Wat werkt?\n"
                    "Youssef Amrani;;Hoe houd ik overzicht?\n\n", encoding="utf-8")
    code, out, err = run(capsys, "network", "import", "Jeugdzorg", str(file))
    assert code == 0 and "2 leden geïmporteerd" in out and not err
    _, shown, _ = run(capsys, "network", "show", "Jeugdzorg")
    assert "Sanne Visser <sanne@example.org>" in shown and "• Wat werkt?" in shown and "Youssef Amrani" in shown
    (tmp_path / "een.csv").write_text("Carla de Boer,carla@example.org,Hoe dan?\n", encoding="utf-8")
    code, out, _ = run(capsys, "network", "import", "Jeugdzorg", str(tmp_path / "een.csv"))
    assert code == 0 and "1 lid geïmporteerd" in out


def test_each_bad_line_is_one_message_and_nothing_is_imported(capsys, db, tmp_path):
    make(capsys)
    file = tmp_path / "leden.csv"
    file.write_text("Sanne Visser,sanne@example.org\nPiet,piet@\n,leeg@example.org\nSanne Visser,s@example.org\n"
                    "Bram Jansen,bram@example.org\n", encoding="utf-8")
    code, out, err = run(capsys, "network", "import", NET, str(file))
    assert code == 2 and not out and "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines[:4] == [f"kring: {file}:2: 'piet@' is geen e-mailadres (zoals naam@example.org)",
                         f"kring: {file}:3: de naam van het lid is leeg",
                         f"kring: {file}:4: 'Sanne Visser' staat al op regel 1",
                         f"kring: {file}:5: 'Bram Jansen' is al lid van '{NET}'"]
    assert "niets geïmporteerd" in lines[4] and len(lines) == 5
    _, shown, _ = run(capsys, "network", "show", NET)
    assert "Sanne Visser" not in shown and "Leden (5)" in shown
    code, _, err = run(capsys, "network", "import", NET, str(tmp_path / "bestaatniet.csv"))
    assert code == 2 and "kan het niet lezen" in one_line_error(err)
