"""How CLI commands reach the diary: one store per process, opened on first
use; a command that only reads does not create the database.

SQLAlchemy and the store are imported here, inside ``store()``, so that
commands that never touch the diary (triage, plan --onset, kb) start quickly.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spasmcare.store.diary import DiaryStore


@functools.cache
def store() -> DiaryStore:
    """The local user's diary in the configured database (migrated on first use)."""
    from spasmcare.settings import Settings
    from spasmcare.store.database import open_engine
    from spasmcare.store.diary import DiaryStore

    engine = open_engine(Settings.from_env().effective_database_url())
    return DiaryStore.for_local_user(engine)


def reader() -> DiaryStore:
    """The diary for a command that only reads: ``store()``, or, while the
    SQLite file has not been made yet, an empty diary in memory, so that
    looking creates no database (the first write does)."""
    from spasmcare.settings import Settings
    from spasmcare.store.database import empty_engine, sqlite_file
    from spasmcare.store.diary import DiaryStore

    path = sqlite_file(Settings.from_env().effective_database_url())
    if path is not None and not path.exists():
        return DiaryStore.for_local_user(empty_engine())
    return store()

