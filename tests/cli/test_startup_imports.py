"""A command imports only what it uses: the warning-sign check, the care plan
and the knowledge-base listing start without the database, the search index,
the embedding model, the PDF library or the web framework."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {"sqlalchemy", "alembic", "bm25s", "numpy", "onnxruntime", "tokenizers", "reportlab",
         "fhir", "icalendar", "fastapi", "starlette", "uvicorn", "jinja2", "rich"}

PROBE = """
import json, sys
from spasmcare.cli.app import main
try:
    main(sys.argv[1:])
except SystemExit as end:
    assert not end.code, end.code
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""


def _imported(tmp_path: Path, *args: str) -> set[str]:
    env = {**os.environ, "HOME": str(tmp_path), "SPASMCARE_CACHE_DIR": str(tmp_path / "cache"),
           "SPASMCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'diary.sqlite3'}"}
    for _ in range(2):  # the first run validates the knowledge base, the second uses it kept
        proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                              text=True, env=env, timeout=60, check=True)
    return set(json.loads(proc.stderr.splitlines()[-1]))


@pytest.mark.parametrize("args", [
    ("triage", "--answers", "ANSWERS", "--json"),
    ("triage", "--list", "--json"),
    ("plan", "--onset", "2026-11-20T08:00:00+00:00", "--now", "2026-11-21T10:00:00+00:00",
     "--json"),
    ("kb", "--json"),
], ids=lambda args: " ".join(args[:2]))
def test_light_commands_import_no_heavy_library(tmp_path: Path, args: tuple[str, ...]) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"days_since_onset": 2, "pain_score": 7,
                                   "findings": {"fever": False}}))
    imported = _imported(tmp_path, *(str(answers) if a == "ANSWERS" else a for a in args))
    assert "spasmcare" in imported and "pydantic" in imported  # the probe saw the run
    assert not imported & HEAVY, sorted(imported & HEAVY)


def test_the_diary_commands_do_load_the_database(tmp_path: Path) -> None:
    """The other side of the check: the probe does see a library that is used."""
    assert "sqlalchemy" in _imported(tmp_path, "history", "--json")
