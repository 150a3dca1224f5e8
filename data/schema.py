"""Schema versions, through Alembic.

Opening a store checks its recorded revision first, with one cheap query, so
the common case (already current) never imports Alembic. A store made by a
newer kring is refused rather than guessed at.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kring.data.errors import StoreError
from kring.data.i18n import _

if TYPE_CHECKING:  # SQLAlchemy loads when a store is opened: HEAD is read before the first paint
    from sqlalchemy.engine import Engine

# The newest revision this code knows, and every one it can upgrade from.
HEAD = "0010"
KNOWN = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaError(Exception):
    pass


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import text

    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except Exception:  # noqa: BLE001 - no version table yet: a new store
            conn.rollback()
            return None
        return row[0] if row else None


def ensure_current(engine: Engine) -> None:
    from sqlalchemy import inspect

    rev = current_revision(engine)
    if rev == HEAD:
        return
    tables = set(inspect(engine).get_table_names())
    if tables and "meeting" not in tables:  # another program's database (Alembic's table or not)
        raise StoreError(_("this database holds another program's tables but no kring store; point --db elsewhere"))
    if rev is not None and rev not in KNOWN:
        raise StoreError(
            _("this store was made by a newer kring (schema {rev}, this version knows up to {head}); "
              "upgrade kring to open it").format(rev=rev, head=HEAD)
        )
    if tables and engine.dialect.name == "postgresql" and not owns_tables(engine):
        # On a shared server the schema is the owner's (row security, migration 0008).
        if rev is None:
            raise StoreError(_("your database role may not use this kring store; ask the store's owner to share a "
                               "network with you (kring network share NET --with ROLE)"))
        raise StoreError(_("this store's schema is older than this kring ({rev}, this version needs {head}) and "
                           "only its owner may change it: ask the store's owner to run kring once to upgrade it").format(rev=rev, head=HEAD))
    upgrade(engine)


def owns_tables(engine: Engine) -> bool:
    """Whether the connected role owns kring's tables (or is a superuser, who may do anything)."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT pg_has_role(tableowner, 'MEMBER') FROM pg_tables "
            "WHERE tablename = 'meeting' AND schemaname = current_schema()")).scalar())


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
