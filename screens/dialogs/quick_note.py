"""The moderator's quick note (the agenda's `m`): one line, Enter saves, Esc keeps
it as a draft. While the note is confidential its text is masked as it is typed:
the agenda is on the projector."""

from __future__ import annotations

from kring.data.i18n import _
from kring.data.labels import due_label, kind_label
from kring.tui.widgets.notecompose import NoteComposer
from kring.tui.widgets.noteinput import NoteInput, hint_text
from kring.tui.widgets.notelist import LOCK
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class QuickNoteScreen(ModalScreen[None]):
    """One line for the moderator's own note; Enter saves, Esc keeps it as a draft."""

    DEFAULT_CSS = """
    QuickNoteScreen { align: center middle; }
    #quick-note { width: 90%; max-width: 100; height: auto; border: heavy $primary; background: $surface;
                  padding: 0 1; }
    #quick-note .title { text-style: bold; color: $primary; }
    #quick-hint { color: $text-muted; }
    #quick-hint.-problem { color: $warning; }
    """
    BINDINGS = [
        Binding("escape", "close", _("Close (the draft is kept)"), id="notes.quick.close"),
        Binding("ctrl+g", "toggle_confidential", _("Confidential"), id="notes.quick.confidential",
                key_display="^g"),
    ]
    AUTO_FOCUS = "#quick-input"
    DRAFT_EVERY = 0.25

    def __init__(self, composer: NoteComposer) -> None:
        super().__init__()
        self.composer = composer
        self._timer = None

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-note"):
            yield Static(_("Quick note"), classes="title")
            yield Static(escape(hint_text()), id="quick-hint")
            yield NoteInput(placeholder=_("Type a note, Enter saves it"), id="quick-input", composer=self.composer)
            yield Static(escape(_("Enter saves  ·  Esc closes (what you typed is kept)  ·  ctrl+g confidential")))

    @property
    def _input(self) -> NoteInput:
        return self.query_one("#quick-input", NoteInput)

    def on_mount(self) -> None:
        if self.composer.text:
            self._input.set_text(self.composer.text)
        self._show()

    @property
    def _saved_step(self) -> int | None:
        return self.composer.last_saved_step

    def _show(self) -> None:
        c = self.composer
        parsed = c.parse()
        inp = self._input
        # typed blind while confidential: the agenda is on the projector
        inp.password = c.confidential
        title = kind_label(parsed.kind)
        if parsed.kind == "action" and parsed.owner:
            title += " → " + parsed.owner + (", " + due_label(parsed.due) if parsed.due else "")
        step, step_title, speaker = c.filed_under()
        where = _("step {n}").format(n=c.step_number(step)) if step is not None else _("before the start")
        sub = where + (f" · {speaker}" if speaker else "")
        if c.confidential:
            sub = f"{LOCK} " + _("confidential, hidden as you type") + " · " + sub
        inp.border_title = escape(title)
        inp.border_subtitle = escape(sub)
        hint = self.query_one("#quick-hint", Static)
        problem = parsed.problems[-1] if parsed.problems and (parsed.owner_typed or parsed.due_typed) else ""
        hint.update(escape("⚠ " + problem if problem else hint_text()))
        hint.set_class(bool(problem), "-problem")

    def on_input_changed(self, event: Input.Changed) -> None:
        # the composer already followed the keystroke (see NoteInput)
        event.stop()
        self._show()
        if self._timer is None:
            self._timer = self.set_timer(self.DRAFT_EVERY, self.flush_draft)

    def flush_draft(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = None
        self.composer.save_draft()

    def on_note_input_saved(self, event: NoteInput.Saved) -> None:
        event.stop()
        outcome = event.outcome
        for text, severity in outcome.messages:
            self.app.notify(text, severity=severity, timeout=6 if severity == "warning" else 3)  # type: ignore[arg-type]
        if not outcome.saved:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        step = self._saved_step
        where = _("step {n}").format(n=self.composer.step_number(step)) if step is not None \
            else _("before the start")
        # says where, never what: the text may be confidential
        self.app.notify(_("Note saved under {where}.").format(where=where), timeout=3)
        self.dismiss()

    def action_toggle_confidential(self) -> None:
        """The quick note follows the note-taker's rules: lifting confidentiality in a
        confidential step asks first, and the choice is the moderator's own."""
        from kring.screens.dialogs.confirm import ConfirmScreen

        c = self.composer
        value = not c.confidential  # masked while stored confidential, consent or not: a projector
        if value or not c.in_confidential_step():
            c.toggle_confidential(value)
            self._show()
            return

        def done(yes: bool | None) -> None:
            if yes:
                c.toggle_confidential(value)
            self._show()

        self.app.push_screen(ConfirmScreen(
            _("This note was taken in a confidential step. Lift its confidentiality, so that it appears "
              "in the report that is sent round?")), done)

    def action_close(self) -> None:
        self.flush_draft()
        if self.composer.text.strip():
            self.app.notify(_("Kept as a draft: press m to go on with it."), timeout=3)
        self.dismiss()
