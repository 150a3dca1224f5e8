"""The note-taker's list of notes, grouped under the agenda step they were filed in."""

from __future__ import annotations

from itertools import compress
from operator import is_not
from typing import Sequence

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kring.data.i18n import _
from kring.data.labels import author_label, clock_time, due_label, kind_label
from kring.data.notes import NoteInfo

# how long a note may show in the list; the whole text is kept and edited in full
SHOWN_CHARS = 300

KIND_STYLE = {
    "decision": "bold $success",
    "action": "bold $warning",
    "insight": "bold $secondary",
    "question": "bold $accent",
    "parking": "bold $text-muted",
    "quote": "italic $foreground",
    "note": "$text-muted",
}
LOCK = "🔒"
UNLOCK = "🔓"  # confidential step, shared because the case-bringer agreed
KEPT_WIDTHS = 4  # a row keeps its height at this many widths (a terminal resized and back)
SAME_ROWS_CHECKED = 64  # more notes changed than this (the store read again): set every row again


def short(text: str, limit: int = SHOWN_CHARS) -> str:
    one_line = " ↵ ".join(part.strip() for part in text.splitlines()) if "\n" in text else text
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def note_line(note: NoteInfo, me: str, shared: bool = False) -> Content:
    """One note's row. A confidential note carries the lock (never told by colour alone);
    one its case-bringer agreed to share carries the open lock."""
    parts: list[str | Content | tuple[str, str]] = [(clock_time(note.at) + " ", "$text-muted")]
    if note.confidential:
        parts.append((UNLOCK + " ") if shared else (LOCK + " "))
    if note.kind != "note":
        parts.append((kind_label(note.kind).upper() + " ", KIND_STYLE.get(note.kind, "")))
    parts.append(short(note.text))
    if note.kind == "action":
        who = note.owner or _("no owner yet")
        when = due_label(note.due)
        parts.append((f"  → {who}" + (f", {when}" if when else ""), "$warning"))
    if note.speaker:
        parts.append((f"  · {note.speaker}", "$text-muted"))
    if note.author != me:
        parts.append((f"  ✎ {author_label(note.author)}", "$text-muted italic"))
    return Content.assemble(*parts)


# Where a step stands in the agenda and how it is numbered: a sub-agenda's steps
# (indices after the meeting's own) stand under the step they run in, as "4.2".
Places = dict[int, tuple[int, str]]  # step index -> (position in the agenda, number)
UNPLACED = 10_000  # a step the list was not told about: after the known ones, by index


def _step_order(note: NoteInfo, places: Places | None = None) -> int:
    if note.step_index is None:
        return -1
    place = (places or {}).get(note.step_index)
    return place[0] if place is not None else UNPLACED + note.step_index


def _same_row(a: NoteInfo, b: NoteInfo) -> bool:
    """Whether the two versions of a note show the same (in the list, and under the same step)."""
    return (a.revision == b.revision and a.kind == b.kind and a.text == b.text and a.confidential == b.confidential
            and a.owner == b.owner and a.due == b.due and a.speaker == b.speaker and a.author == b.author
            and a.step_index == b.step_index and a.step_title == b.step_title and a.at == b.at)


class Row(Option):
    """An option that keeps how many lines it wraps to, at the last few widths it was measured at."""

    __hash__ = object.__hash__  # by identity, as Option's own, without a Python call per lookup

    def __init__(self, prompt: Content, id: str | None = None, disabled: bool = False) -> None:  # noqa: A002
        super().__init__(prompt, id=id, disabled=disabled)
        self.measured: dict[int, int] = {}  # width -> lines


def step_heading(index: int | None, title: str, places: Places | None = None) -> Content:
    if index is None:
        return Content.assemble((_("Before the start"), "bold $primary"))
    place = (places or {}).get(index)
    number = place[1] if place is not None else str(index + 1)
    return Content.assemble((("   " if "." in number else "") + f"{number}. {title}", "bold $primary"))


