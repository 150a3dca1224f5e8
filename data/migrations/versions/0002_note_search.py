"""full-text search over notes

Written by hand: Alembic cannot autogenerate either part.

- SQLite: an FTS5 table `note_fts` over `note.text` (external content, so the
  text is stored once), kept in step by triggers. Diacritics are folded, so
  "coordinatie" finds "coördinatie". Where SQLite was built without FTS5 the
  table is left out and search falls back to LIKE (see kring.data.search).
- PostgreSQL: a GIN index on to_tsvector('simple', text), which the search
  query's expression matches exactly.

A later migration that rebuilds `note` in SQLite batch mode drops the
triggers with the old table: it must create them again (see `_sqlite_up`).

Revision ID: 0002
Revises: 0001
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE note_fts USING fts5("
    "text, content='note', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER note_fts_insert AFTER INSERT ON note BEGIN "
    "INSERT INTO note_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER note_fts_delete AFTER DELETE ON note BEGIN "
    "INSERT INTO note_fts(note_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER note_fts_update AFTER UPDATE OF text ON note BEGIN "
    "INSERT INTO note_fts(note_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO note_fts(rowid, text) VALUES (new.id, new.text); END",
    # index the notes already stored
    "INSERT INTO note_fts(note_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS note_fts_update",
    "DROP TRIGGER IF EXISTS note_fts_delete",
    "DROP TRIGGER IF EXISTS note_fts_insert",
    "DROP TABLE IF EXISTS note_fts",
]
PG_INDEX = "ix_note_text_fts"


def _has_fts5(bind) -> bool:  # noqa: ANN001
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.kring_fts5_probe USING fts5(x)")
    except sa.exc.DBAPIError:
        return False
    bind.exec_driver_sql("DROP TABLE temp.kring_fts5_probe")
    return True


def _sqlite_up(bind) -> None:  # noqa: ANN001
    if not _has_fts5(bind):
        return  # search uses LIKE on this SQLite
    for statement in SQLITE_UP:
        bind.exec_driver_sql(statement)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_up(bind)
    elif bind.dialect.name == "postgresql":
        op.execute(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON note USING GIN (to_tsvector('simple', text))")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            bind.exec_driver_sql(statement)
    elif bind.dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
