"""indexes for the history listing

Written by hand. The history lists every meeting with its counts; without
these indexes that read the whole of two wide tables:

- `ix_note_counts` on note (meeting_id, deleted, confidential, kind): the
  visible notes and actions of every meeting are counted from the index alone,
  never from the notes' text.
- `ix_meeting_history` on meeting (network_id, status, created_at, started_at,
  werkvorm, title), SQLite only: a meeting's row there holds its copy of the
  work format (a few kilobytes of JSON) inline, so listing the meetings read
  every copy. PostgreSQL keeps such values apart from the row (TOAST) and
  limits the size of an index entry, which a long title could pass, so it gets
  no such index. The same index serves one network's trend (closed meetings of
  one network) without reading the meetings' rows.

Plain CREATE INDEX, no batch mode: on SQLite a batch rebuild of `note` would
drop the full-text triggers of 0002.

Revision ID: 0003
Revises: 0002
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

NOTE_COUNTS = ("ix_note_counts", "note", ["meeting_id", "deleted", "confidential", "kind"])
MEETING_HISTORY = ("ix_meeting_history", "meeting",
                   ["network_id", "status", "created_at", "started_at", "werkvorm", "title"])


def upgrade() -> None:
    op.create_index(*NOTE_COUNTS, unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.create_index(*MEETING_HISTORY, unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index(MEETING_HISTORY[0], table_name=MEETING_HISTORY[1])
    op.drop_index(NOTE_COUNTS[0], table_name=NOTE_COUNTS[1])
