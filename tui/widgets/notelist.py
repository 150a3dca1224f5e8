"""The note-taker's list of notes, grouped under the agenda step they were filed in."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kring.data.i18n import _
from kring.data.labels import kind_label
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


def due_label(due: str | None) -> str:
    if not due:
        return ""
    import pendulum

    from kring.data import i18n

    try:
        return pendulum.parse(due).format("dd D MMM", locale=i18n.current()).rstrip(".")
    except Exception:  # noqa: BLE001 - shown as stored
        return due


def short(text: str, limit: int = SHOWN_CHARS) -> str:
    one_line = " ↵ ".join(part.strip() for part in text.splitlines()) if "\n" in text else text
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def note_line(note: NoteInfo, me: str) -> Content:
    parts: list[str | Content | tuple[str, str]] = [(note.at.format("HH:mm") + " ", "$text-muted")]
    if note.confidential:
        parts.append(LOCK + " ")
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
        parts.append((f"  ✎ {note.author}", "$text-muted italic"))
    return Content.assemble(*parts)


def step_heading(index: int | None, title: str) -> Content:
    if index is None:
        return Content.assemble((_("Before the start"), "bold $primary"))
    return Content.assemble((f"{index + 1}. {title}", "bold $primary"))


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
        self._shown: tuple | None = None
        self._last_list: list[NoteInfo] | None = None
        self.by_index: list[NoteInfo | None] = []
        self._sized: tuple | None = None  # what the last layout pass gave (see _size_updated)

    def show(self, notes: list[NoteInfo], me: str) -> None:
        """Redraw only when a note was added, changed or removed."""
        if notes is self._last_list:
            return  # the composer hands back the very same list while nothing changed
        self._last_list = notes
        key = tuple((n.uid, n.revision, n.kind, n.text, n.confidential, n.owner, n.due, n.step_index) for n in notes)
        if key == self._shown:
            return
        self._shown = key
        selected = self.selected_note
        options: list[Option] = []
        by_index: list[NoteInfo | None] = []
        step: object = object()
        for note in sorted(notes, key=lambda n: (-1 if n.step_index is None else n.step_index, n.at)):
            if note.step_index != step:
                step = note.step_index
                options.append(Option(step_heading(note.step_index, note.step_title), disabled=True))
                by_index.append(None)
            options.append(Option(note_line(note, me), id=note.uid))
            by_index.append(note)
        at_end = self.highlighted is None or self.highlighted >= len(self.by_index) - 1
        self.by_index = by_index
        self.set_options(options)
        if selected is not None and any(n is not None and n.uid == selected.uid for n in by_index):
            self.highlighted = self.get_option_index(selected.uid)
        if at_end or selected is None:
            self.scroll_end(animate=False)

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

    def select_last(self) -> None:
        for i in range(len(self.by_index) - 1, -1, -1):
            if self.by_index[i] is not None:
                self.highlighted = i
                return
