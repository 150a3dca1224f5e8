"""`kring formats list` lists the evaluation forms; `kring formats check` validates a form file."""

from __future__ import annotations

from tests.cli_helpers import run


def test_list_shows_forms_and_where_own_ones_go(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("KRING_DB", str(tmp_path / "k.db"))
    code, out, _ = run(capsys, "formats", "list")
    assert code == 0
    forms = out.split("Evaluatieformulieren:")[1]
    assert "standaard" in forms and "10 vragen" in forms and "formulieren" in forms


def test_a_broken_own_form_is_named_and_the_list_says_so(capsys, tmp_path, monkeypatch, english):
    from kring.workformats.forms import forms_dir

    monkeypatch.setenv("KRING_DB", str(tmp_path / "k.db"))
    forms_dir().mkdir(parents=True)
    (forms_dir() / "kapot.yaml").write_text("name: kapot\ntitle: K\nsource: s\nquestions:\n"
                                             "  - {id: a, text: Q, type: sterren}\n", encoding="utf-8")
    code, _, err = run(capsys, "formats", "list")
    assert code == 2 and "kapot.yaml:5: questions[1].type: must be one of" in err


def test_check_a_good_and_a_broken_form(capsys, tmp_path):
    good = tmp_path / "kort.yaml"
    good.write_text("name: kort\ntitle: Kort\nsource: eigen\nquestions:\n"
                    "  - {id: roti, text: Waard, type: roti}\n  - {id: tip, text: Tip, type: open}\n")
    code, out, _ = run(capsys, "formats", "check", str(good))
    assert code == 0 and out.strip() == f"{good}: geldig evaluatieformulier 'kort', 2 vragen"
    bad = tmp_path / "kapot.yaml"
    bad.write_text("name: kapot\ntitle: K\nsource: s\nquestions:\n  - id: a\n    text: Q\n    type: scale\n"
                   "    min: 1\n    max: 50\n")
    code, _, err = run(capsys, "formats", "check", str(bad))
    assert code == 2
    assert err.strip() == f"kring: {bad}:9: questions[1].max: moet meer dan min (1) en hoogstens 10 zijn, niet 50"
