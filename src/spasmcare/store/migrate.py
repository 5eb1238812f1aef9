"""Bringing a database to the latest schema with Alembic.

Alembic is imported only when a database is not already at ``HEAD``, which
keeps every ordinary start quick; a test checks ``HEAD`` against the
migration scripts.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

HEAD = "0007"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Migrate to ``target`` (the latest by default) in one transaction."""
    with engine.connect() as conn:
        if target == "head" and current_revision(conn) == HEAD:
            return
    from alembic import command

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes starting at once (the web app and a command) must
            # not both migrate: the second waits here, then finds it done.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(5317008)")
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, target)


def alembic_config() -> object:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config
