"""One gate for text (issue 12, findings 4 and 7): what a person or a file gives kring is
cleaned where it enters, and what kring prints is checked again where it leaves.

The hostile texts are the ones seen on a shared server: OSC 52 (writes another user's
clipboard), `ESC c` (resets the terminal), a title colouring the screen red and renaming
the terminal, C1 controls, a right-to-left override. Stored text is also written straight
into the store (bypassing the entry gate, as an older kring or a hand-edited store would)
and every export and command output is read back for anything a terminal would obey.
"""

from __future__ import annotations

import ast
import base64
import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from kring.data.errors import InputError
from kring.data.meetings import create_meeting, get_meeting
from kring.data.models import Meeting, Member, Network, Participant
from kring.data.notes import clean_author
from kring.data.report.csv import csv_cell
from kring.data.core.textgate import check_line, clean_block, clean_line, has_control, shown, shown_records, shown_tree
from tests.cli_helpers import one_line_error, run
from tests.reportdata import add_note, add_response

OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # writes "hello" into the terminal's clipboard
RESET = "\x1bc"  # ESC c: resets the terminal
RED_TITLE = "\x1b[31m\x1b]0;gehackt\x07"  # colours the screen, renames the terminal
CSI_C1 = "\x9b2J"  # C1 CSI: clears the screen on a terminal that takes 8-bit controls
RLO = "\u202e"  # reads right to left from here
HOSTILE = [OSC52, RESET, RED_TITLE, CSI_C1, RLO, "\u2066", "\x7f", "\x00"]
# what no text printed by kring may hold (newline and tab aside)
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_clean(text: str, where: str) -> None:
    found = FORBIDDEN.search(text)
    assert found is None, f"{where}: {found.group()!r} at {found.start()}: {text[max(0, found.start() - 30):][:80]!r}"


# --- the gate itself ------------------------------------------------------------------


@pytest.mark.parametrize("bad", HOSTILE)
def test_the_gate_removes_every_control_and_direction_override(bad):
    value = f"Anouk {bad}de Vries"
    for cleaned in (clean_line(value), clean_block(value), shown(value)):
        assert_clean(cleaned, "gate")
        assert "Anouk" in cleaned and "de Vries" in cleaned
    assert not has_control(clean_line(value))


@pytest.mark.parametrize("bad", HOSTILE)
def test_a_reports_notes_pass_the_gate_at_once_as_each_would_alone(bad):
    """A report's notes are checked in one search (the quick path); one hostile text
    among thousands is still caught, in whichever field it sits."""
    notes = [{"id": i, "text": f"notitie {i}", "speaker": "Anouk", "at": None, "confidential": i % 2 == 0}
             for i in range(2000)]
    assert shown_records(notes) is notes  # nothing to remove: the notes as they are
    for field in ("text", "speaker"):
        dirty = [dict(n) for n in notes]
        dirty[1234][field] = f"Anouk {bad}de Vries"
        gated = shown_records(dirty)
        assert gated == shown_tree(dirty) and gated[1234][field] != dirty[1234][field]
        assert_clean("\n".join(_texts(gated)), field)
    nested = {f"a{bad}": [f"x{bad}", 1, None, {"k": (f"y{bad}", 2.5, True)}]}
    assert_clean("\n".join(_texts(shown_tree(nested))), "nested")
    assert len(_texts(shown_tree(nested))) == 4


