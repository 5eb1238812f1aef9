"""The core is pure: no web, ORM, CLI or terminal libraries, and no file
access except the knowledge-base loader."""

from __future__ import annotations

import ast
from pathlib import Path

import spasmcare.core

CORE = Path(spasmcare.core.__file__).parent
FORBIDDEN = {"fastapi", "starlette", "sqlalchemy", "alembic", "typer", "click", "rich", "jinja2",
             "httpx", "requests", "psycopg", "sqlite3", "uvicorn", "spasmcare.cli",
             "spasmcare.web", "spasmcare.store"}
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "glob", "iterdir"}
LOADER = "loader.py"


def _modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_core_imports_nothing_of_the_outside_world() -> None:
    for path in _modules():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN), (
                    f"{path.name} imports {name}")


def test_only_the_loader_touches_files() -> None:
    for path in _modules():
        if path.name == LOADER:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                fn = node.func
                name = fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", None)
                assert name not in FILE_CALLS, f"{path.name} calls {name}()"
