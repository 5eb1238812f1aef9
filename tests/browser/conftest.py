"""Browser tests: the real ``spasmcare serve`` process on a free local port
with its own database, driven by Playwright in Debian's Chromium (never a
browser that Playwright downloads). Screenshots go to build/screenshots/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "build" / "screenshots"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Chromium is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str, database: Path, process: subprocess.Popen[bytes],
                 started_in: float) -> None:
        self.url, self.database, self.process, self.started_in = url, database, process, started_in


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh server and database for each test."""
    port = _free_port()
    database = tmp_path / "browser.sqlite3"
    env = {**os.environ, "SPASMCARE_DATABASE_URL": f"sqlite:///{database}", "HOME": str(tmp_path)}
    began = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "spasmcare", "serve", "--port", str(port)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            urllib.request.urlopen(url + "/api/openapi.json", timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() - began > 20:
                proc.kill()
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"spasmcare serve did not start: {err}") from None
            time.sleep(0.1)
    try:
        yield Server(url, database, proc, time.monotonic() - began)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


def _page(browser: object, options: dict[str, object]) -> Iterator[object]:
    context = browser.new_context(**options)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    yield from _page(browser, PHONE)


@pytest.fixture
def desktop(browser: object) -> Iterator[object]:
    yield from _page(browser, DESKTOP)


@pytest.fixture
def narrow(browser: object) -> Iterator[object]:
    yield from _page(browser, NARROW)


def screenshot(page: object, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]
