"""a meeting's followers are told of a change (PostgreSQL LISTEN/NOTIFY)

Written by hand; nothing on SQLite, where the followers' cheap check stays.

Every kring process that follows a live meeting (the moderator's agenda, the
note-taker, a participant's form) asked the store a few times a second whether
anything changed. On one server for a whole organisation that is fifty live
meetings polling it ten times a second each. With these triggers every write a
follower shows sends `NOTIFY kring_meeting_<id>` at commit, and a follower on
PostgreSQL waits for that instead (kring.data.notify), checking now and then
besides in case a notification was missed. PostgreSQL folds the same
notification sent several times in one transaction into one.

The writes: events, note revisions (every note change makes one), evaluation
receipts and participants added, and a meeting's own row changed (closed).
The trigger function runs with the writer's rights, so row security applies to
its lookup of a revision's note as to the write itself.

Revision ID: 0010
Revises: 0009
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0010"
down_revision: Union[str, None] = "0009"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

CHANNEL = "kring_meeting_"  # kring.data.notify.CHANNEL
FUNCTION = f"""
CREATE FUNCTION kring_notify_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  meeting integer;
BEGIN
  IF TG_TABLE_NAME = 'note_revision' THEN
    SELECT meeting_id INTO meeting FROM note WHERE id = NEW.note_id;
  ELSIF TG_TABLE_NAME = 'meeting' THEN
    meeting := NEW.id;
  ELSE
    meeting := NEW.meeting_id;
  END IF;
  IF meeting IS NOT NULL THEN
    PERFORM pg_notify('{CHANNEL}' || meeting, '');
  END IF;
  RETURN NULL;
END $$"""
TRIGGERS = {"event": "INSERT", "note_revision": "INSERT", "evaluation_receipt": "INSERT", "participant": "INSERT",
            "meeting": "UPDATE"}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for table, when in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER kring_notify AFTER {when} ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION kring_notify_meeting()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS kring_notify ON {table}")
    op.execute("DROP FUNCTION IF EXISTS kring_notify_meeting()")
