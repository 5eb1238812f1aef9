"""Correcting the diary on a phone, against the real server: undo right
after saving, and editing and deleting a record from the diary's list, each
undone in one tap. Screenshots of the edit page go to build/screenshots/."""

from __future__ import annotations

from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser import conftest
from tests.browser import server_api as api
from tests.browser.conftest import Server, screenshot

pytestmark = conftest.pytestmark


def test_a_mis_tapped_pain_score_is_undone_in_one_tap(server: Server, phone: Page) -> None:
    phone.goto(server.url + "/diary")
    phone.get_by_test_id("log-pain-9").tap()
    saved = phone.get_by_test_id("saved")
    expect(saved).to_contain_text("Saved: pain 9/10")
    undo = saved.get_by_test_id("undo")
    box = undo.bounding_box()
    assert box is not None and box["height"] >= 44 and box["y"] + box["height"] <= 844
    undo.tap()
    expect(phone.get_by_test_id("changed")).to_contain_text("Deleted pain 9/10")
    assert api.get(server, "/api/pain") == []
    phone.get_by_test_id("changed").get_by_test_id("undo").tap()  # and back again
    expect(phone.get_by_test_id("changed")).to_contain_text("is back")
    assert [p["pain"] for p in api.get(server, "/api/pain")] == [9]


def test_a_record_is_corrected_and_deleted_from_the_diary(server: Server, phone: Page) -> None:
    api.start_episode(server, hours_ago=5)
    at = (datetime.now().astimezone() - timedelta(hours=1)).isoformat()
    api.send(server, "POST", "/api/sessions", {"kind": "heat", "started_at": at,
                                               "minutes": 20, "pain_before": 7})
    phone.goto(server.url + "/diary")
    phone.get_by_test_id("edit-session").first.tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Correct a session")
    screenshot(phone, "diary-edit-session-phone")
    phone.get_by_label("Minutes").fill("25")
    phone.get_by_label("Pain after, 0 to 10").fill("4")
    phone.get_by_test_id("edit-save").tap()
    changed = phone.get_by_test_id("changed")
    expect(changed).to_contain_text("minutes 20 → 25")
    expect(changed).to_contain_text("pain after 4 added")
    screenshot(phone, "diary-edited-phone")
    [session] = api.get(server, "/api/sessions")
    assert (session["minutes"], session["pain_after"]) == (25, 4)
    expect(phone.get_by_test_id("records").get_by_text("edited")).to_be_visible()

    phone.get_by_test_id("edit-session").first.tap()
    phone.get_by_test_id("delete").tap()
    expect(phone.get_by_test_id("changed")).to_contain_text("Deleted heat for 25 minutes")
    assert api.get(server, "/api/sessions") == []
    phone.get_by_test_id("changed").get_by_test_id("undo").tap()
    expect(phone.get_by_test_id("changed")).to_contain_text("is back")  # the page has answered
    assert [s["minutes"] for s in api.get(server, "/api/sessions")] == [25]


def test_the_edit_page_fits_a_phone(server: Server, phone: Page) -> None:
    api.start_episode(server, hours_ago=5)
    phone.goto(server.url + "/diary")
    phone.get_by_test_id("edit-episode").first.tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Correct an episode")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(phone, "diary-edit-episode-phone")
