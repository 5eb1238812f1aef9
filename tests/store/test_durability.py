"""A crash never corrupts the diary, and every acknowledged write survives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from spasmcare.core.diary import PainEntry
from spasmcare.store import backup as sqlite_backup
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore
from tests.conftest import ROOT

WRITER = [sys.executable, "-m", "tests.store.writer"]


def _start_writer(url: str, limit: int = 100_000) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([*WRITER, url, str(limit)], stdout=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)


def _read_acknowledged(proc: subprocess.Popen[str], count: int) -> list[str]:
    assert proc.stdout is not None
    acked = []
    while len(acked) < count:
        line = proc.stdout.readline()
        assert line, "the writer stopped early"
        acked.append(line.strip())
    return acked


@pytest.mark.parametrize("kills", [1, 3])
def test_sigkill_mid_stream_loses_no_acknowledged_entry(db_url: str, kills: int) -> None:
    acknowledged: list[str] = []
    for _ in range(kills):
        proc = _start_writer(db_url)
        acknowledged += _read_acknowledged(proc, 150)
        proc.send_signal(signal.SIGKILL)
        assert proc.stdout is not None
        acknowledged += [line.strip() for line in proc.stdout if line.strip()]
        proc.wait()
    engine = open_engine(db_url)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    stored = {e.id for e in DiaryStore.for_local_user(engine).records(PainEntry)}
    engine.dispose()
    assert set(acknowledged) <= stored
    assert len(stored) - len(acknowledged) <= kills  # at most the write in flight


def test_backup_while_another_process_writes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    engine = open_engine(url)
    proc = _start_writer(url)
    try:
        _read_acknowledged(proc, 100)
        target = tmp_path / "copy.sqlite3"
        sqlite_backup.backup(engine, target)
        acked_after = _read_acknowledged(proc, 20)
    finally:
        proc.kill()
        proc.wait()
    copy = open_engine(f"sqlite:///{target}")
    with copy.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    in_copy = DiaryStore.for_local_user(copy).records(PainEntry)
    assert len(in_copy) >= 100
    assert acked_after[-1] not in {e.id for e in in_copy}
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)
    copy.dispose()
    engine.dispose()


def test_restore_replaces_the_diary_and_keeps_the_old_one(tmp_path: Path) -> None:
    from tests.diaries import sample_diary

    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    engine = open_engine(url)
    store = DiaryStore.for_local_user(engine)
    store.import_diary(sample_diary())
    sqlite_backup.backup(engine, tmp_path / "b.sqlite3")
    before = store.diary()
    store.delete(PainEntry, before.pain_entries[0].id, datetime.now(UTC))
    kept = sqlite_backup.restore(engine, tmp_path / "b.sqlite3")
    assert DiaryStore.for_local_user(open_engine(url)).diary() == before
    assert kept.exists()
    old = DiaryStore.for_local_user(open_engine(f"sqlite:///{kept}")).diary()
    assert len(old.pain_entries) == len(before.pain_entries) - 1


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00garbage" * 10, b"{}"])
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, content: bytes) -> None:
    from spasmcare.core.errors import BadInput

    engine = open_engine(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    with pytest.raises(BadInput):
        sqlite_backup.restore(engine, bad)
