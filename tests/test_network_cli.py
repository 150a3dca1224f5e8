"""`kring network …` and `kring run --network`: exit 0 on success, 2 with one line on bad input, nothing lost."""

from __future__ import annotations

import argparse

import pytest

from tests.cli_helpers import one_line_error, run


NET = "Wijkzorg Utrecht"


def make(capsys) -> None:
    code, out, _ = run(capsys, "network", "new", NET, "--theme", "Samenwerken in de wijk", "--form", "proces",
                       "--kind", "praktijk", "--rhythm", "elke zes weken", "--rule", "Telefoons op stil")
    assert code == 0 and "gemaakt" in out
    for name, question in [("Anouk de Vries", "Hoe houd ik vrijwilligers betrokken?"),
                           ("Bram Jansen", "Hoe begeleid ik stagiairs?"),
                           ("Fatima El Amrani", "Hoe signaleer ik eenzaamheid?"),
                           ("Joris Peeters", "Hoe voer ik een keukentafelgesprek?"),
                           ("Lotte Bakker", "Hoe vertaal ik praktijk naar beleid?")]:
        code, out, err = run(capsys, "network", "add", NET, name, "--leervraag", question,
                             "--email", name.split()[0].lower() + "@example.org")
        assert code == 0 and name in out and not err


def test_make_a_network_and_show_it(capsys, db):
    make(capsys)
    code, out, _ = run(capsys, "network", "leervraag", NET, "bram jansen", "Hoe geef ik feedback?")
    assert code == 0
    code, out, _ = run(capsys, "network", "list")
    assert code == 0 and NET in out and "5" in out
    code, out, _ = run(capsys, "network", "show", NET)
    assert code == 0
    for text in ("Samenwerken in de wijk", "procesmodel", "praktijkgericht", "elke zes weken",
                 "Leden (5)", "anouk@example.org", "Hoe geef ik feedback?", "Spelregels", "1. Telefoons op stil",
                 "Open acties (0)", "Bijeenkomsten tot nu toe (0)", "Volgende bijeenkomst: kickoff",
                 "Wat er geleerd is per leervraag"):
        assert text in out, text
    code, out, _ = run(capsys, "--lang", "en", "network", "show", NET)
    assert code == 0 and "Members (5)" in out


def test_set_changes_fields_and_adds_rules(capsys, db):
    make(capsys)
    code, out, _ = run(capsys, "network", "set", NET, "--goal", "Van elkaar leren", "--rule", "We beginnen op tijd",
                       "--role", "moderator", "--role", "notulist")
    assert code == 0
    _, out, _ = run(capsys, "network", "show", NET)
    assert "Doel: Van elkaar leren" in out and "2. We beginnen op tijd" in out
    assert "tijdbewaker" not in out.split("Rollen:")[1].splitlines()[0]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["network", "show", "Nergens"], "onbekend netwerk 'Nergens'"),
        (["network", "add", "Nergens", "Kees"], "onbekend netwerk 'Nergens'"),
        (["network", "add", NET, "ANOUK DE VRIES"], "heeft al een lid met de naam 'Anouk de Vries'"),
        (["network", "add", NET, "Kees", "--email", "kees@"], "'kees@' is geen e-mailadres"),
        (["network", "add", NET, "  "], "de naam van het lid is leeg"),
        (["network", "new", NET.lower()], "er is al een netwerk"),
        (["network", "new", "X", "--form", "kubus"], "de vorm 'kubus': kies uit"),
        (["network", "search", NET, "***"], "geen woorden"),
        (["network", "forget", NET, "Kees", "--yes"], "heeft geen lid 'Kees'"),
        (["network", "leervraag", NET, "Kees", "Vraag?"], "heeft geen lid 'Kees'"),
        (["run", "--network", "Nergens"], "onbekend netwerk 'Nergens'"),
        (["run", "--network", NET, "--role", "notulist=Kees"], "heeft geen lid 'Kees'"),
        (["run", "--network", NET, "--role", "voorzitter=Bram Jansen"], "heeft geen rol 'voorzitter'"),
        (["run", "--network", NET, "--format", "bestaatniet"], "onbekende werkvorm 'bestaatniet'"),
        (["run", "--network", NET, "--participant", "bram jansen"], "twee keer genoemd"),
    ],
)
def test_bad_input_says_what_and_changes_nothing(capsys, db, argv, words):
    make(capsys)
    _, before, _ = run(capsys, "network", "show", NET)
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert words in one_line_error(err)
    _, after, _ = run(capsys, "network", "show", NET)
    assert after == before
    _, sessions, _ = run(capsys, "sessions")
    assert "Nog geen bijeenkomsten" in sessions or "Wijkzorg" not in sessions


def test_a_network_without_members_cannot_run(capsys, db, english):
    run(capsys, "network", "new", "Leeg")
    code, _, err = run(capsys, "run", "--network", "Leeg")
    assert code == 2 and "has no members yet" in one_line_error(err)


