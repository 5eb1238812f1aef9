"""A screenshot of each main page at phone and desktop width, with an episode
and some diary behind them, saved under build/screenshots/ for people to look at."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser import conftest
from tests.browser import server_api as api
from tests.browser.conftest import SCREENSHOTS, Server, screenshot

pytestmark = conftest.pytestmark

PAGES = (("home", "/"), ("triage", "/triage"), ("plan", "/plan"), ("timer-ice", "/timer/ice"),
         ("diary", "/diary"), ("insights", "/insights"), ("learn", "/learn"),
         ("prevention", "/prevention"), ("settings", "/settings"), ("report", "/report"),
         ("diary-new-pain", "/diary/new/pain"), ("diary-new-session", "/diary/new/session"),
         ("diary-new-medicine", "/diary/new/medicine"), ("diary-new-habit", "/diary/new/habit"),
         ("sources", "/learn/sources"))


def some_diary(server: Server) -> None:
    """An episode that began three hours ago, with pain easing and an ice session."""
    api.waking_hours_around_now(server)
    api.start_episode(server, hours_ago=3)
    now = datetime.now().astimezone()
    for hours, pain in ((2.5, 8), (1.5, 7), (0.5, 5)):
        api.send(server, "POST", "/api/pain",
                 {"pain": pain, "impact": "some", "at": (now - timedelta(hours=hours)).isoformat()})
    api.send(server, "POST", "/api/sessions", {
        "kind": "ice", "started_at": (now - timedelta(hours=2)).isoformat(), "minutes": 15.0,
        "pain_before": 8, "pain_after": 7})


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_each_main_page_is_saved_as_a_screenshot(server: Server, width: str,
                                                 request: pytest.FixtureRequest) -> None:
    page: Page = request.getfixturevalue(width)
    some_diary(server)
    began = time.time()
    saved = []

    def shoot(name: str) -> None:
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        screenshot(page, f"{name}-{width}")
        saved.append(SCREENSHOTS / f"{name}-{width}.png")

    for name, path in PAGES:
        page.goto(server.url + path)
        shoot(name)
    page.goto(server.url + "/learn")
    page.locator("ul.topics a").first.click()
    expect(page).not_to_have_url(server.url + "/learn")
    shoot("topic")
    page.goto(server.url + "/triage")
    page.locator("input[name=tick]").first.check()
    page.get_by_test_id("ticked").click()
    expect(page.get_by_test_id("emergency")).to_be_visible()
    shoot("emergency")
    assert all(png.stat().st_mtime >= began - 1 and png.stat().st_size > 1000 for png in saved)
