"""Opening the database: the URL, the engine, privacy of the SQLite file, and
bringing the schema up to date.

SQLite by default, in the user's data folder, readable only by its owner;
PostgreSQL (psycopg 3) when SPASMCARE_DATABASE_URL names one.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from spasmcare.core.errors import BadInput

ENV_URL = "SPASMCARE_DATABASE_URL"


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("spasmcare", appauthor=False) / "diary.sqlite3"


def database_url(environ: dict[str, str] | None = None) -> str:
    """SPASMCARE_DATABASE_URL, or the SQLite file in the user's data folder."""
    env = os.environ if environ is None else environ
    return env.get(ENV_URL) or f"sqlite:///{default_path()}"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or None for any other database."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def empty_engine() -> Engine:
    """An empty diary in memory, at the latest schema: what a command that
    only reads sees before the diary's file exists, so that reading creates
    nothing on disk."""
    from sqlalchemy.pool import StaticPool

    from spasmcare.store.migrate import upgrade

    engine = create_engine("sqlite://", poolclass=StaticPool)
    upgrade(engine)
    return engine


def redact(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


# Drivers that SQLAlchemy knows but SpasmCare cannot use: they are asynchronous.
ASYNC_DRIVERS = {"asyncpg": "postgresql+psycopg", "psycopg_async": "postgresql+psycopg",
                 "aiosqlite": "sqlite"}
# Execution option for connections that only read (see ``reading``).
READ_ONLY = "spasmcare_read_only"


def make_engine(url: str) -> Engine:
    """An engine for ``url``. SQLite files are created private (0600, folder
    0700), with foreign keys on, WAL journaling and full fsync on commit, and
    every transaction that may write takes the write lock when it begins."""
    parsed = _parse(url)
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        return create_engine(parsed, pool_pre_ping=True)
    except NoSuchModuleError:
        raise BadInput(f"{ENV_URL}: unsupported database driver in {redact(url)}") from None
    except ModuleNotFoundError as err:
        module = err.name or parsed.get_driver_name()
        raise BadInput(f"{ENV_URL}: the database driver {parsed.get_driver_name()!r} is not "
                       f"installed (Python module {module!r}); install it into SpasmCare's "
                       f"environment (.venv/bin/pip install {module}), or use "
                       f"{parsed.get_backend_name()}:// with the driver SpasmCare ships") from None


# One lock per SQLite engine, held for the whole of each write transaction
# (see ``writing``).
_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction, committed at the end or rolled back on error (as
    ``engine.begin()``). On SQLite the threads of this process take their
    turns on a lock first: a thread that finds SQLite's write lock taken
    sleeps in steps of up to 100 ms before trying again, while a thread
    waiting on this lock starts the moment the last writer is done. Other
    processes still wait on SQLite's busy timeout."""
    with _WRITE_LOCKS.get(engine) or nullcontext(), engine.begin() as conn:
        yield conn


def reading(engine: Engine) -> Connection:
    """A connection for reads only: on SQLite its transactions do not take the
    write lock, so readers never wait for each other."""
    return engine.connect().execution_options(**{READ_ONLY: True})


def open_engine(url: str) -> Engine:
    """``make_engine``, then check the database can be reached and migrate it to
    the latest schema. Raises BadInput with one line when it cannot be opened."""
    from spasmcare.store.migrate import upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
    except DBAPIError as err:
        engine.dispose()
        reason = " ".join(str(err.orig).split()) if err.orig else type(err).__name__
        raise BadInput(f"cannot open the database {redact(url)}: {reason}") from None
    return engine


# Building a statement costs more than running it, so the statements every
# write runs are built once per dialect and table, and callers pass the rows
# to ``execute``.


def insert_or_ignore(conn: Connection, table: Table, keys: Sequence[str],
                     returning: str | None = None) -> Any:
    """INSERT that does nothing when a row with the same ``keys`` exists,
    giving back the ``returning`` column of the rows it stored."""
    return _insert_or_ignore(conn.dialect.name, table, tuple(keys), returning)


@functools.cache
def _insert_or_ignore(dialect: str, table: Table, keys: tuple[str, ...],
                      returning: str | None) -> Any:
    stmt = dialect_insert(dialect, table).on_conflict_do_nothing(index_elements=list(keys))
    return stmt if returning is None else stmt.returning(table.c[returning])


def upsert(conn: Connection, table: Table, keys: Sequence[str], values: dict[str, Any]) -> Any:
    """INSERT that sets ``values`` on the row with the same ``keys`` if there is one."""
    return dialect_insert(conn, table).on_conflict_do_update(index_elements=list(keys),
                                                              set_=values)


def dialect_insert(on: Connection | str, table: Table) -> Any:
    """An INSERT with the ON CONFLICT clauses of the dialect of ``on`` (a
    connection, or a dialect's name)."""
    dialect = on if isinstance(on, str) else on.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadInput(f"{ENV_URL} is not a database URL (got {url!r}); use for example "
                       "sqlite:////path/diary.sqlite3 or postgresql://user@host/dbname") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername in ("postgresql", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend not in ("sqlite", "postgresql"):
        raise BadInput(f"{ENV_URL}: SpasmCare supports SQLite and PostgreSQL, not {backend!r}")
    driver = parsed.get_driver_name()
    if driver in ASYNC_DRIVERS:
        raise BadInput(f"{ENV_URL}: the driver {driver!r} is asynchronous, which SpasmCare "
                       f"does not use; write the URL as {ASYNC_DRIVERS[driver]}://...")
    if backend == "sqlite" and _in_memory(parsed):
        raise BadInput(f"{ENV_URL}: {redact(url)} is an in-memory database, which keeps "
                       "nothing once the app stops; give a file, e.g. sqlite:////path/diary.sqlite3")
    return parsed


def _in_memory(url: URL) -> bool:
    database = url.database or ""
    return (database in ("", ":memory:") or database.startswith("file::memory:")
            or url.query.get("mode") == "memory")


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    engine = create_engine(url)  # first: a missing driver must not leave a file behind
    if not database.startswith("file:"):
        _make_private(Path(database))
    # Re-entrant, so that a write begun inside another on the same thread fails
    # on SQLite's busy timeout, as it did before this lock, instead of hanging.
    _WRITE_LOCKS[engine] = threading.RLock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take over transaction control from the driver so that BEGIN is ours
        # (the SQLAlchemy recipe for pysqlite), then set the pragmas.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A transaction that reads and then writes cannot wait for the lock
        # (SQLite answers "database is locked" at once, whatever the busy
        # timeout), so any transaction that may write takes it first.
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _make_private(path: Path) -> None:
    """Create the folder (0700) and the file (0600) before SQLite does, so the
    diary is never readable by anyone else, even for a moment."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_CREAT | os.O_RDWR | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.close(fd)
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            path.chmod(0o600)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise BadInput(f"the database file {path} is a symbolic link; SpasmCare opens its "
                           "diary only as a file of its own (give the link's target)") from None
        raise BadInput(f"cannot create the database file {path}: {err.strerror}") from None

