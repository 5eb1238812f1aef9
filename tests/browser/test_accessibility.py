"""axe-core, the accessibility engine, run on every page at phone and desktop
width: no serious or critical violation anywhere. axe-core comes from npm
(tests/browser/axe/package.json, locked; ``python3 dev.py test`` installs it)
and is evaluated in the page by Playwright, which the page's own
Content-Security-Policy does not stop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser import conftest
from tests.browser import server_api as api
from tests.browser.conftest import Server, audit_every_screen
from tests.browser.test_screenshots import some_diary

pytestmark = conftest.pytestmark

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}
PAGES = ("/", "/triage", "/plan", "/timer", "/timer/ice", "/diary", "/diary/new/pain",
         "/diary/new/session", "/diary/new/medicine", "/diary/new/habit", "/insights",
         "/learn", "/learn?q=can+I+use+heat", "/learn/sources", "/prevention", "/settings",
         "/report",
         "/no-such-page")


def violations(page: Page) -> list[str]:
    """The serious and critical violations axe-core finds on the page, one line each."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(node["target"][0] for node in v["nodes"][:3])
            for v in found if v["impact"] in SERIOUS]


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_no_page_has_a_serious_accessibility_violation(
        server: Server, width: str, request: pytest.FixtureRequest) -> None:
    assert AXE.exists(), "axe-core is not installed: run python3 dev.py test (it runs npm ci)"
    page: Page = request.getfixturevalue(width)
    some_diary(server)
    pain = api.get(server, "/api/pain")[0]
    audit_every_screen(page, server, (*PAGES, f"/diary/pain/{pain['id']}"), violations)
