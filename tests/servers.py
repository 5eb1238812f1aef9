"""The real ``spasmcare serve`` process on a free local port, for the tests
that need a server as people use it (browser tests, concurrency tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, database: Path, process: subprocess.Popen[bytes],
                 started_in: float) -> None:
        self.url, self.database, self.process, self.started_in = url, database, process, started_in


@contextmanager
def running(home: Path, database_url: str | None = None, args: tuple[str, ...] = (),
            env: dict[str, str] | None = None) -> Iterator[Server]:
    """A server on its own database (an SQLite file in ``home`` unless
    ``database_url`` names another), stopped afterwards."""
    port = free_port()
    database = home / "server.sqlite3"
    env = {**os.environ, "SPASMCARE_DATABASE_URL": database_url or f"sqlite:///{database}",
           "HOME": str(home), **(env or {})}
    began = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "spasmcare", "serve", "--port", str(port),
                             *args],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(url + "/static/app.css", timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() - began > 30:
                proc.kill()
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"spasmcare serve did not start: {err}") from None
            time.sleep(0.1)
    try:
        yield Server(url, database, proc, time.monotonic() - began)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