def _texts(value) -> list[str]:  # noqa: ANN001
    """Every text in a tree, keys too."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(k) + _texts(v)]
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in _texts(v)]
    return []


def test_the_gate_keeps_letters_emoji_and_right_to_left_marks_and_normalises_to_nfc():
    family, hebrew = "👩\u200d👩\u200d👧", "\u05e9\u05dc\u05d5\u05dd\u200f"
    assert clean_line(f"  José   {family} {hebrew}\t") == f"José {family} {hebrew}"
    assert clean_line("Jose\u0301") == "Jos\u00e9"
    assert clean_block("regel 1\r\nregel 2\rregel\t3") == "regel 1\nregel 2\nregel 3"
    assert clean_line("regel 1\nregel 2") == "regel 1 regel 2"


def test_a_limit_names_the_field(english):
    assert check_line("x" * 120, "--title", 120) == "x" * 120
    with pytest.raises(InputError, match=r"^--title 'x+…' is longer than 120 characters"):
        check_line("x" * 121, "--title", 120)
    with pytest.raises(InputError, match="--as: the name"):
        clean_author("y" * 81)


# --- at the entry ---------------------------------------------------------------------


@pytest.fixture
def no_app(monkeypatch):
    """`kring run` and `kring notes` up to the screen, without running it."""
    monkeypatch.setattr("kring.tui.commands.meeting.run_app", lambda app: 0)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)


def _stored(db: Path) -> dict[str, object]:
    con = sqlite3.connect(db)
    try:
        title, place = con.execute("SELECT title, place FROM meeting ORDER BY id DESC").fetchone()
        names = [r[0] for r in con.execute("SELECT name FROM participant")]
    finally:
        con.close()
    return {"title": title, "place": place, "names": names}


def _store_files(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def test_run_title_and_place_are_cleaned_before_they_are_stored(capsys, db, no_app):
    code, _out, _err = run(capsys, "run", "--format", "standaard", "-p", "Anouk", "-p", "Bram\x1b[2J",
                           "--title", f"{OSC52} x {RLO}olleh", "--place", f"{RESET}Zaal {RED_TITLE}3")
    assert code == 0
    stored = _stored(db)
    # the controls go; what followed them is plain text that no terminal obeys
    assert stored == {"title": "]52;c;aGVsbG8= x olleh", "place": "cZaal [31m]0;gehackt3",
                      "names": ["Anouk", "Bram[2J"]}
    raw = _store_files(db)  # the store's files, WAL included: nothing of the sequences
    for sequence in (OSC52, RESET + "Zaal", RED_TITLE, "Bram\x1b", RLO):
        assert sequence.encode() not in raw


@pytest.mark.parametrize("flag", ["--title", "--place"])
def test_an_over_long_title_or_place_is_refused_in_one_line(capsys, db, no_app, flag, english):
    code, _out, err = run(capsys, "run", "--format", "standaard", "-p", "Anouk", flag, "lang " * 30)
    assert code == 2
    line = one_line_error(err)
    assert flag in line and "longer than 120 characters" in line
    assert not db.exists() or not sqlite3.connect(db).execute("SELECT count(*) FROM meeting").fetchone()[0]


def test_jose_typed_or_pasted_either_way_is_one_participant(store, clock, standaard, english):
    with pytest.raises(InputError, match="named twice"):
        create_meeting(store, standaard, ["Jos\u00e9", "Jose\u0301"], clock)
    mid = create_meeting(store, standaard, ["Jose\u0301", "Anouk"], clock)
    assert get_meeting(store, mid).participants[0].name == "Jos\u00e9"


def test_the_note_takers_name_is_cleaned(english):
    assert clean_author(f"{OSC52}Eve{RESET}") == "]52;c;aGVsbG8=Evec"
    with pytest.raises(InputError, match="empty"):
        clean_author("\x1b\x07\u202e")


def _format_yaml(title: str) -> str:
    return f"""name: vijandig
title: {title}
source: test
steps:
  - title: Inchecken
    minutes: 5
    mode: open
