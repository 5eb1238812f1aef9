"""Opening databases: privacy of the SQLite file, bad URLs, and migrations."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from spasmcare.core.errors import BadInput
from spasmcare.store.database import database_url, open_engine, redact
from spasmcare.store.migrate import HEAD, MIGRATIONS, current_revision, upgrade
from tests.store.conftest import BACKENDS, fresh_url


def test_sqlite_file_and_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "diary.sqlite3"
    engine = open_engine(f"sqlite:///{path}")
    engine.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_default_database_is_in_the_users_data_folder() -> None:
    url = database_url({})
    assert url.startswith("sqlite:///") and url.endswith("diary.sqlite3")
    assert database_url({"SPASMCARE_DATABASE_URL": "postgresql://x@y/z"}) == "postgresql://x@y/z"


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not a url", "not a database URL"),
        ("mysql://root@localhost/test", "supports SQLite and PostgreSQL"),
        ("postgresql://nobody@127.0.0.1:1/none", "cannot open the database"),
        ("sqlite:////proc/forbidden/diary.sqlite3", "cannot create the database file"),
        ("sqlite:///", "in-memory database, which keeps nothing"),
        ("sqlite://", "in-memory database"),
        ("sqlite:///:memory:", "in-memory database"),
        ("sqlite:///file::memory:?cache=shared", "in-memory database"),
        ("postgresql+asyncpg://me@127.0.0.1/db", "asynchronous.*postgresql\\+psycopg://"),
        ("sqlite+aiosqlite:////tmp/x.sqlite3", "asynchronous"),
        ("sqlite+pysqlcipher://:key@/tmp/x.sqlite3",
         "driver 'pysqlcipher' is not installed.*pip install"),
        ("postgresql+pg8000://me@127.0.0.1/db",
         "driver 'pg8000' is not installed.*pip install pg8000"),
    ],
)
def test_broken_database_urls_say_what_is_wrong(url: str, fragment: str) -> None:
    with pytest.raises(BadInput, match=fragment):
        open_engine(url)


def test_passwords_are_hidden_in_messages() -> None:
    assert "s3cret" not in redact("postgresql://me:s3cret@host/db")


def test_head_constant_matches_the_migration_scripts() -> None:
    from alembic.script import ScriptDirectory

    from spasmcare.store.migrate import alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD  # type: ignore[arg-type]
    assert (MIGRATIONS / "env.py").exists()


def test_migrations_create_exactly_the_tables_the_code_uses(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from spasmcare.store.tables import metadata

    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diffs == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrading_from_the_first_migration_keeps_the_data(backend: str, tmp_path: Path) -> None:
    url = fresh_url(backend, tmp_path / "old.sqlite3")
    from spasmcare.store.database import make_engine

    engine = make_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        assert current_revision(conn) == "0001"
        assert not inspect(conn).has_table("settings")
        conn.execute(text("INSERT INTO people (id, created_at) VALUES ('p', '2025-01-01')"))
        conn.execute(text(
            "INSERT INTO episodes (id, person_id, onset, triggers, triage_answers) "
            "VALUES ('e', 'p', '2025-01-02 08:00:00', '[\"lifting\"]', '{}')"))
        conn.execute(text(
            "INSERT INTO pain_entries (id, person_id, episode_id, at, pain, impact, severity) "
            "VALUES ('q', 'p', 'e', '2025-01-02 09:00:00', 7, 'some', 'severe')"))
    engine.dispose()

    engine = open_engine(url)  # what every command does: migrate to head
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD
        assert inspect(conn).has_table("settings")
        assert conn.execute(text("SELECT pain FROM pain_entries WHERE id = 'q'")).scalar() == 7
        assert conn.execute(text("SELECT count(*) FROM episodes")).scalar() == 1
    engine.dispose()