def test_past_twelve_members_warns(capsys, db):
    run(capsys, "network", "new", "Groot")
    for i in range(12):
        code, _, err = run(capsys, "network", "add", "Groot", f"Lid {i + 1}")
        assert code == 0 and not err
    code, out, err = run(capsys, "network", "add", "Groot", "Lid 13")
    assert code == 0 and "Lid 13" in out
    assert "waarschuwing" in err and "13 leden" in err


def test_search_finds_notes_of_all_meetings(capsys, db, clock):
    from kring.tui.commands.network import prepare_network_meeting
    from tests.test_network import add_note

    make(capsys)
    args = argparse.Namespace(network=NET, werkvorm=None, role=[], title=None, place="", participant=[], db=None)
    store, meeting_id = prepare_network_meeting(args, clock)
    add_note(store, meeting_id, "insight", "Vrijwilligers blijven met een vaste taak", clock)
    add_note(store, meeting_id, "note", "Vrijwilligers vertelden over de buurt", clock)
    add_note(store, meeting_id, "insight", "Vrijwilligers: vertrouwelijk", clock, confidential=True)
    store.close()
    code, out, _ = run(capsys, "network", "search", NET, "vrijwilligers")
    assert code == 0
    assert "2 gevonden" in out
    assert out.index("[Inzicht] Vrijwilligers blijven") < out.index("Vrijwilligers vertelden")
    assert "vertrouwelijk" not in out
    code, out, _ = run(capsys, "network", "search", NET, "olifant")
    assert code == 0 and "Niets gevonden" in out


def test_search_names_the_step_in_the_interfaces_language(capsys, db, clock):
    """A note taken under --lang en keeps 'Getting to know each other'; Dutch output says 'Kennismaken'."""
    from kring.tui.commands.network import prepare_network_meeting
    from tests.test_network import add_note

    make(capsys)
    args = argparse.Namespace(network=NET, werkvorm=None, role=[], title=None, place="", participant=[], db=None)
    store, meeting_id = prepare_network_meeting(args, clock)
    add_note(store, meeting_id, "insight", "Vrijwilligers willen een vaste taak", clock,
             step_index=0, step_title="Getting to know each other")
    add_note(store, meeting_id, "note", "Vrijwilligers eigen titel", clock, step_index=1, step_title="Iets anders")
    store.close()
    code, out, _ = run(capsys, "network", "search", NET, "vrijwilligers")
    assert code == 0 and "Kennismaken" in out and "Getting to know" not in out, out
    assert "Iets anders" in out  # a title the format does not know stays as it was
    code, out, _ = run(capsys, "--lang", "en", "network", "search", NET, "vaste")
    assert code == 0 and "Getting to know each other" in out, out


def test_forget_asks_first_and_says_what_changes(capsys, db, monkeypatch):
    make(capsys)
    # no terminal to ask on and no --yes: refused, nothing changed
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, out, err = run(capsys, "network", "forget", NET, "Bram Jansen")
    assert code == 2 and "--yes" in one_line_error(err)
    assert "Bram Jansen vergeten in netwerk" in out and "leervragen gewist" in out
    _, shown, _ = run(capsys, "network", "show", NET)
    assert "Bram Jansen" in shown
    # asked on a terminal, answered no
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "nee")
    code, out, _ = run(capsys, "network", "forget", NET, "Bram Jansen")
    assert code == 0 and "Er is niets veranderd" in out
    monkeypatch.setattr("builtins.input", lambda prompt: "ja")
    code, out, _ = run(capsys, "network", "forget", NET, "bram jansen")
    assert code == 0 and "Bram Jansen is vergeten" in out
    _, shown, _ = run(capsys, "network", "show", NET)
    assert "Bram Jansen" not in shown and "Leden (4)" in shown
    code, _, _ = run(capsys, "network", "forget", NET, "Lotte Bakker", "--yes")
    assert code == 0


def test_prepare_the_next_meeting_with_fixed_roles_and_a_guest(capsys, db, clock):
    from kring.data.meetings import get_meeting
    from kring.tui.commands.network import prepare_network_meeting

    make(capsys)
    args = argparse.Namespace(network=NET, werkvorm=None, role=["notulist=lotte bakker"], title=None,
                              place="Buurthuis", participant=["Gast"], db=None)
    store, meeting_id = prepare_network_meeting(args, clock)
    info = get_meeting(store, meeting_id)
    assert info.werkvorm == "kickoff"  # a fresh network starts with its kick-off
    assert info.names[-1] == "Gast" and len(info.names) == 6 and info.place == "Buurthuis"
    roles = {r: p.name for p in info.participants for r in p.roles}
    assert roles["notulist"] == "Lotte Bakker" and len(set(roles.values())) == 3
    store.close()
    # a meeting still live is mentioned, not refused
    store, second = prepare_network_meeting(argparse.Namespace(**{**vars(args), "role": [], "participant": []}),
                                            clock)
    assert get_meeting(store, second).werkvorm == "standaard"
    assert "bijeenkomst 1 van dit netwerk loopt nog" in capsys.readouterr().err
    store.close()
