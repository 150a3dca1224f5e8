"""Which facilitator's database role may use which network (PostgreSQL row security).

Migration 0008 gives every table that holds a network's data a policy: a role
sees a network's rows when `network_share` names it (or a group role it is a
member of). Only the store's owner, who owns the tables, writes that table;
these functions are what `kring network share` and `unshare` run.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from kring.data.errors import InputError
from kring.data.networks import get_network
from kring.data.store import Store
from kring.data.i18n import _

# what a facilitator's role needs besides its rows (the same as 0008 grants its group role)
DATA_TABLES = ("network", "member", "planned_meeting", "learning_question", "meeting", "participant", "event", "note",
               "note_revision", "draft", "evaluation_response", "evaluation_receipt", "web_link")
GROUP = "kring_facilitator"


@dataclass
class Shared:
    network: str
    role: str
    changed: bool  # False: it already was (share) or was not (unshare)
    roles: list[str]  # the roles the network is shared with now


def needs_postgresql(store: Store, what: str) -> None:
    if store.is_sqlite:
        raise InputError(_("{what}: needs a PostgreSQL store (row-level security); this store is a SQLite file").format(what=what))


def is_owner(store: Store) -> bool:
    """Whether the connected role owns the store's tables (or is a superuser): the one
    who migrates, shares, syncs and forgets across every network."""
    from kring.data.schema import owns_tables

    return owns_tables(store.engine)


def _checked(store: Store, what: str, network: str, role: str):  # noqa: ANN202
    needs_postgresql(store, what)
    if not is_owner(store):
        raise InputError(_("{what}: only the store's owner can do this (you are connected as another role)").format(what=what))
    role = role.strip()
    with store.engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first():
            raise InputError(_("{what}: there is no database role '{role}' on this server (make it first: CREATE ROLE … "
                               "LOGIN, see the README)").format(what=what, role=role))
    return get_network(store, network), role


def _roles(conn, network_id: int) -> list[str]:  # noqa: ANN001
    return list(conn.execute(text("SELECT role_name FROM network_share WHERE network_id = :n ORDER BY role_name"),
                             {"n": network_id}).scalars())


def share_network(store: Store, network: str, role: str) -> Shared:
    info, role = _checked(store, "network share", network, role)
    with store.write_engine.begin() as conn:
        quoted = conn.dialect.identifier_preparer.quote(role)
        changed = conn.execute(text(
            "INSERT INTO network_share (network_id, role_name) VALUES (:n, :r) ON CONFLICT DO NOTHING"),
            {"n": info.id, "r": role}).rowcount == 1
        # also granted to the role itself, so sharing works where the group role could not be made
        conn.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(DATA_TABLES)} TO {quoted}"))
        conn.execute(text(f"GRANT SELECT ON network_share, alembic_version TO {quoted}"))
        schema = conn.dialect.identifier_preparer.quote(conn.execute(text("SELECT current_schema()")).scalar())
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}"))
        return Shared(info.name, role, changed, _roles(conn, info.id))


def unshare_network(store: Store, network: str, role: str) -> Shared:
    """The role no longer sees the network. Its grants stay: it may still have other
    networks, and its own meetings outside any network."""
    info, role = _checked(store, "network unshare", network, role)
    with store.write_engine.begin() as conn:
        changed = conn.execute(text("DELETE FROM network_share WHERE network_id = :n AND role_name = :r"),
                               {"n": info.id, "r": role}).rowcount > 0
        return Shared(info.name, role, changed, _roles(conn, info.id))
