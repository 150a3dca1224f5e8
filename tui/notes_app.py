"""The note-taker's App: the same thin client over the store, opening the notes screen.

Like the moderator's, it can paint before the store is open (`first_paint`): the
notes screen's core (kring.screens.notes_core) takes keys at once, and the full
screen takes over with what was typed, and the keys that wait, once it is.
"""

from __future__ import annotations

import gc
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.binding import Binding

from kring.data.core.clock import Clock
from kring.data.i18n import _
from kring.tui.app import KringApp
from kring.tui import startgc
from kring.tui.heldkeys import held, replay
from kring.tui.messages import ScreenShown
from kring.tui.config import Config

if TYPE_CHECKING:
    from kring.data.store import Store
    from kring.tui.firstpaint import FirstPaint



class NotesApp(KringApp):
    """`kring notes`: follows a live meeting and takes its minutes (role notulist)."""

    BINDINGS = [Binding("ctrl+q", "quit", _("Quit"), key_display="^q", priority=True, id="notes.quit")]
    # How often the store is asked whether anything changed. The moderator's step
    # must show here within half a second; at 0.1 s the cheap check keeps the
    # median near 0.1 s and the worst case well under the goal (bench/follow_latency.py).
    FOLLOW_EVERY = 0.1
    # Letters are for typing here: quitting and help move to keys that type nothing.
    OWN_KEYMAP = {"quit": "ctrl+q", "help": "f1"}

    def __init__(self, store: Store | None, meeting_id: int, *, clock: Clock | None = None,
                 author: str | None = None, watch: bool = True, config: Config | None = None,
                 first_paint: FirstPaint | None = None) -> None:
        """`store` is open, or None with `first_paint` (see KringApp): then the core screen
        takes keys until the store is open; the command takes that path only when no
        draft waits to come back (kring.tui.firstpaint.draft_waiting)."""
        import secrets

        super().__init__(store, meeting_id, clock=clock, role="notulist", author=author, watch=watch,
                         config=config, first_paint=first_paint)
        self.session = secrets.token_hex(8)  # named, not the person, if they are forgotten (kring.data.presence)
        self.restored_draft = None
        self.composer: Any = None  # a NoteComposer once the store is open
        self.first_draft: Any = None  # what is typed on the first paint (kring.tui.widgets.firstdraft)
        self.waiting_keys: list[tuple[str, str | None]] = []  # keys that wait for the store, in order
        # Keys read before the first screen's input has the focus would go to the screen,
        # which has no use for them (all that was typed while kring started comes at once),
        # or before the draft that comes back is in the input: they wait for the first
        # screen (the core, or the full one) to be up, then go to its input in order.
        self._starting = True
        self._start_keys: list[tuple[str, str | None]] = []
        # Where the App holds keys that wait for the full screen: `waiting_keys`, except at
        # the hand-over until the core's input has typed what it was handed (one of those,
        # seeing keys wait, would go behind them: typed "24 25 26", kept "26 24 25").
        self._held = self.waiting_keys
        if store is not None:
            self._compose_notes()

    def _compose_notes(self, *, recover_draft: bool = True) -> None:
        from kring.data.draftjournal import recover
        from kring.data.notes import draft_key
        from kring.tui.widgets.notecompose import NoteComposer

        if recover_draft:
            # read before the screen starts: a draft left by a dead terminal comes back at once
            self.restored_draft = recover(self.store, self.meeting_id, draft_key(self.author, self.role))
        # what is being typed and sent; the App keeps it to rescue what the store never took
        self.composer = NoteComposer(self.live)

    _heap_settled = False

    def settle_heap(self) -> None:
        """Once the meeting is on screen: collect, then leave what is loaded out of later collections.

        With thousands of notes the process holds a million objects that live as
        long as it does (the notes, their rows, the screen). Python's full
        collection walks every one of them, 75 ms at 10,000 notes, and it comes
        now and then while someone types: that key waits. Frozen, they are left
        out (reference counting still frees what is let go); the App unfreezes as
        it ends. Not under a test harness, where many Apps share one process.
        """
        if self._heap_settled or self.is_headless:
            return
        self._heap_settled = True
        gc.collect()
        gc.freeze()

    def _announce(self) -> None:
        from kring.data.presence import announce

        if self.connected:
            self.outbox.put(partial(announce, self.store, self.meeting_id, self.author, self.clock.now(),
                                    self.session))

    def names_forgotten(self, me: bool) -> None:
        """Someone was forgotten: the note being typed loses the name in the store and on
        screen; if it was this note-taker, their presence goes on under the placeholder."""
        from kring.tui.widgets.noteinput import NoteInput, to_input

        for composer in list(self.live.composers):
            text = composer.names_forgotten()
            for screen in self.screen_stack:
                for field in screen.query(NoteInput):
                    if field.composer is composer and field.value != to_input(text):
                        behind = len(field.value) - field.cursor_position  # the cursor keeps its place from the end
                        field.value = to_input(text)
                        field.cursor_position = max(0, len(field.value) - behind)
        if me:
            import secrets

            # a token of its own under the new name: the old one is refused (kring.data.presence)
            self.session = secrets.token_hex(8)
            self._announce()

    def on_unmount(self) -> None:
        if self._heap_settled:
            gc.unfreeze()
            self._heap_settled = False

    # --- following the room: the next meeting once this one closes ---------------------------

    LOOK_FOR_NEXT_EVERY = 1.0  # seconds; only while the meeting followed is closed

    def on_mount(self) -> None:
        # (KringApp's own on_mount runs too: Textual calls each class's handler)
        self.set_interval(self.LOOK_FOR_NEXT_EVERY, self.look_for_next_meeting)
        # the moderator's pre-meeting check sees that a note-taker is connected
        self.live.when_connected(self._start_presence)

    def _start_presence(self) -> None:
        from kring.data.presence import HEARTBEAT_SECONDS

        self._announce()
        self.set_interval(HEARTBEAT_SECONDS, self._announce)

    def look_for_next_meeting(self) -> None:
        """While the meeting followed is closed, ask the store (in a thread) for a newer live one."""
        from kring.data.core.timeline import has_closed

        live = self.live
        # asked every second: read the log for a close, never derive the whole timeline
        if not live.connected or not (live.snapshot.status == "closed" or has_closed(live.events)):
            return
        if self.composer.editing is not None or self._looking:
            return  # finish the edit first; the next look moves on
        store, after = live.store, live.meeting_id
        self._looking = True

        def look() -> None:
            from kring.data.live import load_snapshot
            from kring.data.meetings import get_meeting, next_live_meeting

            try:
                found = next_live_meeting(store, after)
                if found is not None:
                    info, snapshot = get_meeting(store, found), load_snapshot(store, found)
                    self.call_from_thread(self.move_to, after, info, snapshot)
            finally:
                self._looking = False

        self.run_worker(look, thread=True, group="next meeting", name="next meeting", exit_on_error=False)

    _looking = False

    def move_to(self, before: int, info, snapshot) -> None:  # noqa: ANN001 - MeetingInfo, Snapshot
        """Follow the meeting that went live after ours closed, and say so."""
        if self.live.meeting_id != before or self.composer.editing is not None:
            return
        old = self.live.meeting.title
        if self.follower is not None:
            self.follower.stop()
            self.follower = None
        self.live.switch(info.id, info, snapshot)
        self._announce()  # the new meeting's check sees its note-taker now, not at the next heartbeat
        self.composer.moved()
        self._start_following()
        moved = getattr(self.screen, "meeting_moved", None)
        if moved is not None:
            moved()
        if self.live.timeline().started_at is None:  # made and waiting for its check: not running yet
            said = _("'{old}' has closed. Now taking notes in '{new}', which has not started yet.")
        else:
            said = _("'{old}' has closed. Now taking notes in '{new}', which is live.")
        self.notify(said.format(old=old, new=info.title), timeout=8)

    def notify(self, message: str, *, title: str = "", severity: str = "information",  # type: ignore[override]
               timeout: float | None = None, markup: bool = True) -> None:
        """On the notes screen a message takes the hint line's place (never over the list);
        elsewhere (help, a question) Textual's own notice."""
        show = getattr(self.screen, "show_notice", None) if self.is_running else None
        if show is not None:
            show(message, severity, timeout)
        else:
            super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)  # type: ignore[arg-type]

    async def on_screen_shown(self, message: ScreenShown) -> None:
        message.prevent_default()  # no agenda to hand over to here
        startgc.release()  # the first screen is out
        if self._starting:  # the first screen is up, its input focused: the keys read meanwhile go to it
            await replay(self._start_keys, super().on_event)
            self._starting = False
        if not self.connected:
            self.first_frame_shown()  # the core is out: open the store
            return
        from kring.screens.notes_core import NotesScreen as NotesCore

        if type(self.screen) is NotesCore:
            self.complete_first_screen()
            return
        await self._replay_waiting_keys()
        self.settle_heap()  # the notes are on screen

    @property
    def _first_screen_is_base(self) -> bool:
        """The core is the base screen, as the moderator's is: pushed, its style file would
        make Textual parse every rule again. Its input takes the focus as it mounts."""
        return not self.connected

    def first_screen(self):  # noqa: ANN201
        if not self.connected:
            from kring.data.core.given import draft_key
            from kring.screens.notes_core import NotesScreen as NotesCore
            from kring.tui.widgets.firstdraft import FirstDraft, draft_journal_path

            path = draft_journal_path(self._first_paint.url, self.meeting_id, draft_key(self.author, self.role))
            self.first_draft = FirstDraft(self.live, path)
            return NotesCore(self.live, self.first_draft, self.waiting_keys)
        from kring.screens.notes import NotesScreen

        return NotesScreen(self.live, self.composer, draft=self.restored_draft)

    # --- the hand-over, once the store is open ----------------------------------------------

    def load_screens(self) -> None:
        import kring.screens.notes  # noqa: F401
        import kring.tui.widgets.notecompose  # noqa: F401

    def complete_first_screen(self) -> None:
        """The core gives way to the full screen, with what was typed on it as the draft
        (filed at its first key); the keys that waited follow once that screen is up.
        Under a dialog it waits for its turn (the core says when it is back)."""
        from kring.screens.notes_core import NotesScreen as NotesCore

        if (type(self.screen) is not NotesCore or not self.connected or self.composer is not None
                or self._handing_over):
            return
        self._handing_over = True  # keys from now wait for the full screen (see on_event)
        self._held = []
        # Keys the App handed to the core's input already may still wait in its queue: the
        # draft is taken once it has typed them, back in the App's turn.
        self.screen.query_one("#note-input").call_later(self.call_later, self._hand_over)

    def _hand_over(self) -> None:
        from kring.data.notes import DraftInfo
        from kring.screens.notes import NotesScreen
        from kring.screens.notes_core import NotesScreen as NotesCore

        self.waiting_keys.extend(self._held)  # after those the core kept back, and one list from now on
        self._held = self.waiting_keys
        if type(self.screen) is not NotesCore:  # a dialog came up meanwhile: the core says when it is back
            self._handing_over = False
            return
        first, self.first_draft = self.first_draft, None
        first.close()  # the composer writes on in the same journal
        self._compose_notes(recover_draft=False)  # none waited (or the usual path would have been taken)
        typed = DraftInfo(first.text, first.data(), None) if first.text or first.begun else None
        # The core is the base screen (see _first_screen_is_base), which Textual cannot
        # switch away from: the full screen goes over it, and the core, out of sight, stops.
        self.screen.retire()
        self.push_screen(NotesScreen(self.live, self.composer, draft=typed, typed=True))

    _handing_over = False

    async def on_event(self, event: events.Event) -> None:
        # Between the core and the full screen no input has the focus: a key would be
        # dropped. It waits, with the others, for the full screen to be up.
        if (self._starting or self._handing_over) and isinstance(event, (events.Key, events.Paste)) \
                and not event.is_forwarded:
            (self._start_keys if self._starting else self._held).append(held(event))
            return
        await super().on_event(event)

    async def _replay_waiting_keys(self) -> None:
        """The keys that waited for the store, in their order, before any typed after
        (those wait until this is done: kring.tui.heldkeys)."""
        self._handing_over = True
        await replay(self.waiting_keys, super().on_event)
        self._handing_over = False

    def action_help(self) -> None:
        from kring.screens.dialogs.notes_help import NotesHelpScreen

        if not isinstance(self.screen, NotesHelpScreen):
            self.push_screen(NotesHelpScreen())

    def rescue_unsaved(self) -> Path | None:
        """After the App ended with writes the store never took: put the notes and the
        draft in a private file, so even then nothing typed is lost. Returns its path."""
        composer = self.composer
        if composer is None or not self.outbox.waiting:
            return None
        lines = [f"# kring: notes not saved in the store, meeting {self.meeting_id} ({self.meeting.title})",
                 f"# reason: {self.outbox.failing or 'unknown'}", ""]
        for entry in composer.pending.values():
            if entry.done:
                continue
            n = entry.note
            where = f"step {n.step_index + 1} {n.step_title}" if n.step_index is not None else "before the start"
            flags = [n.kind] + (["confidential"] if n.confidential else []) + (["deleted"] if n.deleted else [])
            extra = f" @{n.owner}" if n.owner else ""
            extra += f" due {n.due}" if n.due else ""
            lines.append(f"{n.at.isoformat()} [{', '.join(flags)}] {where} · {n.speaker or '-'} · {n.author}")
            lines.append(n.text + extra)
            lines.append("")
        if composer.text.strip():
            lines += ["draft (not sent):", composer.text, ""]
        import platformdirs

        from kring.data.files import write_private

        folder = platformdirs.user_state_path("kring", appauthor=False)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = self.clock.now().format("YYYYMMDD-HHmmss")
        return write_private(folder / f"unsaved-notes-{self.meeting_id}-{stamp}.txt", "\n".join(lines))
