"""Alembic environment: migrations run on the connection the store hands over
(``spasmcare.store.migrate``), or on SPASMCARE_DATABASE_URL from the alembic CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from spasmcare.store.database import database_url, make_engine
from spasmcare.store.tables import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:  # pragma: no cover - the alembic command line
    with make_engine(database_url()).connect() as conn:
        run(conn)
        conn.commit()
