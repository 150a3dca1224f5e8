"""The moderator's summary of the evaluation so far (the agenda's `u`): per question the
distribution, the mean and the open answers, withheld while anonymous answers are
too few to hide anyone. It follows new answers as the store brings them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Static

from kring.data.errors import InputError, first_line
from kring.data.evaluation_summary import MeetingSummary
from kring.data.i18n import _
from kring.data.labels import number as decimal
from kring.screens.live import LiveScreen

if TYPE_CHECKING:
    from kring.tui.session import LiveMeeting

BAR = "█"


def question_lines(entry: dict[str, Any], width: int = 16, line_width: int = 76) -> Text:
    """One question's summary as text: distribution bars, mean, the open answers.

    `width`: the longest bar; `line_width`: labels are cut to fit a line.
    """
    text = Text()
    count = entry["count"]
    text.append(entry["text"], style="bold")
    figures = _("1 answer") if count == 1 else _("{n} answers").format(n=count)
    if entry["mean"] is not None:
        figures += " · " + _("mean {mean}").format(mean=decimal(entry["mean"]))
    text.append(f"  ({figures})", style="dim")
    if entry["type"] in ("roti", "scale", "choice"):
        dist: dict[Any, int] = entry["distribution"]
        top = max(dist.values(), default=0) or 1
        choice = entry["type"] == "choice"
        labels = {i + 1: c for i, c in enumerate(dist)} if choice else (entry.get("labels") or {})
        rows = list(enumerate(dist.items(), start=1))
        key_width = len(str(len(rows))) if choice else max((len(str(k)) for k in dist), default=1)
        count_width = len(str(top))
        compact = entry["type"] == "scale" and len(dist) > 6
        for number, (value, n) in rows:
            key = number if choice else value
            if compact and n == 0 and key not in labels:
                continue
            bar = BAR * max(1 if n else 0, round(n / top * width))
            text.append("\n  " + f"{str(key):>{key_width}} ")
            text.append(f"{bar:<{width}}", style="bold")
            text.append(f" {n:>{count_width}}")
            label = labels.get(key, "")
            room = line_width - (2 + key_width + 1 + width + 1 + count_width + 2)
            if label and room > 3:
                text.append("  " + (label if len(label) <= room else label[: room - 1] + "…"), style="dim")
    elif entry["answers"]:
        for answer in entry["answers"]:
            text.append("\n  – " + answer)
    return text


class ResultsScreen(LiveScreen[None]):
    """The moderator's summary of the evaluation so far; follows new answers."""

    CSS_PATH = "evaluate.tcss"
    BINDINGS = [Binding("escape,u,q", "close", _("Close"), id="evaluate.results_close")]

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__(live)
        self._loaded_for: Any = None
        self._summary: MeetingSummary | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="eval-top"):
            yield Static(_("Evaluation results"), id="eval-title")
            yield Static("", id="eval-progress")
        yield VerticalScroll(Static(_("Loading…"), id="results-body"), id="results")
        yield Footer()

    def on_mount(self) -> None:
        self._follow()

    def refresh_state(self) -> None:
        if self.is_mounted:
            self._follow()

    def _follow(self) -> None:
        figures = self.live.snapshot.extra.get("evaluation") or {}
        key = (figures.get("answered"), figures.get("expected"))
        if key != self._loaded_for:
            self._loaded_for = key
            self._load()

    @work(thread=True, exclusive=True, group="evaluate-results")
    def _load(self) -> None:
        from kring.data.evaluation_summary import meeting_summary

        try:
            summary = meeting_summary(self.live.store, self.live.meeting_id)
        except InputError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the store is busy: try on the next change
            self.app.call_from_thread(self._failed, first_line(exc))
            return
        self.app.call_from_thread(self._show, summary)

    def _failed(self, message: str) -> None:
        self._loaded_for = None
        self.query_one("#results-body", Static).update(Text(message, style="bold"))

    def on_resize(self) -> None:
        if self._summary is not None:
            self._show(self._summary)

    def _show(self, summary: MeetingSummary) -> None:
        self._summary = summary
        ctx = summary.context
        answered, total = ctx.answered_count, len(ctx.participants)
        self.query_one("#eval-progress", Static).update(
            _("{n} of {total} answered").format(n=answered, total=total))
        body = self.query_one("#results-body", Static)
        if summary.withheld:
            body.update(_("The answers are anonymous: the results appear once at least 3 people have answered "
                          "(or everyone)."))
            return
        if not answered:
            body.update(_("Nobody has answered yet. Press e on the agenda to pass the keyboard round."))
            return
        width = max(4, min(16, self.size.width // 6))
        out = Text()
        if ctx.anonymous:
            out.append(_("Anonymous: no answer is linked to a name.") + "\n\n", style="italic")
        for n, entry in enumerate(summary.questions, start=1):
            if entry["count"] == 0 and entry["case_bringer_only"]:
                continue
            if n > 1:
                out.append("\n\n")
            out.append(f"{n}. ", style="bold")
            out.append_text(question_lines(entry, width, max(20, self.size.width - 4)))
        body.update(out)

    def action_close(self) -> None:
        self.dismiss(None)
