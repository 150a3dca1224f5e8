"""The agenda's export: the meeting's report written to a file the moderator names,
from the agenda itself (ctrl+e, or "Verslag exporteren" in the command palette).

The file's extension chooses the format as `kring report -o` does (.md, .html,
.json, .csv); confidential notes are never in it. The report is built and written
in a thread, through the same writer as `kring report -o` (owner-only, atomic,
never over the store's own files), after what the agenda recorded is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from kring.data.i18n import _
from kring.data.labels import user_time

if TYPE_CHECKING:
    from kring.screens.agenda_core import AgendaScreen


class ExportPart:
    BINDINGS = [
        Binding("ctrl+e", "export_report", _("Export the report"), id="export.report", show=False),
    ]

    def __init__(self, screen: AgendaScreen) -> None:
        self.screen = screen
        self.live = screen.live

    def suggested_name(self) -> str:
        day = user_time(self.live.timeline().now).strftime("%Y-%m-%d")  # the user's day
        return _("report-{id}-{date}.html").format(id=self.live.meeting_id, date=day)

    def export(self) -> None:
        from kring.screens.dialogs.prompt import TextPromptScreen

        def done(name: str | None) -> None:
            if name:
                self.screen.run_worker(lambda: self._write(name), thread=True, group="export")

        self.screen.app.push_screen(
            TextPromptScreen(_("Export the report to (.md .html .json .csv)"),
                             self.suggested_name()), done)

    def _write(self, name: str) -> None:
        """In a thread: build, render and write; the moderator hears where it went, or why not."""
        from kring.data.core.textgate import shown
        from kring.data.errors import InputError
        from kring.data.report import build_report
        from kring.tui.commands import write_output
        from kring.tui.commands.report import choose_format, render

        app, live = self.screen.app, self.live
        try:
            live.outbox.flush()  # what the room saw is in the report
            fmt = choose_format(None, name)
            text = render(build_report(live.store, live.meeting_id, include_confidential=False,
                                       clock=live.clock), fmt)
            if fmt == "csv":
                text = "\ufeff" + text  # as kring report writes a CSV file
            target = write_output(live.store, name, shown(text))
        except (InputError, OSError) as exc:
            message, severity = _("Could not export the report: {reason}").format(reason=exc), "error"
        else:
            where = target.resolve() if target is not None else name  # the whole path: the moderator finds it
            message = _("Report written to {file} (without confidential notes)").format(file=where)
            severity = "information"
        try:
            app.call_from_thread(self.screen.notify, message, severity=severity, timeout=8)
        except RuntimeError:  # the app has ended meanwhile
            pass
