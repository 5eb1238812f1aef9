"""How CLI commands reach the diary: one store per process, opened on first use."""

from __future__ import annotations

import functools

from spasmcare.settings import Settings
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore


@functools.cache
def store() -> DiaryStore:
    """The local user's diary in the configured database (migrated on first use)."""
    engine = open_engine(Settings.from_env().effective_database_url())
    return DiaryStore.for_local_user(engine)
