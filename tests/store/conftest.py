"""A fresh real database per test: an SQLite file, and the same tests again on
PostgreSQL when SPASMCARE_TEST_DATABASE_URL names a scratch database (CI sets it)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from spasmcare.store.database import make_engine, open_engine
from spasmcare.store.diary import DiaryStore

PG_URL = os.environ.get("SPASMCARE_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


def reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def fresh_url(backend: str, sqlite_file: Path) -> str:
    """An empty database of that backend: an SQLite file not yet made, or the
    scratch PostgreSQL database wiped."""
    if backend == "sqlite":
        return f"sqlite:///{sqlite_file}"
    assert PG_URL is not None
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_url(request.param, tmp_path / "data" / "diary.sqlite3")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = open_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def diary_store(engine: Engine) -> DiaryStore:
    return DiaryStore.for_local_user(engine)
