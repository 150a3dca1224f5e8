"""participants' browser link of a meeting (kring serve)

Written by hand. One row per meeting served to participants' browsers: its
unguessable token (the link works while the meeting is live) and the address
it is served at now (empty once the server stops), so the moderator's agenda
can show the link and its QR code.

On PostgreSQL it is kept apart per network like the meeting it belongs to
(row-level security, as 0008 set up): a facilitator's role sees the links of
the meetings it sees, and the group role gets the same grants.

Revision ID: 0009
Revises: 0008
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: Union[str, None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

GROUP = "kring_facilitator"  # the facilitators' group role of 0008


def upgrade() -> None:
    op.create_table(
        "web_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("served_at", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    op.create_index(op.f("ix_web_link_meeting_id"), "web_link", ["meeting_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE web_link ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY kring_shared ON web_link USING (meeting_id IN (SELECT id FROM meeting))")
    if bind.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{GROUP}'").first():
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON web_link TO {GROUP}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS kring_shared ON web_link")
    op.drop_index(op.f("ix_web_link_meeting_id"), table_name="web_link")
    op.drop_table("web_link")
