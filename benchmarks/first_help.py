"""Time to first help (issue 13): the taps and screens from the home page to
(a) the emergency screen for saddle numbness and (b) today's plan for a
fresh spasm with no warning sign, in Debian's Chromium at 390 x 844 against
``spasmcare serve``, the way a person in pain goes. Goals: under 4 taps for
(a), under 10 for (b). A tap is anything the person presses; a screen is a
page they see (the home page counts).

Skipped, and said so, when Chromium is not installed.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from serving import spasmcare

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
GOALS = {"emergency (saddle numbness)": 4, "plan (no warning sign)": 10}


class Person:
    """A phone in a hand: every tap counted, every page seen counted."""

    def __init__(self, page: Any) -> None:
        self.page, self.taps, self.screens = page, 0, 0
        page.on("framenavigated", lambda frame: self._seen(frame))

    def _seen(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.screens += 1

    def tap(self, locator: Any) -> None:
        """Tap it; a button or a link is waited on until its page has come."""
        goes = locator.evaluate("el => el.tagName === 'BUTTON' || el.tagName === 'A'")
        with self.page.expect_navigation() if goes else nullcontext():
            locator.tap()
        self.taps += 1


def _emergency(person: Person) -> bool:
    page = person.page
    person.tap(page.get_by_role("link", name="My back has just gone / I'm having a spasm now"))
    person.tap(page.get_by_test_id("tick-saddle_numbness"))
    person.tap(page.get_by_test_id("ticked"))
    return page.get_by_test_id("emergency").count() == 1


def _plan(person: Person) -> bool:
    page = person.page
    person.tap(page.get_by_role("link", name="My back has just gone / I'm having a spasm now"))
    while page.get_by_test_id("triage-group").count():
        person.tap(page.get_by_test_id("none-of-these"))
    if page.get_by_test_id("triage-age").count():
        person.tap(page.get_by_test_id("age-skip"))
    person.tap(page.get_by_test_id("onset-now"))
    return page.get_by_role("heading", level=1).inner_text() == "Today's plan"


def main() -> list[dict[str, object]]:
    if not Path(CHROMIUM).exists():
        return [{"benchmark": f"first help: {name}", "skipped": "Chromium is not installed",
                 "met": True} for name in GOALS]
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for name, journey in (("emergency (saddle numbness)", _emergency),
                              ("plan (no warning sign)", _plan)):
            home = Path(tmp) / name.split()[0]
            home.mkdir()
            with spasmcare(f"sqlite:///{home / 'diary.sqlite3'}", home) as port:
                context = browser.new_context(viewport={"width": 390, "height": 844},
                                              is_mobile=True, has_touch=True)
                page = context.new_page()
                person = Person(page)
                page.goto(f"http://127.0.0.1:{port}/")
                reached = journey(person)
                rows.append({"benchmark": f"first help: {name}", "taps": person.taps,
                             "screens": person.screens, "goal": f"< {GOALS[name]} taps",
                             "met": reached and person.taps < GOALS[name]})
                context.close()
        browser.close()
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
