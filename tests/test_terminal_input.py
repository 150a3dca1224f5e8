"""What the terminal sends, read by kring's input thread (kring.tui.terminal_input): a
bracketed paste is one paste whatever it holds, and a byte that is not UTF-8 does not
end the App."""

from __future__ import annotations

from textual import events

from kring.tui.terminal_input import PasteWholeParser

START, END = "\x1b[200~", "\x1b[201~"
HOSTILE = "A\x1b]0;TITEL\x07B\x1b[31mC\x07D\u2026F\rG"  # a title, a colour, BELs, a CR
GATED = "ABCD\u2026F\nG"  # as the text gate lets it in (textgate.clean_pasted)


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
    assert parsed(START + HOSTILE + END) == [("paste", GATED)]


def test_keys_around_a_paste_keep_their_order():
    assert parsed("x" + START + HOSTILE + END + "y\r") == [
        ("x", "x"), ("paste", GATED), ("y", "y"), ("enter", "\r")]


def test_marks_cut_between_reads():
    text = "q" + START + HOSTILE + END + "z"
    for cut in range(1, len(text)):
        assert parsed(text[:cut], text[cut:]) == [("q", "q"), ("paste", GATED), ("z", "z")], cut
    assert parsed(*text) == [("q", "q"), ("paste", GATED), ("z", "z")]  # a character a read


def test_two_pastes_and_an_escape_sequence_typed_after():
    assert parsed(START + "a" + END + START + "\x1b" + END + "\x1b[D") == [
        ("paste", "a"), ("paste", ""), ("left", None)]


def test_an_unfinished_paste_gives_no_key():
    assert parsed(START + "abc\x07\r") == []


def test_the_gate_takes_a_pastes_escape_sequences_whole():
    from kring.data.core.textgate import clean_pasted

    assert clean_pasted("\x1b[1;31mrood\x1b[0m en \x9b32mgroen") == "rood en groen"  # copied terminal output
    assert clean_pasted("a\x1b]52;c;aGFjaw==\x1b\\b\x1bcc\x1b]0;open") == "abc"  # OSC 52, ESC c, an OSC left open
    assert clean_pasted("José\tzegt:\r\nja\x00\x07") == "José zegt:\nja"  # then clean_block: NFC, tab, CRLF, NUL, BEL
