"""The round beside the countdown: whose turn it is (big), the speaking order with who
is done, the case-bringer and whether they only listen.

Each line is its own small widget and is rewritten only when its text changes,
so a running round sends one short line a second over a slow link.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.markup import escape
from textual.widgets import Static

from kring.data.core.rounds import RoundView
from kring.data.i18n import _
from kring.data.labels import countdown, mmss
from kring.tui.widgets.round_name import BigName

MARKS = {
    "now": "[b reverse] ▶ {name} [/]",
    "done": "[$success]✓ {name}[/]",
    "next": "[b]→ {name}[/]",
    "waiting": "{name}",
    "passed": "[$warning]↻ {name}[/]",
    "declined": "[$text-muted]– {name}[/]",
    "absent": "[$text-muted]✗ {name}[/]",
    "listening": "[$text-muted i]{name}[/]",
}


def order_markup(view: RoundView) -> str:
    seats = [s for s in view.seats if s.state != "listening"]
    def mark(state: str) -> str:
        # in a break whoever held the floor is the one next (and only they): nobody speaks until the round goes on
        if view.on_break and view.speaker is not None and state in ("now", "next"):
            return MARKS["next" if state == "now" else "waiting"]
        return MARKS[state]

    return "  ".join(mark(s.state).format(name=escape(s.name)) for s in seats)


class RoundsPanel(Vertical):
    DEFAULT_CSS = """
    RoundsPanel { height: auto; }
    RoundsPanel.-empty { display: none; }
    RoundsPanel > Static { height: auto; }
    RoundsPanel #round-name { color: $accent; }
    RoundsPanel #round-name.-waiting { color: $text-muted; text-style: none; }
    RoundsPanel #round-who.-over { color: $error; text-style: bold; }
    RoundsPanel #round-who.-warn { color: $warning; }
    RoundsPanel #round-who.-ask { color: $warning; text-style: bold; }
    RoundsPanel #round-order { max-height: 3; }
    RoundsPanel #round-silent { background: $warning 30%; text-style: bold; padding: 0 1; }
    RoundsPanel #round-case { color: $secondary; }
    RoundsPanel .-hidden { display: none; }
    RoundsPanel.-small #round-name { display: none; }
    RoundsPanel.-small #round-order { max-height: 1; }
    RoundsPanel.-small #round-case { display: none; }
    """

    # Fed by the agenda: the round as derived now, and whether the terminal is small.
    view: reactive[RoundView | None] = reactive(None, init=False)
    small: reactive[bool] = reactive(False, init=False)

    def __init__(self) -> None:
        super().__init__(id="rounds-panel", classes="side-panel -empty")
        self._texts: dict[str, str] = {}

    def watch_view(self) -> None:
        self._show()

    def watch_small(self) -> None:
        self._show()

    def compose(self) -> ComposeResult:
        yield BigName(id="round-name")
        yield Static("", id="round-who")
        yield Static("", id="round-order")
        yield Static("", id="round-silent")
        yield Static("", id="round-case")

    def _line(self, ident: str, text: str) -> None:
        if self._texts.get(ident) == text:
            return
        self._texts[ident] = text
        widget = self.query_one(f"#{ident}", Static)
        widget.update(text)
        widget.set_class(not text, "-hidden")

    def on_mount(self) -> None:
        self._show()  # a view given before the panel's lines were made

    def _show(self) -> None:
        view, small = self.view, self.small
        if view is None or not self.children:
            return
        self.set_class(small, "-small")
        name, who, order, silent, case, who_class = self.texts(view, small)
        empty = not (name or who or order or silent or case)
        self.set_class(empty, "-empty")
        big = self.query_one(BigName)
        waiting = bool(name) and name != view.speaker
        big.show(name, grow=not waiting)  # only whoever has the floor grows with the window
        big.set_class(waiting, "-waiting")
        self._line("round-who", who)
        who_widget = self.query_one("#round-who", Static)
        for cls in ("-over", "-warn", "-ask"):
            who_widget.set_class(who_class == cls, cls)
        self._line("round-order", order)
        self._line("round-silent", silent)
        self._line("round-case", case)

    # --- what each line says ---------------------------------------------------------

    def texts(self, view: RoundView, small: bool = False) -> tuple[str, str, str, str, str, str]:
        """(big name, who line, order, silent notice, case line, who-line class).

        `small`: a terminal too small for the big name; the who line says it in few words."""
        cb = view.case_bringer
        name = who = order = silent = case = who_class = ""
        if view.step is None:
            return name, who, order, silent, case, who_class
        if view.kind == "round":
            order = order_markup(view)
            if view.collect:
                title = _("Read out for {name}: {done} of {n} done").format(
                    name=escape(cb) if cb else _("the case-bringer"), done=len(view.done), n=view.speakers
                )
                order = f"[b]{title}[/b]\n{order}"
            left = view.speaker_left
            if view.speakers == 0:
                who, who_class = _("Nobody to go round: everyone is absent. Press l to add a latecomer."), "-ask"
            elif view.speaker is not None and left is not None and small:
                name = view.speaker
                who = f"[b]▶ {escape(view.speaker)}[/b]  {countdown(left)}"
                who_class = "-over" if left <= 0 else ("-warn" if left <= 15 else "")
            elif view.speaker is not None and left is not None:
                name = view.speaker
                if left > 0:
                    who = _("{name} has the floor · {left} left of {share} each").format(
                        name=escape(view.speaker), left=countdown(left), share=mmss(view.share))
                    who_class = "-warn" if left <= 15 else ""
                else:
                    who = _("{name} has the floor · {over} over the {share} each").format(
                        name=escape(view.speaker), over=countdown(left), share=mmss(view.share))
                    who_class = "-over"
            elif view.speaker is not None:  # the case-bringer before the round
                name = view.speaker
                who = _("{name} has the floor. Press s when the round begins.").format(name=escape(view.speaker))
            elif view.complete:
                who = _("Round complete: everyone has had a turn. Press n for the next step.")
            elif view.next is not None and small:
                name = view.next
                who, who_class = _("Next: {name} (s)").format(name=escape(view.next)), "-ask"
            elif view.next is not None:
                name = view.next
                key = _("First: {name} · {share} each · s gives the floor") if not view.started else \
                    _("Next: {name} · s gives the floor")
                who, who_class = key.format(name=escape(view.next), share=mmss(view.share)), "-ask"
        elif view.kind == "case":
            if cb and view.speaker == cb:
                name = cb
                who = _("{name} brings the case and has the floor").format(name=escape(cb))
            elif cb and view.speaker:
                name = view.speaker
                who = _("{name} has the floor").format(name=escape(view.speaker))
            elif not cb:
                who, who_class = _("No case-bringer yet: press c to choose one."), "-ask"
        if view.choose_case and not cb and view.kind != "case":
            choose = _("Choose the case: press c to name the case-bringer.")
            who, who_class = (f"{who}\n{choose}" if who else choose), (who_class or "-ask")
        if view.silent:
            who_silent = escape(cb) if cb else _("The case-bringer")
            if view.silent == "back_turned":
                silent = _("{name} sits with their back to the group and takes notes: talk about the case, not to them.")
            else:
                silent = _("{name} only listens in this step: no reactions, no answers.")
            silent = silent.format(name=who_silent)
        case = self._case_line(view)
        if view.on_break:  # a break: nobody has the floor on screen, and no name is large
            name = ""
            if view.speaker:
                who, who_class = _("Break: {name} goes on after it").format(name=escape(view.speaker)), ""
        return name, who, order, silent, case, who_class

    def _case_line(self, view: RoundView) -> str:
        parts = []
        cb = view.case_bringer
        if cb:
            line = _("Case-bringer: {name}").format(name=escape(cb))
            if view.case_title:
                line += f" — {escape(view.case_title)}"
            parts.append(line)
        if view.confidential:
            parts.append(_("confidential: stays in the room"))
        elif cb and view.consent:
            parts.append(_("may be shared ({name} agreed)").format(name=escape(cb)))
        if view.loop_to is not None:
            back = _("r: back to '{title}' if {name} needs more").format(
                title=escape(view.loop_title), name=escape(cb) if cb else _("the case-bringer"))
            if view.loops:
                back += " · " + _("pass {n}").format(n=view.loops + 1)
            parts.append(back)
        elif view.loops:
            parts.append(_("pass {n}").format(n=view.loops + 1))
        if not cb and not view.loop_to and not view.loops and not view.confidential:
            return ""
        return " · ".join(parts)
