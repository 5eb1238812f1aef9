"""The journeys a person in pain takes, on a phone, against the real server:
the warning-sign check with a red flag (the emergency screen) and without one
(today's plan), logging pain to see it on the chart, and the daily check-in."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser import conftest
from tests.browser import server_api as api
from tests.browser.conftest import Server, screenshot

pytestmark = conftest.pytestmark


def open_the_check(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    page.get_by_role("link", name=re.compile("My back has just gone")).tap()
    expect(page).to_have_url(server.url + "/triage")
    expect(page.get_by_test_id("triage-group")).to_be_visible()


def test_serve_is_ready_within_ten_seconds(server: Server) -> None:
    assert server.started_in < 10


def test_a_red_flag_replaces_everything_with_the_emergency_screen(
        server: Server, phone: Page) -> None:
    open_the_check(phone, server)
    question = phone.locator("#question")
    expect(question).to_have_attribute("data-tier", "emergency")
    first = phone.locator("input[name=tick]").first
    red_flag = first.get_attribute("value")

    first.tap()
    phone.get_by_test_id("ticked").tap()

    screen = phone.get_by_test_id("emergency")
    expect(screen).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Call emergency services now")
    calls = phone.locator("a[href^='tel:']")
    expect(calls).to_have_count(3)
    assert [calls.nth(i).get_attribute("href") for i in range(3)] == [
        "tel:999", "tel:911", "tel:112"]
    expect(screen.locator(f".reason[data-finding='{red_flag}']")).to_be_visible()
    # Nothing else is asked or offered: no question, no plan, no start, no menu.
    for gone in ("triage-group", "triage-question", "start-form", "sessions", "urgency"):
        expect(phone.get_by_test_id(gone)).to_have_count(0)
    expect(phone.locator("nav, footer, a[href='/plan']")).to_have_count(0)
    assert api.get(server, "/api/episodes") == []


def test_no_red_flags_start_the_episode_and_show_todays_plan(
        server: Server, phone: Page) -> None:
    api.waking_hours_around_now(server)
    questions = [q["id"] for q in api.get(server, "/api/triage/questions")]
    open_the_check(phone, server)

    asked: list[str | None] = []
    tiers: list[str | None] = []
    while phone.get_by_test_id("triage-group").count():
        assert len(tiers) < len(questions), f"more checklists than questions: {tiers}"
        tiers.append(phone.locator("#question").get_attribute("data-tier"))
        boxes = phone.locator("input[name=tick]")
        asked += [boxes.nth(i).get_attribute("value") for i in range(boxes.count())]
        with phone.expect_navigation():
            phone.get_by_test_id("none-of-these").tap()
    assert sorted(asked) == sorted(questions)  # every sign, in a few checklists
    assert len(tiers) <= 6 and tiers[0] == "emergency" and tiers[-1] == "soon"

    # Then age, once and optional (34 changes nothing here).
    expect(phone.get_by_test_id("triage-age")).to_be_visible()
    phone.get_by_test_id("age-input").fill("34")
    with phone.expect_navigation():
        phone.get_by_test_id("age-continue").tap()
    expect(phone.get_by_test_id("urgency")).to_have_attribute("data-urgency", "self-care")
    # Where it hurts, on the body map, and what set it off: optional, a tap each.
    phone.get_by_text("Where it hurts and what set it off (optional)").tap()
    spot = phone.get_by_test_id("body-map").locator("label.spot[data-region=lower][data-side=left]")
    box = spot.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    spot.tap()
    expect(phone.get_by_test_id("spot-lower-left")).to_be_checked()
    phone.get_by_label("Lifting").check()
    screenshot(phone, "triage-result-body-map-phone")
    phone.get_by_test_id("onset-3h").tap()

    expect(phone).to_have_url(server.url + "/plan?started=1")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Today's plan")
    sessions = phone.get_by_test_id("session")
    expect(sessions.first).to_be_visible()
    times = sessions.locator("time")
    expect(times).to_have_count(sessions.count())
    for text in times.all_text_contents():  # the later ones are folded away
        assert re.fullmatch(r"(\w{3} )?\d\d:\d\d", text), text
    expect(phone.locator("[data-testid=session][data-kind=ice]").first).to_be_attached()

    [episode] = api.get(server, "/api/episodes")
    assert episode["open"] and episode["triage_urgency"] == "self-care"
    assert episode["triage_answers"] == dict.fromkeys(questions, False)
    assert (episode["region"], episode["side"], episode["triggers"]) == ("lower", "left",
                                                                         ["lifting"])
    onset = datetime.fromisoformat(episode["onset"])
    assert abs(datetime.now().astimezone() - timedelta(hours=3) - onset) < timedelta(minutes=2)


def test_pain_logged_in_two_taps_appears_on_the_chart(server: Server, phone: Page) -> None:
    phone.goto(server.url + "/diary")
    chart = phone.get_by_test_id("pain-chart")
    expect(chart.locator("circle[data-pain]")).to_have_count(0)

    phone.get_by_text("Some things").tap()
    phone.get_by_test_id("log-pain-7").tap()

    expect(phone.get_by_test_id("saved")).to_contain_text("Saved: pain 7/10")
    expect(chart.locator("svg circle[data-pain='7']")).to_have_count(1)
    expect(phone.locator("table tbody tr", has_text="Pain 7/10")).to_have_count(1)
    [entry] = api.get(server, "/api/pain")
    assert (entry["pain"], entry["impact"]) == (7, "some")


def test_the_impact_starts_unanswered_and_one_tap_saves_the_pain(server: Server,
                                                                  phone: Page) -> None:
    """Nothing is chosen for "Does it stop you doing things?" until the person
    chooses: a pain tapped alone is saved with its impact unanswered, not
    as "no impact", and its severity comes from the pain."""
    phone.goto(server.url + "/diary")
    for choice in ("none", "some", "unable"):
        expect(phone.get_by_test_id(f"impact-{choice}")).not_to_be_checked()
    phone.get_by_test_id("log-pain-8").tap()
    expect(phone.get_by_test_id("saved")).to_contain_text("Saved: pain 8/10 (severe)")
    [entry] = api.get(server, "/api/pain")
    assert (entry["pain"], entry["impact"], entry["severity"]) == (8, None, "severe")


def test_the_daily_check_in_in_three_taps_changes_the_plan(server: Server, phone: Page) -> None:
    api.waking_hours_around_now(server)
    api.start_episode(server, hours_ago=9 * 24)
    phone.goto(server.url + "/plan")
    card = phone.get_by_test_id("check-in")
    expect(card).to_be_visible()
    phone.get_by_test_id("moves-very-limited").tap()
    phone.get_by_test_id("worse-yes").tap()
    with phone.expect_navigation():
        phone.get_by_test_id("check-in-pain-7").tap()
    note = phone.get_by_test_id("check-in-note")
    expect(note).to_contain_text("That is a flare")
    expect(phone.get_by_test_id("check-in")).to_have_count(0)  # once a day
    assert note.bounding_box()["y"] < 844  # on the first screen
    expect(phone.locator("[data-testid=session][data-kind=strength]")).to_have_count(0)
    [entry] = api.get(server, "/api/pain")
    assert (entry["pain"], entry["mobility"], entry["worse_next_morning"]) == (
        7, "very-limited", True)
    phone.screenshot(path=str(conftest.SCREENSHOTS / "plan-check-in-flare.png"))
