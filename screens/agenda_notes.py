"""The agenda screen's notes part: its keys, its panel and how it refreshes.

AgendaScreen inherits this class, so its BINDINGS and actions join the agenda's
(Textual merges BINDINGS along the class hierarchy).

The agenda is on the projector, so the panel shows how many notes came in (in
all, in this step, per step) and the newest decision or action that is not
confidential; never a confidential note's text. `m` opens a small box for a
quick note of the moderator's own; while that note is confidential its text is
masked as it is typed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from kring.data.core.timeline import Timeline
from kring.data.i18n import _
from kring.data.labels import kind_label
from kring.data.notes import NotesFigures, draft_key, load_draft
from kring.tui.widgets.notecompose import NoteComposer
from kring.tui.widgets.noteinput import NoteInput
from kring.tui.widgets.notelist import LOCK, due_label, short

PANEL_TEXT_CHARS = 90


def panel_text(figures: NotesFigures | None, current: int | None, compact: bool = False) -> str:
    """The panel's markup. Built from counts and the newest *public* decision or action only.
    Compact (a small terminal): the counts for the whole meeting and this step, one line."""
    if figures is None or figures.total == 0:
        return ""
    line = "✎ " + _("Notes: {n}").format(n=figures.total)
    if current is not None:
        line += "  ·  " + _("this step: {n}").format(n=figures.per_step.get(current, 0))
    if compact:
        return line
    steps = sorted(k for k, v in figures.per_step.items() if v and k >= 0)
    if len(steps) > 1 or (steps and steps[0] != current):
        line += "  ·  " + _("per step:") + " " + "  ".join(f"{k + 1}:{figures.per_step[k]}" for k in steps)
    lines = [line]
    latest = figures.latest_public
    if latest is not None and not latest.confidential:
        text = f"[b]{escape(kind_label(latest.kind))}:[/b] {escape(short(latest.text, PANEL_TEXT_CHARS))}"
        if latest.kind == "action" and (latest.owner or latest.due):
            who = escape(latest.owner or "?")
            text += f"  → {who}" + (f", {escape(due_label(latest.due))}" if latest.due else "")
        lines.append(text)
    return "\n".join(lines)


class NotesPart(Screen):
    BINDINGS = [
        Binding("m", "quick_note", _("Note"), id="notes.quick", show=False),
    ]

    def notes_panel(self) -> Widget:
        """The widget this part shows beside the countdown (hidden while empty)."""
        panel = Static("", id="notes-panel", classes="side-panel")
        panel.display = False
        return panel

    def refresh_notes(self, tl: Timeline) -> None:
        """Called on every refresh with the derived timeline; update only what changed."""
        figures = self.app.snapshot.extra.get("notes")
        text = panel_text(figures, None if tl.closed else tl.current, compact=self.has_class("-small"))
        panel = self.query_one("#notes-panel", Static)
        if getattr(panel, "_kring_text", None) != text:
            panel._kring_text = text  # type: ignore[attr-defined]
            panel.update(text)
            panel.display = bool(text)

    def action_quick_note(self) -> None:
        composer = self.__dict__.get("_quick_composer")
        if composer is None:
            composer = NoteComposer(self.app)
            # the first time only: a quick note left behind by a crash comes back
            draft = load_draft(self.app.store, self.app.meeting_id, draft_key(self.app.author, self.app.role))
            if draft is not None and draft.text:
                notes = {n.uid: n for n in composer.notes()}
                composer.restore(draft, notes)
            self.__dict__["_quick_composer"] = composer
        self.app.push_screen(QuickNoteScreen(composer))


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
        from kring.screens.notes import hint_text

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
        where = _("step {n}").format(n=step + 1) if step is not None else _("before the start")
        sub = where + (f" · {speaker}" if speaker else "")
        if c.confidential:
            sub = f"{LOCK} " + _("confidential, hidden as you type") + " · " + sub
        inp.border_title = escape(title)
        inp.border_subtitle = escape(sub)
        hint = self.query_one("#quick-hint", Static)
        problem = parsed.problems[-1] if parsed.problems and (parsed.owner_typed or parsed.due_typed) else ""
        hint.update(escape("⚠ " + problem if problem else _hint()))
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
        where = _("step {n}").format(n=step + 1) if step is not None else _("before the start")
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


def _hint() -> str:
    from kring.screens.notes import hint_text

    return hint_text()
