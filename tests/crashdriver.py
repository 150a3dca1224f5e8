"""A crash driver: kring in real pseudo-terminals, killed with SIGKILL at random moments.

Each *lane* plays one person over and over: the moderator (agenda and rounds
keys), the note-taker (typing notes) or a participant (filling in the
evaluation). A lane starts the real `kring` command in a pty, checks that what
the screen shows on restart is what the store says, then acts at a person's
pace until a timer kills the whole process group at a random moment (sometimes
while it is still starting). After every kill the driver reads the store itself:

* everything the driver had seen stored before the kill is still there, unchanged;
* an action still on its way when the kill came landed whole or not at all;
* of what was typed, only the last moment may be missing (`GRACE` seconds);
* stored event times lie between the key press and the moment it was seen stored.

Seeded: the same seed gives the same keys, texts and kill delays (the timing of
the machine still varies). Used by tests/test_reliability_crash.py; helpers for
the other reliability tests live here too.
"""

from __future__ import annotations

import ctypes
import os
import random
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tests.ptyterm import Terminal, kring_env  # noqa: F401 - kring_env is used by the reliability tests

# Typing older than this before a kill must be in the store (the draft is written
# at most every 0.25 s, through the outbox).
GRACE = 1.5

STEP_ROW = re.compile(r"^ ([✓▶ ])\s+(\d+)\. .*?\s(\d{2,}:\d{2})(?:\s+(\+?\d{2,}:\d{2}))?\s*$")


# --- helpers shared by the reliability tests ------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a running process has used so far."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reap(term: Terminal, timeout: float) -> tuple[float, float | None, int | None]:
    """Wait for the child to end: (seconds waited, its total CPU seconds, exit status).
    Status None (and CPU None) if it did not end in time."""
    started = time.monotonic()
    pid = term.proc.pid
    while time.monotonic() - started < timeout:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done == pid:
            term.proc.returncode = os.waitstatus_to_exitcode(status)
            return time.monotonic() - started, usage.ru_utime + usage.ru_stime, term.proc.returncode
        if term.master is not None:
            term.pump(0.02)  # keep reading: a full terminal buffer would stop the child mid-write
        else:
            time.sleep(0.02)
    return time.monotonic() - started, None, None


def without_root_powers() -> None:
    """In a child run as root: drop the powers that ignore file modes, so a chmod-ed
    store is read-only for it as for anyone else (no-op for other users)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    PR_CAPBSET_DROP = 24
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)


def say(request: Any, line: str) -> None:
    """Print a figures line in the test run's output, even with capture on."""
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is None or reporter is None:  # pragma: no cover
        print(f"reliability: {line}")
        return
    with capture.global_and_fixture_disabled():
        reporter.ensure_newline()
        reporter.write_line(f"reliability: {line}")


class Term(Terminal):
    """A Terminal that keeps every byte it read (messages printed after the app ends)."""

    def __init__(self, *args: str, **kw: Any) -> None:
        self.raw = bytearray()
        super().__init__(*args, **kw)

    def received(self, data: bytes) -> None:
        self.raw.extend(data)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def until(self, found: Callable[[str], bool], timeout: float) -> bool:
        """Pump until `found(screen)`; False if the process ended or time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if found(self.text()):
                return True
            if not self.alive():
                self.pump()
                return found(self.text())
        return False

    def type_slowly(self, text: str, rng: random.Random, typed_at: list[float]) -> bool:
        """Type one character at a time at a fast typist's pace; False once the process is gone."""
        for ch in text:
            if not self.alive() or self.master is None:
                return False
            try:
                os.write(self.master, ch.encode())
            except OSError:
                return False
            typed_at.append(time.time())
            self.pump(rng.uniform(0.01, 0.06))
        return self.alive()

    def key(self, key: str) -> bool:
        if not self.alive() or self.master is None:
            return False
        try:
            os.write(self.master, key.encode())
        except OSError:
            return False
        return True


# --- the driver ----------------------------------------------------------------------------


