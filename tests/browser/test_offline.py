"""When the connection drops: the plan and a timer page come from the service
worker's copy, and a session finished offline waits on the phone and reaches
the diary once, when the connection is back."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser import conftest
from tests.browser import server_api as api
from tests.browser.conftest import Server

pytestmark = conftest.pytestmark

RUN_OUT = 12_000  # ms: long enough for any timer here to finish

REACH = "fetch('/api/episodes').then(() => 'reached', () => 'offline')"


def test_the_plan_and_a_timer_work_offline_and_the_session_is_sent_once(
        server: Server, phone: Page) -> None:
    api.waking_hours_around_now(server)
    api.start_episode(server, hours_ago=3)
    phone.goto(server.url + "/plan")
    expect(phone.get_by_test_id("session").first).to_be_visible()
    phone.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.goto(server.url + "/timer/ice?seconds=3")  # the worker keeps this copy
    context = phone.context
    worker = (context.service_workers or [context.wait_for_event("serviceworker")])[0]

    context.set_offline(True)
    assert phone.evaluate(REACH) == worker.evaluate(REACH) == "offline"

    plan = phone.goto(server.url + "/plan")
    assert plan is not None and plan.from_service_worker
    expect(phone.get_by_role("heading", level=1)).to_have_text("Today's plan")
    expect(phone.get_by_test_id("session").first).to_be_visible()

    phone.goto(server.url + "/timer/ice?seconds=3")
    timer = phone.get_by_test_id("timer")
    expect(phone.locator("#remaining")).to_have_text("00:03")
    phone.get_by_test_id("pain-before-4").tap()
    phone.get_by_test_id("timer-start").tap()
    expect(timer).to_have_attribute("data-state", "finished", timeout=RUN_OUT)
    phone.get_by_test_id("pain-after-1").tap()
    expect(timer).to_have_attribute("data-saved", "queued")
    assert phone.evaluate("window.SpasmOutbox.pending()") == 1
    assert api.get(server, "/api/sessions") == []

    context.set_offline(False)
    phone.wait_for_function("() => window.SpasmOutbox.pending() === 0")
    [session] = api.get(server, "/api/sessions")
    assert (session["kind"], session["pain_before"], session["pain_after"]) == ("ice", 4, 1)
