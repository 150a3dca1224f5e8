"""Start-up for a meeting not made yet: `kring run` and `kring demo` on a new store.

As `kring resume` does (see kring.tui.firstpaint), the agenda is painted before
the store's libraries load: from what the command line gives and the work format
as the cache last saw it (kring.workformats.quick). The opening thread then opens
the store (creating it, migrations and all, for a new one), reads the format the
usual way and makes the meeting; the agenda takes it over from there. Keys pressed
before wait for the store, as they do for resume.

None whenever a glance is not sure (no cached format, a store that is not plainly
fine): the command takes the usual path and says what is wrong before any screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kring.data.i18n import _
from kring.tui.firstpaint import FirstEvent, FirstMeeting, FirstPaint, FirstParticipant, FirstSnapshot

# The demo's meeting as kring.data.demo makes it (a test keeps the two equal;
# importing that module would load the store's libraries).
DEMO_FORMAT = "standaard"
DEMO_TITLE = "Demo: learning-network meeting"  # in the interface's language when shown (_)
DEMO_PLACE = "Buurthuis De Kring"
DEMO_NAMES = ["Anouk de Vries", "Bram Jansen", "Fatima El Amrani", "Joris Peeters", "Lotte Bakker", "Sven Maes"]
DEMO_ROLES = {"Anouk de Vries": ["moderator"], "Bram Jansen": ["notulist"]}


def _paint(url: str, format_data: dict[str, Any], names: list[str], *, title: str, place: str,
           roles: dict[str, list[str]] | None = None, started: datetime | None = None,
           make: Any = None) -> FirstPaint:
    now = started or datetime.now().astimezone()
    meeting = FirstMeeting(
        id=0,  # not made yet: the opening thread gives the id
        title=title, werkvorm=str(format_data["name"]), format_data=format_data, status="live",
        created_at=now, started_at=started, ended_at=None, place=place, network_id=None,
        participants=[FirstParticipant(name, seat, list((roles or {}).get(name, []))) for seat, name in
                      enumerate(names)],
    )
    events = [FirstEvent(started, "start", {}, "first-paint", None, "demo")] if started is not None else []
    return FirstPaint(url, meeting, FirstSnapshot(events), make=make)


def for_run(db: str | None, werkvorm: str, names: list[str], title: str | None, place: str) -> FirstPaint | None:
    """`kring run --format … -p …`: `names`, `title` and `place` checked already."""
    from kring.data.core.given import meeting_title
    from kring.tui.firstpaint import store_for_new_meeting
    from kring.workformats.quick import cached

    format_data = cached(werkvorm)
    url = store_for_new_meeting(db) if format_data is not None else None
    if url is None or format_data is None:
        return None

    def make(store: Any) -> int:
        from kring.data.core.clock import SystemClock
        from kring.data.meetings import create_meeting
        from kring.workformats.loader import find
        from kring.workformats.quick import remember

        fmt = remember(werkvorm, lambda: find(werkvorm))  # read and checked as the usual path does
        return create_meeting(store, fmt.model_dump(mode="json"), names, SystemClock(), title=title, place=place)

    return _paint(url, format_data, names, title=meeting_title(title, format_data), place=place, make=make)


def for_new_demo(db: str | None) -> FirstPaint | None:
    """`kring demo` where there is no store yet: its clock runs from the first paint."""
    import os
    from pathlib import Path

    from kring.tui.firstpaint import store_for_new_meeting
    from kring.workformats.quick import cached

    url = store_for_new_meeting(db)
    if url is None or os.path.exists(Path(url.removeprefix("sqlite:///"))):
        return None  # an existing store: the demo's meeting is read there (firstpaint.read)
    format_data = cached(DEMO_FORMAT)
    if format_data is None:
        return None
    started = datetime.now().astimezone()

    def make(store: Any) -> int:
        import pendulum

        from kring.data.demo import demo_meeting
        from kring.workformats.loader import find
        from kring.workformats.quick import remember

        class AtFirstPaint:  # the meeting's clock started when the person first saw it
            def now(self) -> Any:
                return pendulum.instance(started)

        fmt = remember(DEMO_FORMAT, lambda: find(DEMO_FORMAT))
        return demo_meeting(store, AtFirstPaint(), fmt.model_dump(mode="json"))

    return _paint(url, format_data, DEMO_NAMES, title=_(DEMO_TITLE), place=DEMO_PLACE, roles=DEMO_ROLES,
                  started=started, make=make)