"""


@pytest.mark.parametrize("payload", [OSC52, RESET, RED_TITLE, CSI_C1])
def test_a_binary_value_in_a_work_format_cannot_smuggle_an_escape(capsys, tmp_path, monkeypatch, payload):
    encoded = base64.b64encode(payload.encode() + b"Evil").decode()
    folder = tmp_path / "config" / "werkvormen"
    folder.mkdir(parents=True)
    (folder / "vijandig.yaml").write_text(_format_yaml(f"!!binary {encoded}"), encoding="utf-8")
    monkeypatch.setenv("KRING_CONFIG_DIR", str(tmp_path / "config"))
    code, _out, err = run(capsys, "formats", "check", str(folder / "vijandig.yaml"))
    assert code == 2 and "binary" in one_line_error(err)
    code, out, err = run(capsys, "formats", "list")
    assert code == 2  # the broken file is named; nothing of it drives the terminal
    assert_clean(out, "formats list")
    assert_clean(err, "formats list (errors)")
    assert "vijandig" not in out


def test_a_binary_value_in_a_form_cannot_smuggle_an_escape(tmp_path):
    from kring.workformats.forms import load_form
    from kring.workformats.loader import FormatError

    encoded = base64.b64encode(OSC52.encode() + b"Vraag").decode()
    path = tmp_path / "vorm.yaml"
    path.write_text(f"name: vorm\ntitle: Vorm\nquestions:\n  - id: top\n    text: !!binary {encoded}\n"
                    "    type: open\n", encoding="utf-8")
    with pytest.raises(FormatError, match="binary"):
        load_form(path)


def test_a_direction_override_in_a_work_format_is_removed(tmp_path):
    from kring.workformats.loader import load_file

    path = tmp_path / "f.yaml"
    path.write_text(_format_yaml(f"'{RLO}Inchecken Jose\u0301'"), encoding="utf-8")
    assert load_file(path).title == "Inchecken Jos\u00e9"


def test_notes_and_answers_are_cleaned_as_typed(store, meeting_id, clock):
    from kring.data.core.noteparse import parse_note
    from kring.tui.widgets.noteinput import clean_paste

    assert parse_note(f"i: {OSC52}inzicht {RLO}hier", ["Anouk"], clock.now()).text == "]52;c;aGVsbG8=inzicht hier"
    assert clean_paste(f"a{RESET}\tb\r\nc") == "ac b↵c"
    from kring.workformats.forms import form_catalog

    form = form_catalog().forms["standaard"]
    q = next(q for q in form.questions if q.type.value == "open")
    assert q.check(f"{OSC52}goed {CSI_C1}zo") == "]52;c;aGVsbG8=goed 2Jzo"


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize("cell", ["=1+1", " =1+1", "\n=HYPERLINK(\"x\")", "  \n @SUM(A1)", "\uff1d1+1",
                                  "\uff0bcmd", "\uff0d1", "\uff20SUM(A1)", " \uff1d1", "\t=1", "\r=1", "-2+3"])
def test_csv_neutralises_every_cell_a_spreadsheet_reads_as_a_formula(cell):
    assert csv_cell(cell).startswith("'")


def test_csv_leaves_plain_text_alone():
    assert csv_cell("Anouk = blij") == "Anouk = blij" and csv_cell(" gewoon") == " gewoon"


# --- at the exit: text stored raw, bypassing the entry gate -----------------------------


@pytest.fixture
def hostile_store(db, clock, standaard):
    """A network and a live meeting in the command line's store whose every text was
    written raw: a store made before the gate, or edited by hand."""
    from kring.data.meetings import append_event
    from kring.data.networks import add_member, create_network
    from kring.data.store import Store

    store = Store.open(str(db))
    create_network(store, "Wijkzorg", clock, theme="Zorg")
    add_member(store, "Wijkzorg", "Anouk", clock, questions=["Hoe?"])
    mid = create_meeting(store, standaard, ["Anouk", "Bram"], clock, network_id=1)
    append_event(store, mid, "start", clock.now())
    with store.writing() as s:
        m = s.get(Meeting, mid)
        m.title, m.place = f"{RESET}Titel {OSC52}{RLO}x", f"{RED_TITLE}Zaal{CSI_C1}"
        s.add(m)
        for p in s.exec(__import__("sqlmodel").select(Participant)).all():
            p.name = p.name + RESET
            s.add(p)
        net = s.get(Network, 1)
        net.theme, net.goal = f"Zorg{OSC52}", f"Doel{RLO}"
        s.add(net)
        member = s.exec(__import__("sqlmodel").select(Member)).first()
        member.expertise = f"expert{RED_TITLE}"
        s.add(member)
    add_note(store, mid, f"besluit {OSC52}nu {RLO}", at=clock.now(), kind="decision", author=f"Eve{OSC52}",
             speaker=f"Bram{RESET}")
    add_note(store, mid, f"actie {RESET}", at=clock.now(), kind="action", author=f"Eve{CSI_C1}",
             owner=f"Anouk{RED_TITLE}")
    add_note(store, mid, f"=1+1{RED_TITLE}", at=clock.now(), author="Sanne")
    # RAW_TEXTS: title, place, 2 names, theme, goal, expertise, 3 notes, 2 authors, speaker, owner, 3 in the answers
    add_response(store, mid, f"Bram{RESET}", {"roti": 4, "top": f"top {OSC52}", "tip": f"tip {CSI_C1}"},
                 at=clock.now())
    store.close()
    return mid


def test_no_export_prints_stored_text_raw(capsys, db, tmp_path, hostile_store):
    mid = str(hostile_store)
    code, out, _err = run(capsys, "report", mid)  # Markdown to the terminal
    assert code == 0 and "Titel" in out
    assert_clean(out, "report md to stdout")
    for fmt in ("md", "html", "json", "csv"):
        target = tmp_path / f"verslag.{fmt}"
        code, out, err = run(capsys, "report", mid, "--format", fmt, "-o", str(target))
        assert code == 0, err
        text = target.read_text(encoding="utf-8-sig")
        assert_clean(text, f"report {fmt} file")
        if fmt == "json":  # JSON escapes ESC as \u001b: what a reader decodes must be clean too
            assert_clean(json.dumps(json.loads(text), ensure_ascii=False), "report json, decoded")
            assert "\\u001b" not in text
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
            assert {r["author"] for r in rows if r["section"] != "evaluation"} == {"Eve]52;c;aGVsbG8=", "Eve2J",
                                                                                   "Sanne"}
            assert any(r["text"].startswith("'=1+1") for r in rows)
    for fmt in ("json",):
        code, out, _err = run(capsys, "report", mid, "--format", fmt)
        assert_clean(json.dumps(json.loads(out), ensure_ascii=False), "report json to stdout")
    with capsys.disabled():
        print(f"reliability: text gate: {RAW_TEXTS} texts stored raw, 6 exports read back (md on the terminal; md, "
              "html, json, json decoded, csv files): no control character or direction override")


@pytest.mark.parametrize("argv", [("sessions",), ("network", "list"), ("network", "show", "Wijkzorg"),
                                  ("network", "search", "Wijkzorg", "besluit"), ("formats", "list")])
def test_no_command_prints_stored_text_raw(capsys, db, hostile_store, argv):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert out.strip()
    assert_clean(out, " ".join(argv))
    assert_clean(err, " ".join(argv) + " (errors)")


def test_an_error_message_does_not_echo_a_control_character(capsys, db):
    code, _out, err = run(capsys, "network", "show", f"Wijk{OSC52}zorg")
    assert code == 2
    assert_clean(err, "error line")


RAW_TEXTS = 17
COMMANDS = Path(__file__).resolve().parent.parent / "tui"


def test_no_command_prints_any_other_way_than_through_the_gate():
    """Every command prints with kring.tui.output.say: print(), sys.stdout.write and
    sys.stderr.write are not used in the command line's modules."""
    offenders = []
    for path in [COMMANDS / "cli.py", *sorted((COMMANDS / "commands").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Name) and f.id == "print":
                offenders.append(f"{path.name}:{node.lineno} print()")
            if isinstance(f, ast.Attribute) and f.attr == "write" and isinstance(f.value, ast.Attribute) \
                    and f.value.attr in ("stdout", "stderr"):
                offenders.append(f"{path.name}:{node.lineno} sys.{f.value.attr}.write()")
    assert not offenders


# --- the screens ------------------------------------------------------------------------


def _screen_strips(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_the_screens_show_no_control_character(db, clock, hostile_store, monkeypatch):
    """The agenda (title, place) and the note-taker's list (author column) on a store
    whose texts were written raw."""
    from kring.data.store import Store
    from kring.tui.app import KringApp
    from kring.tui.notes_app import NotesApp

    store = Store.open(str(db))
    try:
        for make in (lambda: KringApp(store, hostile_store, clock=clock, watch=False),
                     lambda: NotesApp(store, hostile_store, clock=clock, watch=False, author="Sanne")):
            app = make()
            async with app.run_test(size=(120, 36)) as pilot:
                await pilot.pause()
                text = _screen_strips(app)
                assert "Titel" in text or "besluit" in text, text
                assert_clean(text, type(app).__name__)
    finally:
        store.close()