@dataclass
class Figures:
    kills: dict[str, int] = field(default_factory=lambda: {"agenda": 0, "notes": 0, "evaluation": 0})
    during_startup: int = 0
    restarts_checked: int = 0
    events_checked: int = 0
    notes_checked: int = 0
    drafts_checked: int = 0
    answers_checked: int = 0
    landed_in_flight: int = 0  # an action the kill caught on its way that landed whole
    lost_in_flight: int = 0  # an action the kill caught before it was written (not yet shown as saved)
    max_save_seconds: float = 0.0  # key press to seen in the store

    @property
    def total_kills(self) -> int:
        return sum(self.kills.values())


class Failure(AssertionError):
    pass


class CrashDriver:
    """Runs lanes against one store; `problems` collects every broken promise."""

    def __init__(self, tmp_path: Path, db_url: str, seed: int, size: tuple[int, int] = (100, 40)) -> None:
        from kring.data.store import Store

        self.tmp_path = tmp_path
        self.db = db_url
        self.env = kring_env(tmp_path, db_url, USER="moderator")
        self.store = Store(db_url)
        self.seed = seed
        self.size = size
        self.figures = Figures()
        self.problems: list[str] = []
        self._lock = threading.Lock()

    # --- bookkeeping ------------------------------------------------------------------

    def fail(self, lane: str, cycle: int, what: str, screen: str = "") -> None:
        with self._lock:
            self.problems.append(f"[{lane} #{cycle}] {what}" + (f"\n{screen}" if screen else ""))

    def count(self, **kw: float) -> None:
        with self._lock:
            for k, v in kw.items():
                if k == "max_save_seconds":
                    self.figures.max_save_seconds = max(self.figures.max_save_seconds, v)
                elif k.startswith("kill_"):
                    self.figures.kills[k[5:]] += int(v)
                else:
                    setattr(self.figures, k, getattr(self.figures, k) + v)

    def launch(self, *args: str, user: str = "moderator") -> Term:
        return Term(*args, env={**self.env, "USER": user}, size=self.size)

    def kill_timer(self, term: Term, delay: float) -> threading.Timer:
        def kill() -> None:
            try:
                os.killpg(term.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

        timer = threading.Timer(delay, kill)
        timer.daemon = True
        timer.start()
        return timer

    def plan_kill(self, rng: random.Random, up_window: float) -> tuple[bool, float]:
        """(during start-up?, delay): about one kill in eight lands while the process starts."""
        if rng.random() < 0.12:
            return True, rng.uniform(0.05, 1.0)
        return False, rng.uniform(0.0, up_window)

    def finish(self, term: Term, timer: threading.Timer | None) -> None:
        """Wait for the kill (or the process's own end), then drop the terminal."""
        deadline = time.monotonic() + 30
        while term.alive() and time.monotonic() < deadline:
            term.pump(0.02)
        if timer is not None:
            timer.cancel()
        term.stop()

    # --- the moderator: agenda and rounds -------------------------------------------------

    def setup_agenda(self, names: list[str]) -> int:
        from kring.data.core.clock import SystemClock
        from kring.data.meetings import create_meeting
        from kring.workformats.loader import find

        return create_meeting(self.store, find("standaard").model_dump(mode="json"), names, SystemClock(),
                              title="Crashproef")

    def agenda_keys(self, info: Any, events: list[Any]) -> list[tuple[str, str]]:
        """Keys that record exactly one event now, with the kind each records."""
        import pendulum

        from kring.data.core.rounds import round_view
        from kring.data.core.timeline import derive

        tl = derive(info.plan, events, pendulum.now("UTC"))
        if tl.closed:
            return []
        keys: list[tuple[str, str]] = []
        if tl.current is None:
            keys += [(" ", "start"), ("n", "goto")]
        else:
            keys += [(" ", "pause" if tl.running else "resume"), ("+", "adjust"), ("-", "adjust")]
            if tl.current + 1 < len(tl.steps):
                keys.append(("n", "goto"))
            if tl.current >= 1:
                keys.append(("p", "goto"))
            view = round_view(info.format, info.names, tl)
            if view.kind == "round" and view.speakers and (view.next is not None or view.speaker is not None):
                keys += [("s", "speaker")] * 3
        return keys

    def check_agenda_screen(self, term: Term, info: Any, cycle: int) -> None:
        """The restarted agenda shows the step, pause and times the stored log gives."""
        import pendulum

        from kring.data.core.timeline import derive
        from kring.data.meetings import load_events

        def rows_ready(screen: str) -> bool:
            rows = [m for m in map(STEP_ROW.match, screen.splitlines()) if m]
            # a row's time may land a frame after its label (start-up hands the
            # first paint over to the full agenda); judge the settled screen
            settled = all(m.group(4) for m in rows if m.group(1) in ("▶", "✓"))
            return len(rows) == len(info.plan) and settled

        if not term.until(lambda s: ("Stap " in s or "Klaar:" in s) and rows_ready(s), 15):
            if term.alive():
                self.fail("agenda", cycle, "the agenda did not appear after a restart", term.text())
            return
        term.pump(0.15)  # the rest of this refresh
        # A start first writes the keys its journal kept (shown before the kill, not yet
        # stored): judge the screen against the log once the store has them, within 2 s.
        for _ in range(10):
            screen = term.text()
            tl = derive(info.plan, load_events(self.store, info.id), pendulum.now("UTC"))
            if not term.alive():
                return
            problems = self._agenda_problems(screen, tl)
            if not problems:
                break
            term.pump(0.2)
        for problem in problems:
            self.fail("agenda", cycle, problem, screen)
        self.count(restarts_checked=1)

    @staticmethod
    def _agenda_problems(screen: str, tl: Any) -> list[str]:
        from kring.data.labels import countdown, mmss

        problems: list[str] = []
        lines = screen.splitlines()
        want_title = "Klaar:" if tl.current is None else f"Stap {tl.current + 1} van {len(tl.steps)}:"
        if not any(want_title in line for line in lines[:4]):
            problems.append(f"restart shows the wrong step (want {want_title!r})")
        paused = tl.current is not None and not tl.running and not tl.closed
        if paused != ("Gepauzeerd." in screen):
            problems.append(f"restart shows paused={not paused}, the log says paused={paused}")
        for line in lines:
            m = STEP_ROW.match(line)
            if not m:
                continue
            marker, number, planned, state = m.group(1), int(m.group(2)), m.group(3), m.group(4)
            step = tl.steps[number - 1]
            if planned != mmss(step.planned):
                problems.append(f"step {number}: planned {planned}, the log says {mmss(step.planned)}")
            live = tl.current == step.index and not tl.closed
            if live:
                want = [countdown(step.remaining + d) for d in (-2, -1, 0, 1, 2)]
                if marker != "▶" or state not in want:
                    problems.append(f"live step {number}: shows {state}, the log says {want[2]}")
            elif step.elapsed > 0:
                want = [mmss(step.elapsed + d) for d in (-1, 0, 1)]
                if marker != "✓" or state not in want:
                    problems.append(f"done step {number}: shows {state}, the log says {want[1]}")
        return problems

    def agenda_lane(self, meeting_id: int, kills: int, rng: random.Random) -> None:
        from kring.data.meetings import get_meeting, load_events

        info = get_meeting(self.store, meeting_id)
        seen: list[Any] = load_events(self.store, meeting_id)  # what the driver has seen stored
        # Keys shown before a kill but not yet stored: the moderator's key journal writes
        # them at the next start, stamped when they were shown, before any new key.
        carried: list[tuple[str, float]] = []
        for cycle in range(kills + 1):
            last = cycle == kills  # one more start, only to check the restart after the last kill
            term = self.launch("resume", str(meeting_id))
            timer = None
            in_startup, delay = self.plan_kill(rng, 1.6)
            if in_startup and not last:
                timer = self.kill_timer(term, delay)
            self.check_agenda_screen(term, info, cycle)
            if last:
                term.key("q")
                self.finish(term, self.kill_timer(term, 10))
                break
            if timer is None:
                timer = self.kill_timer(term, delay)
            pending: tuple[str, float] | None = None
            while term.alive():
                choices = self.agenda_keys(info, seen)
                if carried:
                    # The start may still be writing keys its journal brought back (a pause the
                    # app already shows): space could mean the opposite of what the log says yet.
                    choices = [c for c in choices if c[0] != " "] or choices
                if not choices:
                    break
                key, kind = rng.choice(choices)
                pressed = time.time()
                if not term.key(key):
                    break
                pending = (kind, pressed)
                # wait until the store has it: then it is shown as saved
                while term.alive():
                    term.pump(0.01)
                    now_stored = load_events(self.store, meeting_id)
                    if len(now_stored) > len(seen):
                        waiting = len(carried)
                        carried = self._check_new_events("agenda", cycle, seen, now_stored, [pending], carried)
                        stored_now = len(now_stored) - len(seen) - (waiting - len(carried))
                        seen = now_stored
                        if stored_now > 0:  # not only a carried key coming back: this one is stored
                            self.count(max_save_seconds=time.time() - pressed)
                            pending = None
                            carried = []  # the start wrote its journal before this key, or never will
                            break
                term.pump(rng.uniform(0.02, 0.3))
            self.finish(term, timer)
            self.count(kill_agenda=1, during_startup=int(in_startup))
            after = load_events(self.store, meeting_id)
            waiting = len(carried)
            carried = self._check_new_events("agenda", cycle, seen, after, [pending] if pending else [], carried)
            landed = len(after) - len(seen) - (waiting - len(carried)) > 0
            if pending is not None and landed:
                self.count(landed_in_flight=1)
            elif pending is not None:
                self.count(lost_in_flight=1)
                carried.append(pending)  # shown before the kill, perhaps: the next start may write it
            seen = after
            self.count(events_checked=len(seen))

    def _check_new_events(self, lane: str, cycle: int, before: list[Any], after: list[Any],
                          pending: list[tuple[str, float]],
                          carried: list[tuple[str, float]] | None = None) -> list[tuple[str, float]]:
        """Stored events never change or vanish; new ones are exactly the keys on their way,
        after any `carried` keys (shown before a kill) the journal brings back, in order.
        Gives the carried keys still to come."""
        carried = list(carried or [])
        if [(e.uid, e.kind, e.data, e.at) for e in after[: len(before)]] != [
            (e.uid, e.kind, e.data, e.at) for e in before
        ]:
            self.fail(lane, cycle, f"stored events changed or vanished: had {len(before)}, now {len(after)}")
            return carried
        new = after[len(before):]
        # a carried key was shown before this cycle's keys were pressed: stamped before them
        latest = pending[0][1] if pending else time.time() + 0.05
        while new and carried:
            # a key never shown is not in the journal: the ones before a match are gone
            match = next((i for i, (kind, pressed) in enumerate(carried)
                          if new[0].kind == kind and pressed - 0.05 <= new[0].at.timestamp() < latest), None)
            if match is None:
                break
            new = new[1:]
            del carried[: match + 1]
        if len(new) > len(pending):
            self.fail(lane, cycle, f"{len(new)} new events for {len(pending)} keys: {[e.kind for e in new]}")
            return carried
        for ev, (kind, pressed) in zip(new, pending):
            if ev.kind != kind:
                self.fail(lane, cycle, f"key for {kind!r} stored a {ev.kind!r} event")
            stamp = ev.at.timestamp()
            if not (pressed - 0.05 <= stamp <= time.time() + 0.05):
                self.fail(lane, cycle, f"{kind} event stamped {stamp - pressed:+.2f}s from its key press")
        return carried

    # --- the note-taker ---------------------------------------------------------------------

    NOTE_KINDS = (("", "note"), ("b: ", "decision"), ("i: ", "insight"), ("v: ", "question"), ("p: ", "parking"))
    WORDS = ("planning", "budget", "wijkteam", "casus", "afspraak", "gemeente", "terugkoppeling", "rooster",
             "cliënt", "overdracht", "scholing", "signaal", "netwerk", "inzet", "tijdpad")

    def note_text(self, rng: random.Random) -> tuple[str, str, str]:
        prefix, kind = rng.choice(self.NOTE_KINDS)
        body = " ".join(rng.choice(self.WORDS) for _ in range(rng.randint(2, 5))) + f" {rng.randint(1, 999)}"
        return prefix + body, kind, body

    def expect(self, full: str, names: list[str]) -> tuple[str, str]:
        """(kind, text) a typed note is filed as (the note parser is tested on its own)."""
        import pendulum

        from kring.data.core.noteparse import parse_note

        parsed = parse_note(full, names, pendulum.now("UTC"))
        return parsed.kind, parsed.text

    def notes_lane(self, meeting_id: int, kills: int, rng: random.Random, author: str = "Notulist") -> None:
        from kring.data.draftjournal import recover
        from kring.data.meetings import get_meeting
        from kring.data.notes import draft_key, list_notes

        names = get_meeting(self.store, meeting_id).names
        key = draft_key(author, "notulist")
        confirmed: dict[str, tuple[str, str]] = {}  # uid -> (kind, text) seen stored
        for cycle in range(kills + 1):
            last = cycle == kills
            # the input starts with the draft the app brings back: the store's, or the
            # journal its last run kept per keystroke when that is newer
            draft = recover(self.store, meeting_id, key)
            current = draft.text if draft else ""
            typed_at: list[float] = [0.0] * len(current)  # when each character of the input was typed
            term = self.launch("notes", str(meeting_id), "--as", author, user=author)
            in_startup, delay = self.plan_kill(rng, 2.2)
            timer = self.kill_timer(term, delay) if in_startup and not last else None
            ready = term.until(lambda s: "Stap " in s or "Nog niet begonnen" in s, 15)
            if ready and current.strip():
                tail = current.strip()[-30:]
                if not term.until(lambda s: tail in s, 5) and term.alive():
                    self.fail("notes", cycle, f"the draft {current!r} did not come back in the input", term.text())
            stored_notes = [n for n in list_notes(self.store, meeting_id) if n.author == author]
            if ready and stored_notes and term.alive():
                # the list is grouped by step and shows its end: one of the last notes is on screen
                shown = sorted(stored_notes, key=lambda n: (-1 if n.step_index is None else n.step_index, n.at,
                                                            n.id or 0))[-3:]
                if not term.until(lambda s: any(n.text[:20] in s for n in shown), 5) and term.alive():
                    self.fail("notes", cycle, f"none of the last notes {[n.text for n in shown]} is on screen",
                              term.text())
            if ready and term.alive():
                self.count(restarts_checked=1)
            if last:
                term.key("\x11")  # ctrl+q
                self.finish(term, self.kill_timer(term, 10))
                break
            if timer is None:
                timer = self.kill_timer(term, delay)
            entered: tuple[str, str, str, list[float]] | None = None  # Enter pressed, not yet seen stored
            while ready and term.alive():
                if current:  # a restored draft: finish it, it becomes this note
                    rest = " " + " ".join(rng.choice(self.WORDS) for _ in range(rng.randint(1, 3)))
                else:
                    rest = self.note_text(rng)[0]
                full = current + rest
                for ch in rest:
                    if not term.key(ch):
                        break
                    current += ch
                    typed_at.append(time.time())
                    term.pump(rng.uniform(0.01, 0.06))
                if current != full or not term.key("\r"):
                    break
                kind, text = self.expect(full, names)
                entered, current, typed_at = (full, kind, text, typed_at), "", []
                pressed = time.time()
                while term.alive():
                    term.pump(0.02)
                    new = [n for n in list_notes(self.store, meeting_id)
                           if n.author == author and n.uid not in confirmed]
                    if new:
                        for n in new:
                            if (n.kind, n.text) != (kind, text):
                                self.fail("notes", cycle, f"typed {full!r}, stored {n.kind}: {n.text!r}")
                            confirmed[n.uid] = (n.kind, n.text)
                        entered = None
                        self.count(max_save_seconds=time.time() - pressed)
                        break
                term.pump(rng.uniform(0.05, 0.4))
            killed_at = time.time()
            self.finish(term, timer)
            self.count(kill_notes=1, during_startup=int(in_startup))
            self._check_notes(cycle, meeting_id, author, key, confirmed, entered, current, typed_at, killed_at)

    def _check_notes(self, cycle: int, meeting_id: int, author: str, key: str,
                     confirmed: dict[str, tuple[str, str]], entered: tuple[str, str, str, list[float]] | None,
                     current: str, typed_at: list[float], killed_at: float) -> None:
        """After a kill: stored notes unchanged; of what was typed only the last moment may be missing."""
        from kring.data.draftjournal import recover
        from kring.data.notes import list_notes

        notes = {n.uid: n for n in list_notes(self.store, meeting_id) if n.author == author}
        for uid, (kind, text) in confirmed.items():
            n = notes.get(uid)
            if n is None or (n.kind, n.text) != (kind, text):
                self.fail("notes", cycle, f"a stored note is gone or changed: {text!r}")
        self.count(notes_checked=len(confirmed))
        draft = recover(self.store, meeting_id, key)  # what the next start brings back
        draft_text = draft.text if draft else ""
        new = {uid: n for uid, n in notes.items() if uid not in confirmed}
        if entered is not None:
            full, kind, text, times = entered
            if new:  # it landed whole: the note is stored and its draft is gone, in one go
                for uid, n in new.items():
                    if (n.kind, n.text) != (kind, text):
                        self.fail("notes", cycle, f"typed {full!r}, stored {n.kind}: {n.text!r}")
                    confirmed[uid] = (n.kind, n.text)
                self.count(landed_in_flight=1)
                if draft_text:
                    self.fail("notes", cycle, f"note {text!r} stored and its draft {draft_text!r} left as well")
            else:  # still the draft: it comes back in the input
                self.count(lost_in_flight=1)
                must = sum(1 for t in times if t < killed_at - GRACE)
                if not full.startswith(draft_text) or len(draft_text) < must:
                    self.fail("notes", cycle, f"Enter on {full!r}: not stored and the draft holds {draft_text!r}")
        else:
            if new:
                self.fail("notes", cycle, f"notes nobody finished: {[n.text for n in new.values()]}")
            must = sum(1 for t in typed_at if t < killed_at - GRACE)
            if not current.startswith(draft_text) or len(draft_text) < must:
                self.fail("notes", cycle, f"draft {draft_text!r} lost typing: the input held {current!r}, "
                                          f"{must} characters of it typed more than {GRACE}s before the kill")
        self.count(drafts_checked=1)

    # --- a participant: the evaluation ------------------------------------------------------

    def setup_evaluation(self, names: list[str]) -> int:
        from kring.data.core.clock import SystemClock
        from kring.data.meetings import create_meeting
        from kring.workformats.loader import find

        return create_meeting(self.store, find("standaard").model_dump(mode="json"), names, SystemClock(),
                              title="Evaluatieproef")

    def evaluation_lane(self, meeting_id: int, names: list[str], kills: int, rng: random.Random) -> None:
        from sqlmodel import select

        from kring.data.evaluation import progress
        from kring.data.models import EvaluationResponse

        def stored(name: str) -> dict[str, Any] | None:
            with self.store.session() as s:
                row = s.exec(select(EvaluationResponse).where(EvaluationResponse.meeting_id == meeting_id,
                                                              EvaluationResponse.participant == name)).first()
                return None if row is None else dict(row.answers)

        done: dict[str, dict[str, Any]] = {}
        waiting = list(names)
        killed = 0
        cycle = 0
        refusals = 0
        while killed < kills and waiting:
            cycle += 1
            name = waiting[0]
            answers: dict[str, Any] = {"roti": rng.randint(0, 4), "relevance": rng.randint(1, 5),
                                       "safety": rng.randint(0, 9), "goals": rng.randint(0, 9),
                                       "method": rng.randint(0, 9), "top": f"Goed gesprek {rng.randint(1, 99)}"}
            kept_before = self._kept_answers(meeting_id, name)
            term = self.launch("evaluate", str(meeting_id), "--as", name, user=name)
            in_startup, delay = self.plan_kill(rng, 1.4)
            timer = self.kill_timer(term, delay) if in_startup else None
            # typing starts as the form's top shows: on the first paint, before the store is
            # open, the keys wait for the full form (kring.tui.evaluate_app) and must land each
            # on its own question
            if term.until(lambda s: "1. " in s and "met je naam" in s, 15):
                if timer is None:
                    timer = self.kill_timer(term, delay)
                for k in ("roti", "relevance", "safety", "goals", "method"):
                    if not term.key(str(answers[k])):
                        break
                    term.pump(rng.uniform(0.02, 0.15))
                    term.key("\r")
                    term.pump(rng.uniform(0.02, 0.1))
                else:
                    if term.type_slowly(answers["top"], rng, []):
                        term.key("\x13")  # ctrl+s
            self.finish(term, timer or self.kill_timer(term, 0))
            thanked = b"Dank je" in term.raw or b"Thank you" in term.raw
            got = stored(name)
            if term.proc.returncode == -signal.SIGKILL:
                killed += 1
                self.count(kill_evaluation=1, during_startup=int(in_startup))
            if thanked and got is None:
                self.fail("evaluation", cycle, f"{name} was thanked but the answers are not stored")
            if got is None:
                self._check_kept_answers(cycle, meeting_id, name, kept_before, answers)
            if got is not None:
                if got != answers:
                    self.fail("evaluation", cycle, f"{name}'s stored answers {got} are not what was typed {answers}")
                self.count(answers_checked=len(got), landed_in_flight=int(not thanked))
                done[name] = got
                waiting.pop(0)
                if refusals < 3:
                    # a second start for the same person is refused, and changes nothing
                    again = self.launch("evaluate", str(meeting_id), "--as", name, user=name)
                    again.until(lambda s: False, 10)
                    again.stop()
                    refusals += 1
                    if again.proc.returncode != 2 or b"al ingevuld" not in again.raw:
                        self.fail("evaluation", cycle, f"a second evaluate for {name} was not refused "
                                                       f"(exit {again.proc.returncode})")
            elif thanked is False and term.proc.returncode == 0:
                self.fail("evaluation", cycle, f"{name}'s form ended without a kill and without being stored")
        answered = progress(self.store, meeting_id)["names"]
        if sorted(answered) != sorted(done):
            self.fail("evaluation", cycle, f"receipts {sorted(answered)} differ from the stored answers {sorted(done)}")
        for name, answers in done.items():
            if stored(name) != answers:
                self.fail("evaluation", cycle, f"{name}'s answers changed after later kills")

    def _kept_answers(self, meeting_id: int, name: str) -> dict[str, Any]:
        from kring.data.draftjournal import DraftJournal, journal_path

        path = journal_path(self.store.url, self.store.path, meeting_id, f"{name}#evaluate")
        state = DraftJournal.read(path) if path is not None else None
        return dict((state[1].get("answers") if state else None) or {})

    def _check_kept_answers(self, cycle: int, meeting_id: int, name: str, before: dict[str, Any],
                            typed: dict[str, Any]) -> None:
        """After a kill, each answer the form kept is the one typed for its question (this
        time, or kept from before and not typed over yet): none a question late."""
        kept = self._kept_answers(meeting_id, name)
        for question, value in kept.items():
            fits = value == before.get(question) or (
                typed["top"].startswith(value) if question == "top" else value == typed.get(question))
            if not fits:
                self.fail("evaluation", cycle, f"{name}'s form kept {question}={value!r}: typed was "
                                               f"{typed.get(question)!r}, kept before {before.get(question)!r}")
        self.count(answers_checked=len(kept))
