"""The pages at 320 px wide: nothing scrolls sideways and everything to tap is
big enough; and the first screen works from the keyboard."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser import conftest
from tests.browser.conftest import Server, audit_every_screen
from tests.browser.test_screenshots import some_diary

pytestmark = conftest.pytestmark

PAGES = ("/", "/triage", "/plan", "/timer", "/timer/ice", "/diary", "/insights", "/learn",
         "/learn/sources", "/prevention", "/settings", "/report")
MIN_TARGET = 44  # px: a thumb, not a mouse pointer

# What is wrong with the page on screen, or an empty list. A link inside a
# sentence (text of its own beside it) is exempt from the target size, as in
# WCAG 2.5.8: making it taller would pull the lines of text apart. Anything
# hidden from assistive technology (the form's hidden Enter button) is not a
# target at all.
AUDIT = """(least) => {
  const problems = [];
  const width = document.scrollingElement.scrollWidth;
  if (width > window.innerWidth) problems.push(`scrolls sideways: ${width}px`);
  const inSentence = (el) => {
    const block = el.tagName === "A" && el.parentElement.closest("p, li, td, dd");
    return !!block && [...block.childNodes].some(
      (n) => n.nodeType === Node.TEXT_NODE && /[A-Za-z]/.test(n.textContent));
  };
  for (const el of document.querySelectorAll("main a[href], main button")) {
    const box = el.getBoundingClientRect();
    if (!box.width || el.closest("[aria-hidden=true]") || inSentence(el)) continue;
    if (box.height < least) {
      problems.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" is ` +
                    `${Math.round(box.height)}px tall`);
    }
  }
  return problems;
}"""


def audit(page: Page) -> list[str]:
    return page.evaluate(AUDIT, MIN_TARGET)  # type: ignore[no-any-return]


def test_every_page_fits_320px_with_big_targets(server: Server, narrow: Page) -> None:
    some_diary(server)  # the insights page then has its tables to fit
    audit_every_screen(narrow, server, PAGES, audit)


def test_the_keyboard_reaches_the_big_button_and_enter_follows_it(
        server: Server, desktop: Page) -> None:
    desktop.goto(server.url + "/")
    big = desktop.get_by_role("link", name="My back has just gone / I'm having a spasm now")
    for _ in range(12):
        desktop.keyboard.press("Tab")
        if big.evaluate("el => el === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the big button")
    desktop.keyboard.press("Enter")
    expect(desktop).to_have_url(server.url + "/triage")
    expect(desktop.get_by_test_id("triage-group")).to_be_visible()


def test_every_warning_sign_question_shows_all_three_answers_on_a_phone(
        server: Server, phone: Page) -> None:
    """Answered one at a time, at 390 x 844 each question's Yes, No and "Not
    sure" are on the first screen, and Yes and No do not look alike (one
    filled, one outlined)."""
    phone.goto(server.url + "/triage")
    seen = 0
    while phone.get_by_test_id("triage-question").count() or \
            phone.get_by_test_id("triage-group").count():
        if phone.get_by_test_id("triage-group").count():
            with phone.expect_navigation():
                phone.get_by_test_id("one-by-one").click()
        for answer in ("yes", "no", "unsure"):
            box = phone.get_by_test_id(f"answer-{answer}").bounding_box()
            assert box is not None and box["y"] + box["height"] <= 844, \
                (phone.locator("h1").inner_text(), answer, box)
        colours = [phone.get_by_test_id(f"answer-{a}").evaluate(
            "b => getComputedStyle(b).backgroundColor") for a in ("yes", "no", "unsure")]
        assert len(set(colours)) == 3, colours
        with phone.expect_navigation():
            phone.get_by_test_id("answer-no").click()
        seen += 1
    assert seen >= 30  # every question was looked at, up to the optional age one
