"""What the CLI tests share: a diary on a fresh SQLite file per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "diary.sqlite3"
    monkeypatch.setenv("SPASMCARE_DATABASE_URL", f"sqlite:///{path}")
    return path
