"""One person per handle: the local diary's person can no longer be created twice.

Before this revision the person's row was looked up and, if missing, inserted
in a transaction that could not stop a second request doing the same, so
simultaneous first requests created several ``people`` rows and records were
written under each. Every database so far serves one person on their own
machine, so the rows are merged into the first one (its records and, if it
has none, the newest settings), and the survivor gets the handle ``local``,
which a unique index now guards.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OWNED = ("episodes", "pain_entries", "treatment_sessions", "medicines", "habit_logs")


def upgrade() -> None:
    # A column and a unique index rather than a constraint: on SQLite a new
    # constraint means copying and dropping the table, and dropping ``people``
    # would cascade to every record.
    op.add_column("people", sa.Column("handle", sa.String(64), nullable=True))
    op.create_index("ix_people_handle", "people", ["handle"], unique=True)
    conn = op.get_bind()
    people = [row[0] for row in conn.execute(
        sa.text("SELECT id FROM people ORDER BY created_at, id"))]
    if not people:
        return
    first, extra = people[0], people[1:]
    if extra:
        _merge(conn, first, extra)
    conn.execute(sa.text("UPDATE people SET handle = 'local' WHERE id = :id"), {"id": first})


def _merge(conn: sa.Connection, first: str, extra: list[str]) -> None:
    others = sa.bindparam("others", expanding=True)
    for table in OWNED:
        conn.execute(sa.text(f"UPDATE {table} SET person_id = :first "
                             "WHERE person_id IN :others").bindparams(others),
                     {"first": first, "others": extra})
    has_settings = conn.execute(sa.text("SELECT 1 FROM settings WHERE person_id = :first"),
                                {"first": first}).first()
    if not has_settings:
        newest = conn.execute(sa.text("SELECT s.person_id FROM settings s JOIN people p "
                                      "ON p.id = s.person_id WHERE s.person_id IN :others "
                                      "ORDER BY p.created_at DESC").bindparams(others),
                              {"others": extra}).first()
        if newest:
            conn.execute(sa.text("UPDATE settings SET person_id = :first WHERE person_id = :id"),
                         {"first": first, "id": newest[0]})
    conn.execute(sa.text("DELETE FROM settings WHERE person_id IN :others").bindparams(others),
                 {"others": extra})
    conn.execute(sa.text("DELETE FROM people WHERE id IN :others").bindparams(others),
                 {"others": extra})


def downgrade() -> None:
    op.drop_index("ix_people_handle", "people")
    op.drop_column("people", "handle")
