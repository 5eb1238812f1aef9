"""Races against the real server, bounded (eight clients, a few hundred
writes): every write acknowledged is stored, the person exists once, and an
import from the command line waits for the web app's writes instead of
failing with "database is locked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from spasmcare.core.diary import Diary, PainEntry, make
from spasmcare.exports import diary_json
from spasmcare.store import tables
from spasmcare.store.database import open_engine
from tests.servers import Server, running
from tests.store.conftest import BACKENDS, fresh_url

CLIENTS = 8
WRITES = 10


def _post(server: Server, path: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(server.url + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def _get(server: Server, path: str) -> Any:
    with urllib.request.urlopen(server.url + path, timeout=30) as answer:
        body = answer.read()
    return json.loads(body) if path.startswith("/api/") else body


@pytest.fixture(params=BACKENDS)
def fresh_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    url = fresh_url(request.param, tmp_path / "server.sqlite3")
    with running(tmp_path, url) as server:
        yield server, url


def test_simultaneous_first_requests_keep_every_acknowledged_write(
        fresh_server: tuple[Server, str]) -> None:
    server, url = fresh_server
    start = threading.Barrier(CLIENTS)
    acknowledged: list[int] = []
    codes: list[int] = []

    def first_visit(i: int) -> None:
        start.wait()
        _get(server, "/")  # what a first visit does, in parallel with the others
        for n in range(WRITES):
            code = _post(server, "/api/pain", {"pain": (i + n) % 11})
            codes.append(code)
            if code == 201:
                acknowledged.append(1)

    threads = [threading.Thread(target=first_visit, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert codes.count(201) == CLIENTS * WRITES, sorted(set(codes))
    assert len(_get(server, "/api/pain")) == len(acknowledged) == CLIENTS * WRITES
    engine = open_engine(url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tables.people)).scalar() == 1
    engine.dispose()


def test_imports_from_the_command_line_while_the_web_app_writes(tmp_path: Path) -> None:
    """SQLite: the import's transaction used to read first and then fail at
    once to take the write lock; now every import waits its turn."""
    with running(tmp_path) as server:
        _post(server, "/api/pain", {"pain": 1})  # the diary and its person exist
        files = []
        for i in range(6):
            entries = [make(PainEntry, datetime.now(UTC),
                            at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=i, minutes=n),
                            pain=4, severity="mild") for n in range(20)]
            path = tmp_path / f"export-{i}.json"
            path.write_bytes(diary_json.dumps(Diary(pain_entries=entries), datetime.now(UTC)))
            files.append(path)
        env = {**os.environ, "SPASMCARE_DATABASE_URL": f"sqlite:///{server.database}",
               "HOME": str(tmp_path)}
        codes: list[int] = []
        stop = threading.Event()

        def web_writes() -> None:
            while not stop.is_set():
                codes.append(_post(server, "/api/pain", {"pain": 5}))

        writer = threading.Thread(target=web_writes)
        writer.start()
        imports = [subprocess.Popen([sys.executable, "-m", "spasmcare", "import", str(f)],
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for f in files]
        results = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "")
                   for p in imports]
        stop.set()
        writer.join(timeout=60)
        assert [code for code, _ in results] == [0] * len(files), results
        assert set(codes) == {201}
        stored = _get(server, "/api/pain")
        assert len(stored) == 1 + len(codes) + 20 * len(files)
