"""A meeting's link for participants' browsers (`kring serve`).

Each meeting gets one unguessable token the first time it is served; serving
it again (after a restart) keeps the token, so a QR code already scanned keeps
working. The token opens the meeting only while the meeting is live: once it
closes, the link leads nowhere. The row also holds the address the link is
served at now, so the moderator's agenda can show it and its QR code; the
server empties it when it stops.
"""

from __future__ import annotations

import secrets
from sqlmodel import col, select

from kring.data.core.clock import Clock
from kring.data.errors import InputError
from kring.data.models import Meeting, WebLink
from kring.data.store import Store
from kring.data.i18n import _

TOKEN_BYTES = 24  # 192 bits: unguessable, and short enough for a QR code read from the back of a room


def token_for(store: Store, meeting_id: int, clock: Clock, proposed: str | None = None) -> str:
    """The meeting's token, made the first time (`proposed`: the one to make, as a link
    printed before the store was open has it); InputError if the meeting is not live."""
    with store.writing() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise InputError(_("no meeting with id {meeting_id} in this store (see: kring sessions)").format(meeting_id=meeting_id))
        if meeting.status != "live":
            raise InputError(_("meeting {meeting_id} is closed: its participants' pages are no longer served").format(meeting_id=meeting_id))
        row = s.exec(select(WebLink).where(WebLink.meeting_id == meeting_id).order_by(col(WebLink.id))).first()
        if row is None:
            row = WebLink(meeting_id=meeting_id, token=proposed or secrets.token_urlsafe(TOKEN_BYTES),
                          created_at=clock.now())
            s.add(row)
        return row.token


def record_served(store: Store, token: str, url: str, clock: Clock) -> None:
    """Where the link is served now ("" once the server stops)."""
    with store.writing() as s:
        row = s.exec(select(WebLink).where(WebLink.token == token)).first()
        if row is None:
            return
        row.url = url
        if url:
            row.served_at = clock.now()
        s.add(row)


def live_meeting_of(store: Store, token: str) -> int | None:
    """The live meeting this token opens, or None (unknown token, or the meeting has closed)."""
    if not token or len(token) > 64:
        return None
    with store.session() as s:
        found = s.exec(
            select(WebLink.meeting_id, WebLink.token).join(Meeting, Meeting.id == WebLink.meeting_id)
            .where(WebLink.token == token, Meeting.status == "live")
        ).first()
    # compare in constant time as well: the database's lookup is an index probe
    if found is None or not secrets.compare_digest(found[1], token):
        return None
    return int(found[0])


def served_link(store: Store, meeting_id: int) -> str | None:
    """The link a server is serving now for this live meeting, or None."""
    with store.session() as s:
        row = s.exec(
            select(WebLink.url).join(Meeting, Meeting.id == WebLink.meeting_id)
            .where(WebLink.meeting_id == meeting_id, Meeting.status == "live", WebLink.url != "")
        ).first()
    return row or None


def qr_text(url: str) -> str:
    """The link's QR code drawn with half blocks: two modules a character row, dark on light."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()
