"""planned meetings: a network's series on the calendar

Written by hand. `kring network plan` puts the next meetings of a network on
the calendar before they are held; `kring network ics` exports them with a
stable uid each, and `kring run --network` starts the next one and records
which meeting it became. A new table only: no existing row changes.

Revision ID: 0006
Revises: 0005
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "planned_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.String(length=40), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("werkvorm", sa.String(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["network_id"], ["network.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    op.create_index("ix_planned_meeting_network_id", "planned_meeting", ["network_id"])


def downgrade() -> None:
    op.drop_index("ix_planned_meeting_network_id", table_name="planned_meeting")
    op.drop_table("planned_meeting")
