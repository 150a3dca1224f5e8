"""PostgreSQL's note search folds diacritics, as SQLite's does

Written by hand. The GIN index of 0002 held the words as typed, so on
PostgreSQL "coordinatie" could not find "coördinatie" while SQLite's FTS5
(remove_diacritics) could. The index is made again on the text with its
accented letters folded (`translate`, which PostgreSQL may use in an index);
the search's query uses this expression letter for letter
(kring.data.search.PG_FOLDED_TEXT). SQLite is unchanged.

Revision ID: 0005
Revises: 0004
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PG_INDEX = "ix_note_text_fts"
FOLD_FROM = "àáâãäåèéêëìíîïòóôõöùúûüýÿçñÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÝŸÇÑ"
FOLD_TO = "aaaaaaeeeeiiiiooooouuuuyycnaaaaaaeeeeiiiiooooouuuuyycn"
FOLDED = f"to_tsvector('simple', translate(text, '{FOLD_FROM}', '{FOLD_TO}'))"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        op.execute(f"CREATE INDEX {PG_INDEX} ON note USING GIN ({FOLDED})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        op.execute(f"CREATE INDEX {PG_INDEX} ON note USING GIN (to_tsvector('simple', text))")
