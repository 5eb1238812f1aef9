"""Real servers for the benchmarks that measure what a request costs over
HTTP: ``spasmcare serve`` on a database of our choosing, and a bare FastAPI
app (``bare_app.py``) doing the same single-row SQLite insert as the
reference. Clients keep their connection open, as a browser does."""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _process(args: list[str], env: dict[str, str], ready: str,
             cwd: Path = HERE.parent) -> Iterator[int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, *args, "--port", str(port)], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    began = time.monotonic()
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() - began > 60:
                proc.kill()
                raise RuntimeError(f"{args} did not start: "
                                   f"{proc.stderr.read().decode() if proc.stderr else ''}"
                                   ) from None
            time.sleep(0.1)
    try:
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@contextmanager
def spasmcare(database_url: str, home: Path) -> Iterator[int]:
    """``spasmcare serve`` on ``database_url``; gives its port."""
    env = {**os.environ, "SPASMCARE_DATABASE_URL": database_url, "HOME": str(home)}
    with _process(["-m", "spasmcare", "serve"], env, "/static/app.css") as port:
        yield port


@contextmanager
def bare(database: Path) -> Iterator[int]:
    """The reference app on an SQLite file of its own; gives its port."""
    env = {**os.environ, "BARE_DATABASE": str(database)}
    with _process(["-m", "uvicorn", "bare_app:app", "--log-level", "warning"], env,
                  "/ready", cwd=HERE) as port:
        yield port


class Client:
    """One kept-alive connection, as one browser tab has."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # the server closed an idle connection: open a new one
            self.conn.request(method, path, data, headers)
            response = self.conn.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self.conn.close()


def median_ms(call: Callable[[], object], runs: int) -> float:
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * len(ordered)) - 1)] if ordered else 0.0


class Load:
    """``users`` threads, each with its own connection, each running
    ``step(client, user, record)`` over and over for ``seconds``; ``record``
    notes one request's route, status and time."""

    def __init__(self, port: int, users: int, seconds: float) -> None:
        self.port, self.users, self.seconds = port, users, seconds
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.lock = threading.Lock()

    def run(self, step: Callable[[Client, int, Callable[..., Any]], None]) -> float:
        stop = time.monotonic() + self.seconds

        def user(n: int) -> None:
            client = Client(self.port)
            try:
                while time.monotonic() < stop:
                    step(client, n, self.record)
            finally:
                client.close()

        threads = [threading.Thread(target=user, args=(n,)) for n in range(self.users)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return time.monotonic() - began

    def record(self, client: Client, route: str, method: str, path: str,
               body: Any = None) -> int:
        start = time.perf_counter()
        status, _ = client.request(method, path, body)
        spent = (time.perf_counter() - start) * 1000
        with self.lock:
            self.times[route].append(spent)
            self.statuses[route][status] += 1
        return status
