"""participants' browser link of a meeting (kring serve)

Written by hand. One row per meeting served to participants' browsers: its
unguessable token (the link works while the meeting is live) and the address
it is served at now (empty once the server stops), so the moderator's agenda
can show the link and its QR code.

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


def downgrade() -> None:
    op.drop_index(op.f("ix_web_link_meeting_id"), table_name="web_link")
    op.drop_table("web_link")
