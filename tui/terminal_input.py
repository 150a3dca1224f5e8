"""What the terminal sends, read so that no byte and no paste can take the screen down.

Two things in Textual's input thread (its Linux driver) are replaced here:

- It decodes with a strict UTF-8 decoder: one byte that is not UTF-8 (a Latin-1
  "é", a raw 0x9b pasted) raised UnicodeDecodeError in the input thread, and
  the App panicked with a traceback. Here such a byte becomes U+FFFD.
- Its parser, inside a bracketed paste, follows an escape sequence of the
  paste as if typed: each ESC and what follows it (up to the next ESC, or 32
  characters) came out as keypresses, so a BEL was ctrl+g and a CR was Enter,
  and the paste's text arrived after them. Here everything between the paste's
  start and end marks is one paste, whatever it holds; its controls go through
  the text gate where it is put into an input (textgate.clean_block).
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder
from typing import Any, Iterable

from textual import events
from textual._parser import ParseError
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message


class PasteWholeParser(XTermParser):
    """Textual's parser, except that a bracketed paste is read here, up to its end mark
    only: what lies between never reaches the key parser."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._seen = ""  # the last characters given to the key parser (a start mark may be cut in two)
        self._pasting: str | None = None  # the paste read so far, while in one

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input
            yield from super().feed(data)
            return
        while data:
            if self._pasting is None:
                seen = self._seen + data
                at = seen.find(BRACKETED_PASTE_START)
                if at < 0:
                    self._seen = seen[-(len(BRACKETED_PASTE_START) - 1):]
                    yield from super().feed(data)
                    return
                # the key parser takes the start mark (it then waits for the end mark)
                cut = at + len(BRACKETED_PASTE_START) - len(self._seen)
                yield from super().feed(data[:cut])
                self._seen, self._pasting, data = "", "", data[cut:]
            else:
                pasted = self._pasting + data
                at = pasted.find(BRACKETED_PASTE_END)
                if at < 0:
                    self._pasting = pasted
                    return
                self._pasting, data = None, pasted[at + len(BRACKETED_PASTE_END):]
                # through the one gate here, for every input (Textual's Input would keep the
                # controls of a paste's first line in its value)
                from kring.data.core.textgate import clean_pasted  # with the first paste, not at start-up

                yield events.Paste(clean_pasted(pasted[:at]))
                # the end mark ends the key parser's paste; the empty paste it gives for it goes
                for message in super().feed(BRACKETED_PASTE_END):
                    if not isinstance(message, events.Paste):
                        yield message


class TerminalInput:
    """For a Textual LinuxDriver subclass: its input thread, with the parser above and
    undecodable bytes replaced."""

    def run_input_thread(self: Any) -> None:
        # Textual's LinuxDriver.run_input_thread (textual 8), with these two changes
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        parser = PasteWholeParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="replace").decode

        def process(selector_events: list[tuple[Any, int]], final: bool = False) -> None:
            for index, (_key, mask) in enumerate(selector_events):
                if mask & selectors.EVENT_READ:
                    last = index == len(selector_events) - 1
                    text = decode(os.read(self.fileno, 1024 * 4), final=final and last)
                    if not text:  # stdin is piped and at its end
                        break
                    for message in parser.feed(text):
                        self.process_message(message)
            for message in parser.tick():
                self.process_message(message)

        try:
            while not self.exit_event.is_set():
                process(selector.select(0.1))
            selector.unregister(self.fileno)
            process(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _message in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
