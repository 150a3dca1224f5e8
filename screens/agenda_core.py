"""The core of the moderator's live agenda: the steps, the big countdown, the keys
that move the meeting on. It paints first at start-up, before the store's
libraries are loaded (see kring.tui.firstpaint); the capabilities join it in
`kring.screens.agenda`, whose AgendaScreen is what the app shows.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import wraps
from typing import TYPE_CHECKING, Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static

from kring.data.core.events import EventKind
from kring.data.core.timeline import Timeline
from kring.data.i18n import _
from kring.data.labels import clock_time, countdown, mode_label, signed_minutes, user_time
from kring.screens.live import LiveScreen
from kring.tui.messages import ScreenShown
from kring.tui.widgets.countdown import Countdown, scale_for
from kring.tui.widgets.round_name import BigName, name_limit
from kring.tui.widgets.keybar import KeyBar
from kring.tui.widgets.steplist import StepList

if TYPE_CHECKING:
    from kring.tui.session import LiveMeeting

WARN_SECONDS = 120
SIDE_ROOM = 26  # columns the panel beside the clock keeps, with the clock's padding
NOTICE_ROWS = 6  # what a message takes above the budget line: margin, padding, up to three lines
BREAK_MINUTES = 15  # the break the moderator is offered


def break_end(text: str, now: datetime) -> datetime | None:
    """The moment a break ends, from `HH:MM` (or `H.MM`) typed by the moderator: today,
    None if it is no time of day, or one that has passed."""
    hours, sep, minutes = text.strip().replace(".", ":").partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        return None
    if not (0 <= int(hours) < 24 and 0 <= int(minutes) < 60):
        return None
    now = user_time(now)  # the time typed is on the user's clock
    until = now.replace(hour=int(hours), minute=int(minutes), second=0, microsecond=0)
    return until if until > now else None


def _minutes_apart(later: datetime, earlier: datetime) -> float:
    """Seconds between two moments as the clock times shown for them read (to the minute):
    the overrun beside 'verwacht einde 20:40' against 20:30 is 10 minutes, whatever the seconds."""
    return (later.replace(second=0, microsecond=0) - earlier.replace(second=0, microsecond=0)).total_seconds()


def when_connected(action: Callable[..., Any]) -> Callable[..., Any]:
    """A key that records: runs now, or as soon as the store is open."""

    @wraps(action)
    def run(self: AgendaScreen, *args: Any) -> Any:
        self.live.when_connected(lambda: action(self, *args))

    return run


class AgendaScreen(LiveScreen[None]):
    """The core: steps and timers. `kring.screens.agenda.AgendaScreen` adds one
    part per capability (its panel beside the countdown, its keys). The core is
    named alike so agenda.tcss styles both."""

    CSS_PATH = "agenda.tcss"
    BINDINGS = [
        Binding("space", "start_pause", _("Start/pause"), id="agenda.start_pause"),
        Binding("n", "next_step", _("Next"), id="agenda.next"),
        Binding("p", "previous_step", _("Previous"), id="agenda.previous"),
        Binding("plus,equals_sign", "more_time", _("+1 min"), id="agenda.more", key_display="+"),
        Binding("minus", "less_time", _("-1 min"), id="agenda.less", key_display="-"),
        Binding("f", "take_break", _("Break"), id="agenda.break", show=False),
        Binding("z", "pre_meeting_check", _("Check before the first step"), id="agenda.check", show=False),
        Binding("x", "close_meeting", _("Close meeting"), id="agenda.close", show=False),
    ]
    # What the command palette calls a key whose footer word is too short to find it by.
    PALETTE_NAMES = {
        "start_pause": _("Start, pause or go on"),
        "next_step": _("Next step"),
        "previous_step": _("Previous step"),
        "more_time": _("One minute more for this step"),
        "less_time": _("One minute less for this step"),
    }

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__(live)
        self._bell_for: tuple[int, int] | None = None  # (step, visit) already rung for
        self._last_remaining: float | None = None

    def compose(self) -> ComposeResult:
        # Composed with what it shows now, so the first frame on the terminal is
        # the agenda itself, not an empty layout followed by a second full paint.
        tl = self.live.timeline()
        title, value, info = self._live_texts(tl)
        # Plain widgets as rows and columns (agenda.tcss lays them out): each
        # container class brings its own CSS to parse before the first frame.
        with Widget(id="topbar"):
            yield Static(self.live.meeting.title, id="meeting-title")
            yield self._text("time-of-day", clock_time(tl.now))
        yield self._text("step-title", title)
        with Widget(id="clockrow"):
            with Widget(id="clock"):
                countdown_ = Countdown(value, id="countdown")  # big digits; a tick repaints the glyph that changed alone
                scale = scale_for(self.app.size.width, self.app.size.height)
                countdown_.rescale(scale)
                yield countdown_
                # what the clock's colour says, in words too (one man in twelve is colour-blind)
                word = BigName("", id="clock-word")
                word.rescale(name_limit(scale))
                yield word
                yield self._text("clock-cue", "")
            panels = self.side_panels()
            if panels:  # the core has none: no empty column to style, lay out and draw
                with Widget(id="side"):
                    yield from panels
        yield self._text("step-info", info)
        steps = StepList(id="steps")
        steps.show(self._agenda(tl), self._live_index(tl), self._notes_per_step())
        yield steps
        yield self._text("status", self._status_text(tl))
        yield KeyBar()

    @staticmethod
    def _text(widget_id: str, text: str) -> Static:
        widget = Static(text, id=widget_id)
        widget._kring_text = text  # type: ignore[attr-defined] - see _set
        return widget

    def side_panels(self) -> list[Widget]:
        """The panels beside the countdown: none in the core, one per capability in the full agenda."""
        return []

    def on_mount(self) -> None:
        self._show_state()  # children exist now, though is_mounted is not yet True
        if not self.live.connected:
            # start-up: the App opens the store once this is on screen
            self.call_after_refresh(self.post_message, ScreenShown())
        # Read the clock a few times a second; what is shown derives from the
        # log and `now`, so a late tick never makes the timer drift.
        self._ticking = self.set_interval(0.25, self.refresh_state)

    def retire(self) -> None:
        """The full agenda has taken over (see KringApp.complete_first_screen): stop."""
        self._ticking.stop()

    def on_screen_resume(self) -> None:
        # the core alone, painted at start-up: once the store is open the full
        # agenda takes its place (here when a dialog opened meanwhile has closed)
        if self.live.connected:
            self.post_message(ScreenShown())

    def on_resize(self) -> None:
        scale = scale_for(self.size.width, self.size.height)
        self.query_one("#countdown", Countdown).rescale(scale)
        self.query_one("#clock-word", BigName).rescale(name_limit(scale))
        small = self.size.height < 20 or self.size.width < 60
        if small != self.has_class("-small"):
            self.set_class(small, "-small")
            self.refresh_state()  # the panels choose their words by size

    # --- showing ---------------------------------------------------------------------

    def refresh_state(self) -> None:
        if self.is_mounted:
            self._show_state()

    def _show_state(self) -> Timeline:
        tl = self.live.timeline()
        self._show_top(tl)
        self._show_live(tl)
        steps = self.query_one("#steps", StepList)
        steps.show(self._agenda(tl), self._live_index(tl), self._notes_per_step())
        # a message never covers the list (nor the budget line under it); decided once laid
        # out, so the first frame's styles are not worked out twice
        if steps.size.height:
            free = steps.scrollable_content_region.height - len(steps.rows)
            self.set_class(self.has_class("-small") or free < NOTICE_ROWS, "-notices-top")
        self._show_status(tl)
        self._ring_at_zero(tl)
        return tl

    def _notes_per_step(self) -> dict[int, int]:
        figures = self.live.snapshot.extra.get("notes")
        return dict(figures.per_step) if figures is not None else {}

    @staticmethod
    def _agenda(tl: Timeline) -> list:
        """The steps in the agenda's order: a sub-agenda's under the step it runs in."""
        return [tl.steps[i] for i in tl.order]

    @staticmethod
    def _live_index(tl: Timeline) -> int | None:
        return None if tl.closed else tl.current

    def _set(self, selector: str, text: str) -> None:
        widget = self.query_one(selector, Static)
        if getattr(widget, "_kring_text", None) != text:
            widget._kring_text = text  # type: ignore[attr-defined]
            widget.update(text)

    def _show_top(self, tl: Timeline) -> None:
        self._set("#time-of-day", clock_time(tl.now))

    def _show_live(self, tl: Timeline) -> None:
        digits = self.query_one("#countdown", Countdown)
        title, value, info = self._live_texts(tl)
        state = self.clock_state(tl)
        big = self.big_number(tl)
        if big is not None:
            value, state = big
        if tl.on_break and tl.break_until is not None:
            value, state = clock_time(tl.break_until), "break"
        if digits.value != value:
            digits.update(value)
        for name in ("warn", "over", "paused", "break"):
            digits.set_class(state == name, f"-{name}")
        word, cue = self._cue_texts(tl, state)
        self.query_one("#clock-word", BigName).show(word)
        self._set("#clock-cue", cue)
        self._fit_cue(cue)
        self._set("#step-title", title)
        self._set("#step-info", info)

    def _fit_cue(self, cue: str) -> None:
        """The clock's column is as wide as its widest line: a long cue (a break's) would
        squeeze the panel beside it to a cell, whose text, a letter a row, pushes the list
        and the budget line off a small window. Past what leaves that panel room, it wraps."""
        limit = max(20, self.app.size.width - SIDE_ROOM)  # the window's width: known before any layout
        width: int | None = limit if len(cue) > limit else None
        if width != self._cue_width:  # a style set anew lays the screen out anew
            self._cue_width = width
            self.query_one("#clock-cue").styles.width = width if width is not None else "auto"

    _cue_width: int | None = None

    @staticmethod
    def clock_state(tl: Timeline) -> str:
        """What the live step's clock says: running, warn (the last two minutes), over, paused, or ""."""
        live = tl.live
        if live is None or tl.closed:
            return ""
        if not tl.running:
            return "paused"
        if live.remaining <= 0:
            return "over"
        return "warn" if live.remaining <= WARN_SECONDS else "running"

    def big_number(self, tl: Timeline) -> tuple[str, str] | None:
        """Another figure for the big clock, and its state: in the full agenda the
        speaker's own time in a round. None: the live step's time."""
        return None

    @staticmethod
    def _cue_texts(tl: Timeline, state: str) -> tuple[str, str]:
        """A big word and a line under the clock that say its state without colour."""
        if tl.on_break and tl.break_until is not None:
            if tl.break_left <= 0:  # the time has come; the step waits until the moderator goes on
                return "", "▲ " + _("We go on at {time} · it is time · space: on now").format(
                    time=clock_time(tl.break_until))
            left = max(1, round(tl.break_left / 60))
            return "", _("We go on at {time} · {minutes} min left · space: on now").format(
                time=clock_time(tl.break_until), minutes=left)
        if state == "paused":
            return _("PAUSED"), ""
        if state == "over":
            return "", "▲ " + _("over time")
        if state == "warn":
            return "", "▲ " + _("last 2 minutes")
        return "", ""

    def _live_texts(self, tl: Timeline) -> tuple[str, str, str]:
        """The live step's title line, the countdown, and the line of instructions."""
        live = tl.live
        if tl.closed:
            title, value, info = _("The meeting is closed."), "00:00", ""
        elif live is None:
            title = _("Ready: {n} steps, {minutes} minutes planned").format(
                n=len(tl.top), minutes=round(tl.planned_total / 60)
            )
            value = countdown(tl.steps[0].remaining) if tl.steps else "00:00"
            info = _("Press space to start the first step.") + "  " + _("z: the check before it (who is here, the note-taker, the end time).")
        else:
            title = self.step_heading(tl)
            title += f"  ·  {mode_label(live.mode)}"
            value = countdown(live.remaining)
            info = self._instructions(live.index)
            if tl.on_break and tl.break_until is not None:
                title = _("Break: we go on at {time}").format(time=clock_time(tl.break_until))
            elif not tl.running:
                info = _("Paused. Press space to go on.") + ("  " + info if info else "")
        return title, value, info

    def step_heading(self, tl: Timeline) -> str:
        from kring.data.core.subagenda import heading

        assert tl.live is not None
        return heading(tl, self.live.format, tl.live)

    def _instructions(self, index: int) -> str:
        step = self.live.format.step(index)
        return step.instructions.strip() if step is not None else ""

    def _show_status(self, tl: Timeline) -> None:
        self._set("#status", self._status_text(tl))
        self.query_one("#status").set_class(tl.delay_seconds >= 60, "-late")

    def _status_text(self, tl: Timeline) -> str:
        planned, projected = clock_time(tl.planned_end), clock_time(tl.projected_end)
        budget = tl.budget_left
        if tl.closed_at is not None:
            # nothing is expected any more: when it closed, against the end agreed (or planned)
            end = tl.fixed_end if tl.fixed_end is not None else tl.planned_end
            return self._with_trouble(_("Closed at {closed}  ·  planned end {end}  ·  {drift}").format(
                closed=clock_time(tl.closed_at), end=clock_time(end), drift=self._drift(_minutes_apart(tl.closed_at, end))))
        if tl.fixed_end is not None and budget is not None and not tl.closed:
            # the end agreed before the first step: the budget runs to it
            end = clock_time(tl.fixed_end)
            delay = _minutes_apart(tl.projected_end, tl.fixed_end)
            if budget >= 0:
                planned = _("{minutes} min left until {end}").format(minutes=math.ceil(budget / 60), end=end)
            else:
                planned = _("{minutes} min past {end}").format(minutes=math.floor(-budget / 60), end=end)
            return self._with_trouble(_("{budget}  ·  expected end {projected}  ·  {drift}").format(
                budget=planned, projected=projected, drift=self._drift(delay)))
        text = _("Planned end {planned}  ·  expected end {projected}  ·  {drift}").format(
            planned=planned, projected=projected, drift=self._drift(_minutes_apart(tl.projected_end, tl.planned_end))
        )
        return self._with_trouble(text)

    @staticmethod
    def _drift(delay: float) -> str:
        if abs(delay) < 60:
            return _("on time")
        if delay > 0:
            return _("{minutes} min over").format(minutes=signed_minutes(delay))
        return _("{minutes} min ahead").format(minutes=signed_minutes(-delay).lstrip("+"))

    def _with_trouble(self, text: str) -> str:
        if self.live.write_trouble:
            text = "⚠ " + _("not saved yet, retrying") + "  ·  " + text
        return text

    def _ring_at_zero(self, tl: Timeline) -> None:
        live = tl.live
        if live is None or tl.closed:
            self._last_remaining = None
            return
        key = (live.index, live.visits)
        if self._last_remaining is not None and self._last_remaining > 0 >= live.remaining and self._bell_for != key:
            self._bell_for = key
            self.app.bell()
        self._last_remaining = live.remaining

    def applies(self, action: str) -> bool:
        """Whether a key makes sense now: the command palette offers only those."""
        tl = self.live.timeline()
        if tl.closed:
            return action in ("evaluate", "evaluation_results", "speaking_time", "network_overview", "export_report")
        started = tl.current is not None
        if action == "next_step":
            return tl.following(tl.current) is not None
        if action == "previous_step":
            return tl.preceding(tl.current) is not None
        if action in ("more_time", "less_time", "close_meeting"):
            return started
        if action == "pre_meeting_check":
            return not started
        if action == "take_break":
            return started and not tl.on_break
        return True

    # --- keys --------------------------------------------------------------------------
    # In the first moments after start-up the store may still be opening (see
    # kring.tui.firstpaint): a key then waits for it, so what the room sees is
    # always what is being saved.

    @when_connected
    def action_start_pause(self) -> None:
        tl = self.live.timeline()
        if tl.closed:
            self.notify(_("The meeting is closed."))
        elif tl.current is None:
            self.live.record(EventKind.START)
        else:
            self.live.record(EventKind.PAUSE if tl.running else "resume")

    @when_connected
    def action_next_step(self) -> None:
        tl = self.live.timeline()
        if tl.closed:
            return
        target = tl.following(tl.current)
        if target is None:
            self.notify(_("This is the last step. Press x to close the meeting."))
            return
        self.live.record(EventKind.GOTO, {"step": target})
        self.step_entered(target)

    def step_entered(self, index: int) -> None:
        """The moderator moved on to step `index` (the full agenda starts a sub-agenda there)."""

    @when_connected
    def action_previous_step(self) -> None:
        tl = self.live.timeline()
        target = tl.preceding(tl.current)
        if tl.closed or target is None:
            return
        self.live.record(EventKind.GOTO, {"step": target})

    def _adjust(self, seconds: int) -> None:
        tl = self.live.timeline()
        if tl.closed:
            return
        step = tl.current if tl.current is not None else 0
        self.live.record(EventKind.ADJUST, {"step": step, "seconds": seconds})

    @when_connected
    def action_more_time(self) -> None:
        self._adjust(60)

    @when_connected
    def action_less_time(self) -> None:
        self._adjust(-60)

    @when_connected
    def action_take_break(self) -> None:
        """Ask until when, then pause the step for a break the room sees (and the end moves)."""
        from kring.screens.dialogs.prompt import TextPromptScreen

        tl = self.live.timeline()
        if tl.closed or tl.current is None:
            self.notify(_("A break starts once the meeting runs."))
            return
        suggested = clock_time(tl.now + timedelta(minutes=BREAK_MINUTES))

        def problem(answer: str) -> str | None:
            if break_end(answer, self.live.timeline().now) is not None:
                return None
            return _("'{text}' is no time still to come today: write it as HH:MM, for example {example}.").format(
                text=answer, example=suggested)

        def done(answer: str | None) -> None:
            until = break_end(answer, self.live.timeline().now) if answer is not None else None
            if until is not None:  # checked as typed; the clock may just have passed it
                self.live.record(EventKind.BREAK, {"until": until.isoformat()})

        self.app.push_screen(TextPromptScreen(_("Break: we go on at (HH:MM)"), suggested, problem), done)

    @when_connected
    def action_pre_meeting_check(self) -> None:
        """Who is here, the case-bringer, the note-taker, the planned start and end."""
        self.open_check()

    def open_check(self):  # noqa: ANN201 - Textual's AwaitMount: awaited, the check is up
        from kring.screens.dialogs.premeeting import PreMeetingScreen

        return self.app.push_screen(PreMeetingScreen(self.live, self.choose_case_for_check))

    def choose_case_for_check(self) -> None:
        """The check's `c`: the full agenda chooses the case-bringer; the core has no rounds."""
        self.notify(_("The case-bringer is chosen once the meeting has opened."))

    @when_connected
    def action_close_meeting(self) -> None:
        from kring.screens.dialogs.confirm import ConfirmScreen

        if self.live.timeline().closed:
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.live.record(EventKind.CLOSE)
                self.after_close()

        self.app.push_screen(ConfirmScreen(_("Close the meeting? This records its end.")), done)

    def after_close(self) -> None:
        """What follows the moderator's close (a network's meeting proposes the next date)."""
