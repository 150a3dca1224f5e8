"""What the terminal sends, read by kring's input thread (kring.tui.terminal_input): a
bracketed paste is one paste whatever it holds, and a byte that is not UTF-8 does not
end the App."""

from __future__ import annotations

from textual import events

from kring.tui.terminal_input import PasteWholeParser

START, END = "\x1b[200~", "\x1b[201~"
HOSTILE = "A\x1b]0;TITEL\x07B\x1b[31mC\x07D\u2026F\rG"  # a title, a colour, BELs, a CR


def parsed(*chunks: str) -> list[tuple[str, str | None]]:
    parser = PasteWholeParser()
    out = []
    for chunk in chunks:
        for message in parser.feed(chunk):
            if isinstance(message, events.Paste):
                out.append(("paste", message.text))
            elif isinstance(message, events.Key):
                out.append((message.key, message.character))
    return out


def test_a_paste_with_escapes_and_bels_is_one_paste_and_no_key():
    assert parsed(START + HOSTILE + END) == [("paste", HOSTILE)]


def test_keys_around_a_paste_keep_their_order():
    assert parsed("x" + START + HOSTILE + END + "y\r") == [
        ("x", "x"), ("paste", HOSTILE), ("y", "y"), ("enter", "\r")]


def test_marks_cut_between_reads():
    text = "q" + START + HOSTILE + END + "z"
    for cut in range(1, len(text)):
        assert parsed(text[:cut], text[cut:]) == [("q", "q"), ("paste", HOSTILE), ("z", "z")], cut
    assert parsed(*text) == [("q", "q"), ("paste", HOSTILE), ("z", "z")]  # a character a read


def test_two_pastes_and_an_escape_sequence_typed_after():
    assert parsed(START + "a" + END + START + "\x1b" + END + "\x1b[D") == [
        ("paste", "a"), ("paste", "\x1b"), ("left", None)]


def test_an_unfinished_paste_gives_no_key():
    assert parsed(START + "abc\x07\r") == []
