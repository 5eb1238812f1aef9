"""A process that writes pain entries as fast as it can, printing each id once
its transaction has committed. The durability tests kill it mid-stream."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from spasmcare.core.diary import PainEntry, make
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore


def main(url: str, limit: int) -> None:
    diary = DiaryStore.for_local_user(open_engine(url))
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for i in range(limit):
        entry = make(PainEntry, datetime.now(UTC), at=start + timedelta(minutes=i),
                     pain=i % 11, severity="mild", note="x" * (i % 300))
        diary.add(entry)
        print(entry.id, flush=True)  # acknowledged: the commit has returned


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
