"""Browser tests: the real ``spasmcare serve`` process on a free local port
with its own database, driven by Playwright in Debian's Chromium (never a
browser that Playwright downloads). Screenshots go to build/screenshots/."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.servers import Server, running

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


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh server and database for each test."""
    with running(tmp_path) as started:
        yield started


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


def audit_every_screen(page: object, server: Server, paths: Iterable[str],
                       check: Callable[[object], list[str]]) -> None:
    """Run ``check`` on each of ``paths`` and on the screens only a tap
    reaches (a topic, the first checklist, a question on its own, the
    emergency screen); fail with every problem found, by screen."""
    from playwright.sync_api import expect

    problems: dict[str, list[str]] = {}
    for path in paths:
        page.goto(server.url + path)  # type: ignore[attr-defined]
        problems[path] = check(page)
    page.goto(server.url + "/learn")  # type: ignore[attr-defined]
    page.locator("ul.topics a").first.click()  # type: ignore[attr-defined]
    problems["a topic page"] = check(page)
    page.goto(server.url + "/triage")  # type: ignore[attr-defined]
    problems["the first checklist"] = check(page)
    page.get_by_test_id("one-by-one").click()  # type: ignore[attr-defined]
    problems["a question on its own"] = check(page)
    page.get_by_test_id("answer-yes").click()  # type: ignore[attr-defined]
    expect(page.get_by_test_id("emergency")).to_be_visible()  # type: ignore[attr-defined]
    problems["the emergency screen"] = check(page)
    failing = {where: found for where, found in problems.items() if found}
    assert not failing, "\n".join(f"{where}: {found}" for where, found in failing.items())
