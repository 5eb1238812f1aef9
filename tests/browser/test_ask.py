"""Asking a question on the Learn page, on a phone, against the real server:
an ordinary question gets answers with their sources; a red flag gets the
emergency message first. The answered page fits 320 px."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.browser import conftest
from tests.browser.conftest import Server
from tests.browser.test_layout import audit

pytestmark = conftest.pytestmark


def ask(page: Page, question: str) -> None:
    box = page.get_by_label("Ask a question in your own words")
    box.fill(question)
    with page.expect_navigation():
        page.get_by_test_id("ask").tap()
    expect(page.get_by_test_id("answer")).to_be_visible()


def test_a_question_gets_answers_with_sources_and_a_red_flag_the_emergency(
        server: Server, phone: Page) -> None:
    phone.goto(server.url + "/learn")
    ask(phone, "my back locked up when I bent over, heat or ice?")

    assert "q=" in phone.url  # a plain GET form: the answer has its own address
    expect(phone.get_by_test_id("safety")).to_have_count(0)
    items = phone.get_by_test_id("answer-item")
    expect(items.first).to_be_visible()
    assert 1 <= items.count() <= 3
    first = items.first
    expect(first.locator("h3")).not_to_be_empty()
    sources = first.locator(":scope > details.sources")  # the entry's own, not its evidence's
    sources.locator("summary").tap()
    expect(sources.locator("li").first).to_be_visible()
    expect(phone.get_by_label("Ask a question in your own words")).to_have_value(
        "my back locked up when I bent over, heat or ice?")

    ask(phone, "I can't feel my bum and both legs have gone numb, what stretches help?")

    safety = phone.get_by_test_id("safety")
    expect(safety).to_be_visible()
    expect(safety).to_have_attribute("data-urgency", "emergency")
    expect(safety.get_by_role("alert")).to_contain_text("Call your local emergency number")
    expect(safety.locator("a[href='tel:999']")).to_be_visible()
    # the emergency message is the first thing in the answer, above any entry
    top = safety.bounding_box()
    first_entry = phone.get_by_test_id("answer-item").first.bounding_box()
    assert top is not None and first_entry is not None and top["y"] < first_entry["y"]


def test_the_answered_page_fits_320px_with_big_targets(server: Server, narrow: Page) -> None:
    for question in ("is naproxen ok for a back spasm", "I wet myself and my back hurts",
                     "how do I lower my cholesterol?"):
        narrow.goto(server.url + "/learn?q=" + quote(question))
        expect(narrow.get_by_test_id("answer")).to_be_visible()
        assert audit(narrow) == [], question
    narrow.goto(server.url + "/learn?q=")
    expect(narrow.get_by_test_id("ask-error")).to_be_visible()


def test_crisis_words_bring_calm_crisis_support_first(server: Server, phone: Page) -> None:
    phone.goto(server.url + "/learn")
    ask(phone, "honestly i want to end it all, my back has hurt for 3 years. does heat help?")

    crisis = phone.get_by_test_id("crisis")
    expect(crisis).to_be_visible()
    expect(crisis.locator("h2")).to_have_text("You do not have to go through this alone.")
    expect(crisis.locator("a[href='tel:116123']")).to_be_visible()
    expect(crisis.locator("a[href='sms:988']")).to_be_visible()
    # first on the screen, above any advice, and not the red back-emergency design
    top = crisis.bounding_box()
    first_entry = phone.get_by_test_id("answer-item").first.bounding_box()
    assert top is not None and first_entry is not None and top["y"] < first_entry["y"]
    expect(phone.locator(".emergency-screen")).to_have_count(0)
    call = crisis.locator("a[href='tel:116123']").bounding_box()
    assert call is not None and call["height"] >= 44
    conftest.screenshot(phone, "learn-crisis-phone")

    ask(phone, "I'm not suicidal, just sore. heat or ice?")
    expect(phone.get_by_test_id("crisis")).to_have_count(0)