class NoteList(OptionList):
    """Select a note with the arrows; Enter or e edits it, d deletes it, Esc goes back to typing."""

    BINDINGS = [
        Binding("e", "screen.edit_note", _("Edit"), id="notes.edit"),
        Binding("d,delete", "screen.delete_note", _("Delete"), id="notes.delete", key_display="d"),
        Binding("escape", "screen.back_to_typing", _("Back to typing"), id="notes.back", show=False),
        Binding("h", "screen.note_history", _("History"), id="notes.history", show=False),
    ]

    DEFAULT_CSS = """
    NoteList { border: none; padding: 0; background: $background; height: 1fr; }
    NoteList:focus { background-tint: $primary 8%; }
    """

    def __init__(self, **kw) -> None:  # noqa: ANN003
        super().__init__(**kw)
        self._last_list: list[NoteInfo] | None = None
        self.by_index: list[NoteInfo | None] = []
        self._sized: tuple | None = None  # what the last layout pass gave (see _size_updated)
        # A row is made once per note as shown and kept while it shows the same:
        # with thousands of notes, making every row again and measuring how many
        # lines each wraps to took a second for each note added.
        self._rows: dict[str, tuple[NoteInfo, Row]] = {}  # uid -> the note as its row shows it, the row
        self._heading_rows: dict[tuple[int | None, str], Row] = {}
        self.shared: frozenset[str] = frozenset()  # uids shared by their case-bringer's consent
        self.places: Places = {}

    def place_steps(self, places: Places) -> None:
        """The agenda's order and numbering (it changes when a sub-agenda starts): set the rows again."""
        if places != self.places:
            self.places, self._last_list, self._heading_rows = places, None, {}

    def show(self, notes: Sequence[NoteInfo], me: str, shared: frozenset[str] = frozenset()) -> None:
        """Redraw only when a note was added, changed or removed.

        `notes` come in the order they were begun. What changed since the last
        list is found by identity (unchanged notes keep their objects): a note
        the store confirmed changes no row, a note added under the last step adds
        its rows at the end; anything else sets the rows again, each kept row as
        it was (made and measured once).
        """
        if shared != self.shared:  # a consent given or withdrawn: those rows are made again
            for uid in shared ^ self.shared:
                self._rows.pop(uid, None)
            self.shared, self._last_list = shared, None
        if notes is self._last_list:
            return  # the composer hands back the very same list while nothing changed
        before, self._last_list = self._last_list, notes
        if before is not None and (self._same_rows(before, notes) or self._appended(before, notes, me)):
            return
        self._set_rows(notes, me)

    def _row(self, note: NoteInfo, me: str) -> Row:
        entry = self._rows.get(note.uid)
        if entry is None or not (entry[0] is note or _same_row(entry[0], note)):
            entry = (note, Row(note_line(note, me, note.uid in self.shared), id=note.uid))
        self._rows[note.uid] = (note, entry[1])
        return entry[1]

    def _heading(self, note: NoteInfo) -> Row:
        where = (note.step_index, note.step_title)
        heading = self._heading_rows.get(where)
        if heading is None:
            heading = self._heading_rows[where] = Row(step_heading(*where, self.places), disabled=True)
        return heading

    def _same_rows(self, before: Sequence[NoteInfo], notes: Sequence[NoteInfo]) -> bool:
        """The same notes, some in a newer version that shows the same: keep the rows."""
        if len(before) != len(notes):
            return False
        changed = list(compress(range(len(notes)), map(is_not, before, notes)))
        if len(changed) > SAME_ROWS_CHECKED:
            return False
        for i in changed:
            if before[i].uid != notes[i].uid or not _same_row(before[i], notes[i]):
                return False
        for i in changed:
            note = notes[i]
            self.by_index[self.get_option_index(note.uid)] = note
            self._rows[note.uid] = (note, self._rows[note.uid][1])
        return True

    def _appended(self, before: Sequence[NoteInfo], notes: Sequence[NoteInfo], me: str) -> bool:
        """Notes added under the last step shown (or a later one): add their rows at the end."""
        count = len(before)
        if len(notes) <= count or not before or notes[:count] != before:
            return False
        added = sorted(notes[count:], key=lambda n: _step_order(n, self.places))
        last = self.by_index[-1]  # the last row shown: the latest note under the latest step
        if last is None or _step_order(added[0], self.places) < _step_order(last, self.places):
            return False
        options: list[Option] = []
        by_index: list[NoteInfo | None] = []
        step = last.step_index
        for note in added:
            if note.step_index != step:
                step = note.step_index
                options.append(self._heading(note))
                by_index.append(None)
            options.append(self._row(note, me))
            by_index.append(note)
        selected = self.selected_note
        at_end = self.highlighted is None or self.highlighted >= len(self.by_index) - 1
        self.by_index = self.by_index + by_index
        self.add_options(options)
        # where setting every row again would have left the list (see _set_rows)
        if selected is None:
            self.highlighted = None
        elif not at_end:
            self.scroll_y = 0
            self.scroll_to_highlight()
        if at_end or selected is None:
            self.scroll_end(animate=False)
        return True

    def _set_rows(self, notes: Sequence[NoteInfo], me: str) -> None:
        options: list[Option] = []
        by_index: list[NoteInfo | None] = []
        known, self._rows = self._rows, {}
        known_headings, self._heading_rows = self._heading_rows, {}
        step: object = object()
        # A stable sort on the step alone groups the notes under their steps and
        # keeps the order they were begun in within each.
        for note in sorted(notes, key=lambda n: _step_order(n, self.places)):
            if note.step_index != step:
                step = note.step_index
                where = (note.step_index, note.step_title)
                self._heading_rows[where] = known_headings.get(where) or Row(step_heading(*where, self.places),
                                                                             disabled=True)
                options.append(self._heading_rows[where])
                by_index.append(None)
            entry = known.get(note.uid)
            if entry is None or not (entry[0] is note or _same_row(entry[0], note)):
                entry = (note, Row(note_line(note, me, note.uid in self.shared), id=note.uid))
            self._rows[note.uid] = (note, entry[1])
            options.append(entry[1])
            by_index.append(note)
        if len(options) == len(self._options) and all(a is b for a, b in zip(options, self._options)):
            self.by_index = by_index  # the same rows: the newest version of each note, nothing to draw
            return
        selected = self.selected_note
        at_end = self.highlighted is None or self.highlighted >= len(self.by_index) - 1
        self.by_index = by_index
        self.set_options(options)
        if selected is not None and selected.uid in self._rows:
            self.highlighted = self.get_option_index(selected.uid)
        if at_end or selected is None:
            self.scroll_end(animate=False)

    def _update_lines(self) -> None:
        """OptionList's own, except that a row's height is measured once per width.

        Textual measures every option again (wrapping its text) whenever the
        options are set; a kept row keeps its height.
        """
        if not self.scrollable_content_region:
            return
        line_cache = self._line_cache
        lines = line_cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        if next_index < len(self.options):
            padding = self.get_component_styles("option-list--option").padding
            inner = width - padding.width
            styles = self.styles
            for index, option in enumerate(self.options[next_index:], next_index):
                line_cache.index_to_line[index] = len(lines)
                measured = getattr(option, "measured", None)
                height = None if measured is None else measured.get(inner)
                if height is None:
                    height = self._measure(option, styles, inner)
                    if measured is not None:
                        if len(measured) >= KEPT_WIDTHS:
                            measured.clear()
                        measured[inner] = height
                line_count = height + option._divider
                line_cache.heights[index] = line_count
                lines.extend([(index, line_no) for line_no in range(line_count)])
        last_divider = self.options and self.options[-1]._divider
        virtual_size = Size(width, len(lines) - (1 if last_divider else 0))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def _measure(self, option: Option, styles, width: int) -> int:  # noqa: ANN001
        """How many lines the option wraps to at `width`: a one-line text that fits is one
        (most notes; wrapping each of thousands again made a resize take half a second)."""
        prompt = option.prompt
        if isinstance(prompt, Content):
            plain = prompt.plain
            if "\n" not in plain and "\t" not in plain and prompt.cell_length <= width:
                return 1
        return self._get_visual(option).get_height(styles, width)

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:  # noqa: ANN001
        """Skip a layout pass that changed nothing here.

        A ScrollView compares the layout's virtual size with its own (the list's
        lines), which always differ, so every layout of the screen (Textual's
        input asks for one on each key) refreshed the scrollbar: 27 lines
        repainted and sent per key, only once the notes fill the list.
        """
        seen = (size, virtual_size, container_size, self.virtual_size, self.scroll_offset)
        if seen == self._sized:
            return False
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        self._sized = (size, virtual_size, container_size, self.virtual_size, self.scroll_offset)
        return changed

    @property
    def selected_note(self) -> NoteInfo | None:
        if self.highlighted is None or self.highlighted >= len(self.by_index):
            return None
        return self.by_index[self.highlighted]

    def follow_newest(self) -> None:
        """After an edit or a delete: no note held, and the newest one in view again."""
        self.highlighted = None
        self.scroll_end(animate=False, immediate=True)

    def neighbour(self, uid: str) -> str | None:
        """The note after `uid` in the list, else the one before: where the selection goes
        once `uid` is deleted (not back to the top)."""
        notes = [n.uid for n in self.by_index if n is not None]
        if uid not in notes:
            return None
        at = notes.index(uid)
        rest = notes[at + 1:] + notes[:at][::-1]
        return rest[0] if rest else None

    def select_uid(self, uid: str | None) -> bool:
        """Hold the note `uid`, if the list shows it."""
        if uid is None or uid not in self._rows:
            return False
        self.highlighted = self.get_option_index(uid)
        self.scroll_to_highlight()
        return True

    def select_last(self) -> None:
        for i in range(len(self.by_index) - 1, -1, -1):
            if self.by_index[i] is not None:
                self.highlighted = i
                return
