"""The check before the first step (key z; a new meeting opens with it): who is
present, the case-bringer if the format needs one, whether a note-taker is
connected, and the planned start and end of the meeting. Each answer is an event
in the log (absent, case_bringer, plan), so a restarted agenda knows them too.
Times typed but not yet saved are kept per keystroke in a draft journal
(kring.data.draftjournal), as the notes are: after a kill the check shows them again.
A network's meeting also hears what the series taught about this work format's
timings ("step 5 runs over by 6 min on average here"), read in a thread.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from kring.data.core.events import EventKind
from kring.data.core.rounds import everyone
from kring.data.i18n import _
from kring.data.labels import clock_time, user_time

if TYPE_CHECKING:
    from kring.tui.session import LiveMeeting

PRESENCE_EVERY = 2.0  # seconds between looks at who takes notes
TIMING_HINTS = 3  # the steps that ran furthest from their time, at most


def timing_hints(timings: list[dict]) -> list[str]:
    """The lines of the series' timings worth a moderator's glance: the steps furthest
    from their planned time; one line when every step keeps its time."""
    from kring.data.network_report import ON_TIME_SECONDS, timing_line

    if not timings:
        return []
    off = sorted((t for t in timings if abs(t["over_seconds"]) >= ON_TIME_SECONDS),
                 key=lambda t: -abs(t["over_seconds"]))
    if not off:
        formats = ", ".join(sorted({t["werkvorm"] for t in timings}))
        return [_("{format}: every step keeps its time here").format(format=formats)]
    return [timing_line(t) for t in off[:TIMING_HINTS]]


def time_today(text: str, now: datetime) -> datetime | None:
    """`HH:MM` (or `H.MM`) today, or None if it is no time of day."""
    hours, sep, minutes = text.strip().replace(".", ":").partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        return None
    if not (0 <= int(hours) < 24 and 0 <= int(minutes) < 60):
        return None
    return now.replace(hour=int(hours), minute=int(minutes), second=0, microsecond=0)


def _planned(live: LiveMeeting):  # noqa: ANN202 - a PlannedInfo, its module loaded only here
    """The planned meeting of the network's calendar this meeting was started from, if any."""
    if live.meeting.network_id is None or live.store is None:
        return None
    from kring.data.planning import planned_of

    try:
        return planned_of(live.store, live.meeting_id)
    except Exception:  # noqa: BLE001 - a default: without it the check offers the time now
        return None


class PreMeetingScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    PreMeetingScreen { align: center middle; }
    #check { width: 90%; max-width: 76; height: auto; max-height: 95%; border: heavy $primary;
             background: $surface; padding: 0 1; }
    #check .title { text-style: bold; color: $primary; }
    #check .hint { color: $text-muted; }
    #check-people { height: auto; max-height: 12; }
    #check-times { height: auto; }
    #check-times Input { width: 12; }
    PreMeetingScreen.-narrow #check-times { layout: grid; grid-size: 2; grid-columns: auto 12; }
    #check-times Static { width: auto; padding: 1 1 0 0; }
    #check-notes.-missing, #check-case.-missing { color: $warning; text-style: bold; }
    #check-error { color: $error; text-style: bold; }
    #check-timings { color: $secondary; display: none; }
    """
    AUTO_FOCUS = "#check-people"  # as it is composed, before a key can reach it
    BINDINGS = [
        Binding("escape", "cancel", _("Close without saving the times"), id="check.cancel"),
        Binding("c", "choose_case", _("Choose the case-bringer"), id="check.case"),
        Binding("ctrl+s", "save", _("Save the times"), id="check.save", priority=True),
    ]

    def __init__(self, live: LiveMeeting, choose_case: Callable[[], None]) -> None:
        super().__init__()
        self.live = live
        self._choose_case = choose_case
        tl = live.timeline()
        planned = None if tl.fixed_start else _planned(live)
        start = tl.fixed_start or (planned.starts_at if planned else tl.now)
        end = tl.fixed_end or (planned.ends_at if planned else start + timedelta(seconds=tl.planned_total))
        self._start, self._end = clock_time(start), clock_time(end)  # the user's clock
        self._journal = self._typed_times()

    def _typed_times(self):  # noqa: ANN202 - a DraftJournal, its module loaded only here
        """The journal of the times as typed; what a killed process left there is shown again."""
        store = self.live.store
        if store is None:
            return None
        from kring.data.draftjournal import DraftJournal, journal_path

        # the moderator's, one a meeting: its name holds no person's to forget
        path = journal_path(store.url, store.path, self.live.meeting_id, "check-times")
        kept = DraftJournal.read(path)
        if kept is not None:  # saving or Esc removes it: what is there was typed and never saved
            typed = kept[1]
            self._start = str(typed.get("start") or self._start)
            self._end = str(typed.get("end") or self._end)
        return DraftJournal(path)

    def on_unmount(self) -> None:
        if self._journal is not None:
            self._journal.close()  # kept: the app ended with the check open

    def _forget_typed(self) -> None:
        if self._journal is not None:
            self._journal.close(remove=True)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="check"):  # a small window scrolls to what has the focus
            yield Static(_("Before the first step"), classes="title")
            yield Static(_("Who is here? enter marks someone absent, or present again."), classes="hint")
            yield OptionList(id="check-people")
            yield Static("", id="check-case")
            yield Static("", id="check-notes")
            yield Static("", id="check-timings")
            with Horizontal(id="check-times"):
                yield Static(_("Planned start"))
                yield Input(self._start, id="check-start")
                yield Static(_("end"))
                yield Input(self._end, id="check-end")
            yield Static("", id="check-error")
            yield Static(_("tab moves · enter in a time or ctrl+s saves the times · esc closes"), classes="hint")

    def on_resize(self) -> None:
        self.set_class(self.size.width < 56, "-narrow")  # the times one under the other

    def on_mount(self) -> None:
        self._show()
        self.query_one(OptionList).focus()
        self.set_interval(PRESENCE_EVERY, self._show_note_takers)
        if self.live.meeting.network_id is not None and self.live.store is not None:
            self.run_worker(self._read_timings, thread=True, group="check-timings")

    def on_screen_resume(self) -> None:
        self._show()  # back from choosing the case-bringer

    # --- showing ---------------------------------------------------------------------------

    def _show(self) -> None:
        tl = self.live.timeline()
        people = self.query_one(OptionList)
        at = people.highlighted
        absent = {a.casefold() for a in tl.absent}
        people.clear_options()
        for name in everyone(self.live.meeting.names, tl):
            away = name.casefold() in absent
            label = f"✗ {escape(name)} — " + _("absent") if away else f"✓ {escape(name)}"
            people.add_option(Option(label, id=name))
        if people.option_count:
            people.highlighted = min(at or 0, people.option_count - 1)
        fmt = self.live.format
        needs_case = any(step.mode == "case" or step.choose_case for step in fmt.steps)
        case = self.query_one("#check-case", Static)
        case.display = needs_case
        if tl.case_bringer:
            case.update(_("Case-bringer: {name}").format(name=escape(tl.case_bringer)) + "  " + _("(c changes)"))
        else:
            case.update("⚠ " + _("No case-bringer yet: c chooses one (or later, in the step that needs it)."))
        case.set_class(not tl.case_bringer, "-missing")
        self._show_note_takers()

    def _show_note_takers(self) -> None:
        from kring.data.presence import note_takers

        widget = self.query_one("#check-notes", Static)
        store = self.live.store
        names = note_takers(store, self.live.meeting_id, self.live.timeline().now) if store is not None else []
        if names:
            widget.update("✎ " + _("Note-taker connected: {names}").format(names=escape(", ".join(names))))
        else:
            widget.update("⚠ " + _("No note-taker connected: start `kring notes` in a second terminal."))
        widget.set_class(not names, "-missing")

    def _read_timings(self) -> None:
        """In a thread: the series' timings of this work format (each earlier report is read)."""
        from kring.data.network_report import learned_timings

        meeting = self.live.meeting
        try:
            timings = learned_timings(self.live.store, meeting.network_id, meeting.werkvorm)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - a hint: without it the check is whole; the why is kept
            from kring.data.errors import log_crash

            log_crash()
            return
        lines = timing_hints(timings)
        if lines:
            try:
                self.app.call_from_thread(self._show_timings, lines)
            except RuntimeError:  # the app has ended meanwhile
                pass

    def _show_timings(self, lines: list[str]) -> None:
        if not self.is_attached:
            return  # closed while the reports were read
        widget = self.query_one("#check-timings", Static)
        widget.update("\n".join("⏱ " + escape(line) for line in lines))
        widget.display = True

    # --- keys ------------------------------------------------------------------------------

    @on(OptionList.OptionSelected)
    def _toggle(self, event: OptionList.OptionSelected) -> None:
        name = str(event.option.id)
        away = any(a.casefold() == name.casefold() for a in self.live.timeline().absent)
        self.live.record(EventKind.ABSENT, {"name": name, "absent": not away})
        self._show()

    def action_choose_case(self) -> None:
        self._choose_case()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        """Each key's state in the journal before it is painted: a kill keeps what was shown."""
        if self._journal is not None and event.input.id in ("check-start", "check-end"):
            self._journal.write("", {"start": self.query_one("#check-start", Input).value,
                                     "end": self.query_one("#check-end", Input).value})

    def action_cancel(self) -> None:
        self._forget_typed()  # closed without saving: what was typed goes, as the key says
        self.dismiss(False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        now = user_time(self.live.timeline().now)  # the times typed are the user's clock
        start_text = self.query_one("#check-start", Input).value
        end_text = self.query_one("#check-end", Input).value
        start, end = time_today(start_text, now), time_today(end_text, now)
        error = self.query_one("#check-error", Static)
        if start is None or end is None:
            bad = start_text if start is None else end_text
            error.update(_("'{text}' is no time of day: write it as HH:MM.").format(text=bad))
            return
        if end <= start:
            error.update(_("The end ({end}) must come after the start ({start}).").format(
                end=clock_time(end), start=clock_time(start)))
            return
        self.live.record(EventKind.PLAN, {"start": start.isoformat(), "end": end.isoformat()})
        self._forget_typed()  # after the event is kept (kring.tui.session): the log holds them now
        self.dismiss(True)
