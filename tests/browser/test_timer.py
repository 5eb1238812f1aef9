"""Session timers at a shortened length: a run records one session with its
pain before and after, and a reload mid-run carries on from the original
start instead of starting again."""

from __future__ import annotations

from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser import conftest
from tests.browser import server_api as api
from tests.browser.conftest import Server

pytestmark = conftest.pytestmark

RUN_OUT = 12_000  # ms: long enough for any timer here to finish

REMAINING = "Number(document.getElementById('remaining').dataset.remaining)"


def remaining(page: Page) -> int:
    return int(page.locator("#remaining").get_attribute("data-remaining") or "-1")


def test_a_shortened_ice_timer_records_a_session(server: Server, phone: Page) -> None:
    episode = api.start_episode(server, hours_ago=3)
    phone.goto(server.url + "/timer/ice?seconds=3")
    timer = phone.get_by_test_id("timer")
    expect(phone.locator("#remaining")).to_have_text("00:03")

    phone.get_by_test_id("pain-before-6").tap()
    expect(phone.get_by_test_id("pain-before-6")).to_have_attribute("aria-pressed", "true")
    phone.get_by_test_id("timer-start").tap()
    expect(timer).to_have_attribute("data-state", "running")
    expect(timer).to_have_attribute("data-state", "finished", timeout=RUN_OUT)
    expect(phone.locator("#remaining")).to_have_text("00:00")
    phone.get_by_test_id("pain-after-3").tap()
    expect(timer).to_have_attribute("data-saved", "sent")

    [session] = api.get(server, "/api/sessions")
    assert session["kind"] == "ice" and session["completed"] is True
    assert (session["pain_before"], session["pain_after"]) == (6, 3)
    assert session["minutes"] == 0.05  # three seconds
    assert session["episode_id"] == episode["id"]


def test_a_reload_mid_timer_keeps_counting_from_the_original_start(
        server: Server, phone: Page) -> None:
    api.start_episode(server, hours_ago=72)  # heat is for after the first 48 hours
    phone.goto(server.url + "/timer/heat?seconds=8")
    timer = phone.get_by_test_id("timer")
    phone.get_by_test_id("pain-before-5").tap()
    before = datetime.now().astimezone()
    phone.get_by_test_id("timer-start").tap()
    after = datetime.now().astimezone()
    phone.wait_for_function(f"() => {REMAINING} <= 6")  # two seconds gone

    phone.reload()

    expect(timer).to_have_attribute("data-state", "running")
    left = remaining(phone)
    assert 0 < left < 7
    phone.wait_for_function(f"() => {REMAINING} < {left}")
    expect(timer).to_have_attribute("data-state", "finished", timeout=RUN_OUT)
    phone.get_by_test_id("pain-after-2").tap()
    expect(timer).to_have_attribute("data-saved", "sent")
    phone.reload()
    expect(timer).to_have_attribute("data-state", "ready")  # nothing left to finish or save

    [session] = api.get(server, "/api/sessions")
    assert session["kind"] == "heat" and session["completed"] is True
    assert (session["pain_before"], session["pain_after"]) == (5, 2)
    assert session["minutes"] == round(8 / 60, 2)
    started = datetime.fromisoformat(session["started_at"])
    assert before - timedelta(seconds=1) <= started <= after  # the first start, kept
