"""row-level security: each facilitator's role sees only its networks (PostgreSQL)

Written by hand; nothing on SQLite (a file is one person's store).

One PostgreSQL database serves many learning networks. Its tables belong to one
owner role, which runs the migrations and `kring network share NET --with ROLE`;
each facilitator connects with a role of their own. Intervision notes are
confidential, so the database itself, not only kring, keeps the networks apart:

- `network_share` (network_id, role_name): which role may use which network.
  A role sees the rows naming it or a group role it is a member of; only the
  owner writes them.
- `meeting.owner_role`, defaulting to current_user: a meeting outside any
  network belongs to the role that made it.
- Every table that holds a network's data has row-level security with one
  policy for reading and writing alike: network, member and planned meeting
  by their network; meeting by its network, else its owner role; learning
  questions by their member; participants, events, notes, drafts, evaluation responses and
  receipts by their meeting; note revisions by their note. The subqueries are
  themselves filtered by the same policies, so each rule names one parent.
  The note search has no table of its own on PostgreSQL (an index on `note`).
- Not FORCEd: the owner (table owner) keeps full access, as the one who
  migrates, shares, syncs and forgets across the whole server. Superusers
  bypass row security anyway.
- A group role `kring_facilitator` (made here when the owner may make roles)
  gets the table privileges; a facilitator's login role is made a member of
  it (see the README). `kring network share` grants them to the role itself
  as well, so it works where the group could not be made. A later migration
  that adds a table must grant it the same way.

Revision ID: 0008
Revises: 0007
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0008"
down_revision: Union[str, None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

GROUP = "kring_facilitator"
MINE = "role_name IN (SELECT rolname FROM pg_roles WHERE pg_has_role(oid, 'MEMBER'))"
SHARED = "(SELECT network_id FROM network_share)"
RULES = {
    "network": f"id IN {SHARED}",
    "member": f"network_id IN {SHARED}",
    "planned_meeting": f"network_id IN {SHARED}",
    "learning_question": "member_id IN (SELECT id FROM member)",
    "meeting": f"CASE WHEN network_id IS NULL THEN owner_role = current_user ELSE network_id IN {SHARED} END",
    "participant": "meeting_id IN (SELECT id FROM meeting)",
    "event": "meeting_id IN (SELECT id FROM meeting)",
    "note": "meeting_id IN (SELECT id FROM meeting)",
    "note_revision": "note_id IN (SELECT id FROM note)",
    "draft": "meeting_id IN (SELECT id FROM meeting)",
    "evaluation_response": "meeting_id IN (SELECT id FROM meeting)",
    "evaluation_receipt": "meeting_id IN (SELECT id FROM meeting)",
}
MAKE_GROUP = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP}') THEN
    BEGIN
      CREATE ROLE {GROUP} NOLOGIN;
    EXCEPTION WHEN insufficient_privilege OR duplicate_object OR unique_violation THEN
      NULL;  -- not allowed to make roles here, or another store made it at the same moment
    END;
  END IF;
END $$"""


def grants(role: str, schema: str) -> list[str]:
    """What a facilitator's role needs: the data tables (rows filtered by the policies),
    reading its own shares and the schema's version, and the id sequences."""
    return [f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(RULES)} TO {role}",
            f"GRANT SELECT ON network_share, alembic_version TO {role}",
            f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {role}']


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TABLE network_share ("
               "network_id INTEGER NOT NULL REFERENCES network(id) ON DELETE CASCADE, "
               "role_name VARCHAR(63) NOT NULL, PRIMARY KEY (network_id, role_name))")
    op.execute("ALTER TABLE network_share ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY kring_mine ON network_share FOR SELECT USING ({MINE})")
    op.execute("ALTER TABLE meeting ADD COLUMN owner_role VARCHAR(63) NOT NULL DEFAULT current_user")
    for table, rule in RULES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY kring_shared ON {table} USING ({rule})")
    op.execute(MAKE_GROUP)
    bind = op.get_bind()
    if bind.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{GROUP}'").first():
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
        for statement in grants(GROUP, schema):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in reversed(list(RULES)):
        op.execute(f"DROP POLICY IF EXISTS kring_shared ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE meeting DROP COLUMN owner_role")
    op.execute("DROP TABLE network_share")
