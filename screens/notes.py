"""The note-taker's screen: follow the meeting, type, Enter.

The live step, its countdown and who has the floor come from the store (the App's
follower), so this terminal follows the moderator's keys. The input has the focus
from the start; a note is filed under the step and speaker of its first
keystroke. Tab (or ↑) goes to the list to edit (e, Enter), delete (d) or see the
history (h) of a note; ctrl+g makes the note being typed, or the one selected,
confidential.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.markup import escape
from textual.widgets import Footer, Input, OptionList, Static

from kring.data.core.consent import ConsentRule
from kring.data.core.noteparse import MAX_NOTE_CHARS, ParsedNote
from kring.data.core.timeline import Timeline
from kring.data.i18n import _
from kring.data.labels import clock_time, kind_label
from kring.data.notes import note_history
from kring.screens.dialogs.note_history import NoteHistoryScreen
from kring.screens.live import LiveScreen
from kring.screens.notes_core import live_lines
from kring.tui.messages import ScreenShown
from kring.tui.widgets.notecompose import NoteComposer, Outcome
from kring.tui.widgets.noteinput import NoteInput, hint_text
from kring.tui.widgets.notelist import LOCK, NoteList, due_label

if TYPE_CHECKING:
    from kring.data.notes import DraftInfo
    from kring.tui.session import LiveMeeting

DRAFT_EVERY = 0.25  # seconds: how often a draft being typed is written at most


class NotesScreen(LiveScreen[None]):
    CSS_PATH = "notes.tcss"
    AUTO_FOCUS = "#note-input"
    BINDINGS = [
        Binding("ctrl+g", "toggle_confidential", _("Confidential"), id="notes.confidential", key_display="^g"),
        Binding("tab", "switch_focus", _("List"), id="notes.switch"),
        Binding("shift+tab", "switch_focus", _("List"), show=False, id="notes.switch_back"),
        Binding("up", "to_list", _("To the list"), show=False, id="notes.up"),
        Binding("escape", "escape", _("Stop editing"), show=False, id="notes.escape"),
    ]

    def __init__(self, live: LiveMeeting, composer: NoteComposer, *, draft: DraftInfo | None = None,
                 typed: bool = False) -> None:
        """`composer`: what is typed and sent (the App keeps it to rescue what the store
        never took); `draft`: a draft left by a terminal that died, to bring back, or
        (`typed`) what was typed on the first paint, before the store was open."""
        super().__init__(live)
        self.composer: NoteComposer | None = composer
        self._restored_draft = draft
        self._typed = typed
        self._draft_timer = None
        self._notice_timer = None
        self._shown: dict[str, object] = {}
        self._shared_key: tuple | None = None
        self._shared_uids: frozenset[str] = frozenset()
        self._numbers: dict[int, str] = {}  # step index -> its number on the agenda ("4.2" in a sub-agenda)

    def compose(self) -> ComposeResult:
        with Horizontal(id="notes-top"):
            yield Static(escape(self.live.meeting.title), id="notes-title", markup=True)
            yield Static("", id="notes-clock")
        with Horizontal(id="notes-live"):
            yield Static("", id="notes-step")
            yield Static("", id="notes-countdown")
        yield Static("", id="notes-floor")
        yield NoteList(id="note-list")
        yield Static(escape(hint_text()), id="notes-hint")
        yield Static("", id="notes-notice")
        yield NoteInput(placeholder=_("Type a note, Enter saves it"), id="note-input", composer=self.composer)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        draft = self._restored_draft
        if draft is not None and (draft.text or draft.data.get("edit")):
            notes = {n.uid: n for n in self.composer.notes()}
            text = self.composer.restore(draft, notes)
            self._input.set_text(text)
            if text and not self._typed:
                self.notify(_("Your unsent note is back, as you left it."), timeout=4)
        self.refresh_state()
        self.ticker = self.set_interval(0.25, self.refresh_state)
        self.call_after_refresh(self.post_message, ScreenShown())  # the notes are on screen

    def on_unmount(self) -> None:
        # closing (q, a dropped SSH connection): write the draft as it is now
        if self._draft_timer is not None and self.composer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
            self.composer.save_draft()

    def on_resize(self) -> None:
        self.set_class(self.size.height < 18 or self.size.width < 60, "-small")

    @property
    def _input(self) -> NoteInput:
        return self.query_one("#note-input", NoteInput)

    @property
    def _list(self) -> NoteList:
        return self.query_one("#note-list", NoteList)

    # --- showing --------------------------------------------------------------------------

    def _set(self, selector: str, text: str) -> None:
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector, Static).update(text)

    def refresh_state(self) -> None:
        if self.composer is None or not self.children:
            return
        tl = self.live.timeline()
        self._set("#notes-clock", clock_time(tl.now))
        self._show_live(tl)
        notes = self.composer.notes()
        self._numbers = {s.index: s.number for s in tl.steps}
        self._list.place_steps({index: (at, tl.steps[index].number) for at, index in enumerate(tl.order)})
        self._list.show(notes, self.live.author, self._shared(notes))
        self._show_draft(tl=tl)

    def _shared(self, notes) -> frozenset[str]:  # noqa: ANN001
        """The notes shown confidential in the store but shared by their case-bringer's consent."""
        events = self.live.events
        key = (notes, len(events), events[-1].uid if events else None)
        if self._shared_key is not None and self._shared_key[0] is notes and self._shared_key[1:] == key[1:]:
            return self._shared_uids
        rule = ConsentRule.of(self.live.format, events)
        uids = frozenset(n.uid for c in rule.consents.values() if c.share
                         for n in rule.case_notes(notes, c.name))
        self._shared_key, self._shared_uids = key, uids
        return uids

    def _show_live(self, tl: Timeline) -> None:
        live = tl.live
        step, clock, floor = live_lines(self.live, tl)
        if self.live.write_trouble:
            floor = "[b $warning]⚠ " + _("not saved yet, retrying") + "[/]  " + floor
        self._set("#notes-step", step)
        self._set("#notes-countdown", clock)
        self.query_one("#notes-countdown").set_class(live is not None and not tl.closed and live.remaining <= 0,
                                                     "-over")
        self._set("#notes-floor", floor)

    def _show_draft(self, parsed: ParsedNote | None = None, tl: Timeline | None = None) -> None:
        c = self.composer
        assert c is not None
        parsed = parsed or c.parse()
        if tl is None and c.editing is None and c.begun is None:
            tl = self.live.timeline()  # no note begun: derived once, for its filing and its default
        inp = self._input
        title = kind_label(parsed.kind)
        if parsed.kind == "action":
            if parsed.owner:
                title += " → " + parsed.owner
            if parsed.due:
                title += ", " + due_label(parsed.due)
        if c.editing is not None:
            title = _("Editing") + ": " + title
        step, step_title, speaker = c.filed_under(tl)
        if step is not None:
            where = f"{self._numbers.get(step, step + 1)}. {step_title}"
        else:  # outside any step: before it began, or after it closed
            where = _("after the close") if (tl or self.live.timeline()).closed else _("before the start")
        if len(where) > 28:
            where = where[:27] + "…"
        sub = where + (f" · {speaker}" if speaker else "")
        agreed = c.shared_by_consent(tl)
        confidential = c.is_confidential(tl) and agreed is None
        if confidential:
            sub = f"{LOCK} " + _("confidential") + " · " + sub
        elif agreed:
            sub = _("shared: {name} agreed").format(name=agreed) + " · " + sub
        if self._shown.get("title") != title:
            self._shown["title"] = title
            inp.border_title = escape(title)
        if self._shown.get("sub") != sub:
            self._shown["sub"] = sub
            inp.border_subtitle = escape(sub)
        inp.set_class(confidential, "-confidential")
        hint_class = ""
        if parsed.problems and parsed.kind == "action" and (parsed.owner_typed or parsed.due_typed):
            hint, hint_class = "⚠ " + parsed.problems[-1], "-problem"
        elif c.editing is not None:
            hint = _("Editing a saved note: Enter saves the change (the old version is kept), Esc leaves it.")
        elif parsed.kind == "action" and not parsed.owner_typed and c.text.strip():
            hint = _("An action: end it with @who and when, e.g. @Anouk friday")
        else:
            hint = hint_text()
        self._set("#notes-hint", escape(hint))
        self.query_one("#notes-hint").set_class(hint_class == "-problem", "-problem")

    # --- typing ------------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        # the composer already followed the keystroke (see NoteInput); show it and keep the draft
        if self.composer is None or event.input.id != "note-input":
            return
        self._show_draft()
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_EVERY, self.flush_draft)

    def flush_draft(self) -> None:
        """Write the draft now (the throttle timer calls this; tests may too)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = None
        if self.composer is not None:
            self.composer.save_draft()

    def _cancel_draft_timer(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None

    def show_notice(self, message: str, severity: str = "information", timeout: float | None = None) -> None:
        """A message in the hint's place, for `timeout` seconds: nothing is covered, and the
        list keeps its newest note in view (the App routes its notifications here)."""
        notice = self.query_one("#notes-notice", Static)
        at_end = self._list.scroll_y >= self._list.max_scroll_y
        notice.update(message)
        notice.set_classes(f"-{severity}")
        self.add_class("-noticing")
        if self._notice_timer is not None:
            self._notice_timer.stop()
        self._notice_timer = self.set_timer(timeout or 3, self._clear_notice)
        if at_end:
            self.call_after_refresh(self._list.scroll_end, animate=False)

    def _clear_notice(self) -> None:
        self._notice_timer = None
        self.remove_class("-noticing")

    def meeting_moved(self) -> None:
        """The App follows another meeting now: its title, its notes, its live step."""
        self._shown.clear()
        self.query_one("#notes-title", Static).update(escape(self.live.meeting.title))
        self.refresh_state()

    def _ask_after_close(self) -> None:
        from kring.screens.dialogs.confirm import ConfirmScreen

        meeting_id = self.live.meeting_id

        def done(yes: bool | None) -> None:
            if yes and self.composer is not None and self.live.meeting_id == meeting_id:
                self.composer.after_close = meeting_id
                self.call_later(self._input.action_submit)
            else:
                self.notify(_("Not saved: your note stays here."), timeout=3)

        self.app.push_screen(ConfirmScreen(_("The meeting '{title}' is closed. Add this note to it anyway?").format(
            title=escape(self.live.meeting.title))), done)

    def on_note_input_saved(self, event: NoteInput.Saved) -> None:
        outcome: Outcome = event.outcome
        if outcome.closed:
            self._ask_after_close()
            return
        if outcome.saved:
            self._cancel_draft_timer()
            if self.composer is not None and self.composer.text:
                self.flush_draft()  # typing went on after Enter: keep that as the draft
        if outcome.edited:
            self.call_after_refresh(self._list.follow_newest)
        for text, severity in outcome.messages:
            self.notify(text, severity=severity, timeout=6 if severity == "warning" else 3)  # type: ignore[arg-type]
        self.refresh_state()

    def on_note_input_pasted(self, event: NoteInput.Pasted) -> None:
        if event.length > MAX_NOTE_CHARS:
            self.notify(
                _("You pasted {n} characters; a note holds at most {max}. It is all kept in the input and your "
                  "draft: shorten it before Enter, or clear it with ctrl+u.").format(
                    n=f"{event.length:,}".replace(",", "\u00a0"), max=f"{MAX_NOTE_CHARS:,}".replace(",", "\u00a0")),
                severity="warning", timeout=8)

    # --- keys --------------------------------------------------------------------------------

    def action_switch_focus(self) -> None:
        if self._list.has_focus:
            self._input.focus()
        else:
            self.action_to_list()

    def action_to_list(self) -> None:
        lst = self._list
        if not lst.by_index:
            self.notify(_("No notes yet."), timeout=2)
            return
        lst.focus()
        if lst.selected_note is None:
            lst.select_last()

    def action_back_to_typing(self) -> None:
        self._input.focus()

    def action_escape(self) -> None:
        c = self.composer
        if c is not None and c.editing is not None:
            self._input.set_text(c.cancel_edit())
            self._show_draft()
            self._list.follow_newest()
            self.notify(_("Not changed."), timeout=2)
        elif self._list.has_focus:
            self._input.focus()

    def _selected(self):  # noqa: ANN202
        note = self._list.selected_note
        if note is None:
            self.notify(_("Select a note in the list first (Tab, then ↑ ↓)."), timeout=3)
        return note

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "note-list":
            self.action_edit_note()

    def action_edit_note(self) -> None:
        c = self.composer
        note = self._selected()
        if c is None or note is None:
            return
        self._cancel_draft_timer()
        text = c.start_edit(note)
        self._input.set_text(text)
        self._input.focus()
        self._show_draft()

    def action_delete_note(self) -> None:
        from kring.screens.dialogs.confirm import ConfirmScreen

        c = self.composer
        note = self._selected()
        if c is None or note is None:
            return

        def done(yes: bool | None) -> None:
            if not yes:
                return
            if c.editing is not None and c.editing.uid == note.uid:
                self._input.set_text(c.cancel_edit())
            near = self._list.neighbour(note.uid) if self._list.selected_note is note else None
            c.delete(note)
            self.notify(_("Deleted. Its history stays in the store."), timeout=3)
            self.refresh_state()
            # the next ↓ goes on from the neighbouring note, not from the top
            self.call_after_refresh(lambda: self._list.select_uid(near) or self._list.follow_newest())

        preview = note.text if len(note.text) <= 60 else note.text[:59] + "…"
        self.app.push_screen(ConfirmScreen(_("Delete this note? {text}").format(text=escape(preview))), done)

    def action_toggle_confidential(self) -> None:
        """ctrl+g acts on what has the focus: the note selected in the list, or the one being typed.

        Lifting confidentiality in a confidential step always asks first.
        """
        c = self.composer
        if c is None:
            return
        if self._list.has_focus:
            note = self._list.selected_note
            if note is None:
                self.notify(_("No note selected: nothing changed. Choose one with ↑ ↓, or Esc to type."), timeout=3)
                return
            rule = ConsentRule.of(self.live.format, self.live.events)
            value = not rule.confidential(stored=note.confidential, step_index=note.step_index, at=note.at,
                                          uid=note.uid)

            def apply_to_note() -> None:
                c.set_confidential(note, value)
                self.notify(_("This note is confidential now: left out of every export.") if value
                            else _("This note is no longer confidential."), timeout=3)
                self.refresh_state()

            self._ask_to_lift(value, self.live.format.is_confidential(note.step_index),
                              apply_to_note, quoted=note.text)
            return
        tl = self.live.timeline()
        value = not (c.is_confidential(tl) and c.shared_by_consent(tl) is None)

        def apply_to_draft() -> None:
            c.toggle_confidential(value)
            self.notify(_("This note is confidential: left out of every export.") if value
                        else _("This note is not confidential."), timeout=3)
            self._show_draft()

        self._ask_to_lift(value, c.in_confidential_step(tl), apply_to_draft)

    def _ask_to_lift(self, value: bool, confidential_step: bool, apply, quoted: str = "") -> None:  # noqa: ANN001
        """Apply at once, unless this lifts confidentiality in a confidential step: then ask,
        quoting the note (as deleting does) so that it is plain which one goes round."""
        from kring.screens.dialogs.confirm import ConfirmScreen

        if value or not confidential_step:
            apply()
            return

        def done(yes: bool | None) -> None:
            if yes:
                apply()
            else:
                self.notify(_("Still confidential."), timeout=2)

        question = _("This note was taken in a confidential step. Lift its confidentiality, so that it appears "
                     "in the report that is sent round?")
        if quoted:
            question += " " + escape(quoted if len(quoted) <= 60 else quoted[:59] + "…")
        self.app.push_screen(ConfirmScreen(question), done)

    def action_note_history(self) -> None:
        note = self._selected()
        if note is not None:
            self._load_history(note.uid)

    @work(thread=True, exclusive=True, group="history")
    def _load_history(self, uid: str) -> None:
        revisions = note_history(self.live.store, uid)
        self.app.call_from_thread(partial(self.app.push_screen, NoteHistoryScreen(revisions)))
