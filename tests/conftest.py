from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.loader import data_dir, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The kept knowledge base of the tests' processes (and the CLI processes
    they start) is theirs, not the developer's ~/.cache."""
    os.environ["SPASMCARE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged knowledge base, to break on purpose."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(tmp_path: Path):
    """Run ``spasmcare`` as a real process, the way people and scripts do."""

    def run(*args: str, stdin: str | None = None) -> Result:
        env = {**os.environ, "HOME": str(tmp_path), "NO_COLOR": "1", "COLUMNS": "120"}
        proc = subprocess.run(
            [sys.executable, "-m", "spasmcare", *args],
            input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
