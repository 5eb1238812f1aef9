"""Backups of an SQLite diary with SQLite's own online backup, which copies a
consistent snapshot even while another process is writing."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from spasmcare.core.errors import BadInput

SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except OSError:
        return False


def sqlite_path(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return None
    return Path(str(engine.url.database))


def backup(engine: Engine, dest: Path) -> None:
    """Copy the live database to ``dest`` (private, replaced whole)."""
    source = sqlite_path(engine)
    if source is None:
        raise BadInput("backup copies an SQLite diary; for PostgreSQL use "
                       "'spasmcare export json' (or the database's own tools)")
    if not dest.parent.is_dir():
        raise BadInput(f"cannot write {dest}: the folder {dest.parent} does not exist")
    tmp: Path | None = None
    try:
        # A new file of our own (O_EXCL, 0600, an unguessable name): a name
        # planted in a shared folder, or a symlink, cannot receive the diary.
        fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".partial")
        os.close(fd)
        tmp = Path(name)
        with sqlite3.connect(source) as src, sqlite3.connect(tmp) as out:
            src.backup(out)
        out.close()
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as err:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise BadInput(f"backup to {dest} failed: {err}") from None


def restore(engine: Engine, backup_file: Path) -> Path:
    """Replace the live SQLite diary with ``backup_file`` after checking it, and
    keep the diary as it was beside it. Returns where the old diary was kept."""
    target = sqlite_path(engine)
    if target is None:
        raise BadInput("restore from an SQLite backup needs the SQLite diary; "
                       "for PostgreSQL use 'spasmcare import' with a JSON export")
    _check_backup(backup_file)
    kept = target.with_name(f"{target.stem}.before-restore-"
                            f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}{target.suffix}")
    backup(engine, kept)
    engine.dispose()
    try:
        with sqlite3.connect(backup_file) as src, sqlite3.connect(target) as out:
            src.backup(out)
        out.close()
    except sqlite3.Error as err:
        raise BadInput(f"restore failed, the diary is unchanged: {err}") from None
    return kept


def _check_backup(path: Path) -> None:
    if not is_sqlite_file(path):
        raise BadInput(f"{path} is not an SQLite backup made by 'spasmcare backup'")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        conn.close()
    except sqlite3.Error as err:
        raise BadInput(f"{path} cannot be read as a backup: {err}") from None
    if ok != "ok":
        raise BadInput(f"{path} is damaged (integrity check: {ok})")
    if not {"alembic_version", "episodes", "pain_entries"} <= tables:
        raise BadInput(f"{path} is an SQLite file but not a SpasmCare diary")
