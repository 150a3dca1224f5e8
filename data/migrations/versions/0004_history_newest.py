"""indexes for the history's newest meetings

Written by hand. The history screen shows the newest meetings of one network
(or of all) and stops there; these indexes hand them over in that order, so
the database reads the rows shown and no others, however long the history:

- `ix_meeting_newest` on meeting (coalesce(started_at, created_at), id): every
  network's meetings, newest first (the moment it started, else when it was
  made, as stored; the id breaks a tie).
- `ix_meeting_network_newest` on meeting (network_id, coalesce(started_at,
  created_at), id): one network's (or, with NULL, the meetings without one).

On SQLite both also hold the columns the history shows (network_id, status,
werkvorm, title, started_at, created_at), so it never reads a meeting's row
with its inline copy of the work format (as `ix_meeting_history` of 0003
spares the trend). PostgreSQL keeps such values apart from the row and limits
the size of an index entry, which a long title could pass: there they are the
ordering alone. Plain CREATE INDEX, no batch mode (a batch rebuild of a table
would drop the full-text triggers of 0002).

Revision ID: 0004
Revises: 0003
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MOMENT = "coalesce(started_at, created_at)"
SHOWN = ["status", "werkvorm", "title", "started_at", "created_at"]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_index("ix_meeting_newest", "meeting",
                    [sa.text(MOMENT), "id"] + (["network_id"] + SHOWN if sqlite else []), unique=False)
    op.create_index("ix_meeting_network_newest", "meeting",
                    ["network_id", sa.text(MOMENT), "id"] + (SHOWN if sqlite else []), unique=False)


def downgrade() -> None:
    op.drop_index("ix_meeting_network_newest", table_name="meeting")
    op.drop_index("ix_meeting_newest", table_name="meeting")
