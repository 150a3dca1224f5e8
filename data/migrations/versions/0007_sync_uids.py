"""unique ids for every row a sync matches

Written by hand. `kring sync` pushes a laptop's meetings to a central store and
pulls a network down, matching rows by ids that mean the same in both stores.
Events and notes had them already; networks, members, learning questions,
meetings, note revisions and evaluation responses get a `uid` column, filled
for the rows already stored with random ids (two laptops' meeting 1 must
differ) and then made unique. Participants and receipts are matched by their
meeting and name, which are unique already.

Plain ADD COLUMN (NOT NULL with an empty default, then filled), no batch mode:
a batch rebuild would drop the full-text triggers of 0002 and the expression
indexes of 0004. PostgreSQL drops the empty default afterwards; SQLite cannot,
and kring always writes a uid itself.

Revision ID: 0007
Revises: 0006
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: Union[str, None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TABLES = ("network", "member", "learning_question", "meeting", "note_revision", "evaluation_response")
RANDOM = {"sqlite": "lower(hex(randomblob(16)))", "postgresql": "replace(gen_random_uuid()::text, '-', '')"}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        op.add_column(table, sa.Column("uid", sa.String(length=64), nullable=False, server_default=""))
        op.execute(f"UPDATE {table} SET uid = {RANDOM[dialect]}")
        if dialect != "sqlite":
            op.alter_column(table, "uid", server_default=None)
        op.create_index(f"ix_{table}_uid", table, ["uid"], unique=True)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in reversed(TABLES):
        op.drop_index(f"ix_{table}_uid", table_name=table)
        if sqlite:  # DROP COLUMN, not a batch rebuild (see above); SQLite 3.35+
            op.execute(f"ALTER TABLE {table} DROP COLUMN uid")
        else:
            op.drop_column(table, "uid")
