"""Reading pages the way a browser would: the hidden fields a form carries,
the SVG chart in a page, and the person's diary behind the app."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from fastapi.testclient import TestClient
from httpx import Response

from spasmcare.store.diary import DiaryStore

HIDDEN = re.compile(r'<input type="hidden" name="(answer|days_since_onset|age)" value="([^"]*)">')
QUESTION = re.compile(r'<h1 id="question" data-finding="([a-z_]+)" data-tier="([a-z-]+)">')
SVG_NS = "{http://www.w3.org/2000/svg}"


def store(client: TestClient) -> DiaryStore:
    return DiaryStore.for_local_user(client.app.state.engine)  # type: ignore[attr-defined]


def carried(page: str) -> list[tuple[str, str]]:
    """The answers a triage page carries to the next request (first form only)."""
    first_form = page.split("</form>")[0]
    return HIDDEN.findall(first_form)


def question(page: str) -> tuple[str, str] | None:
    """(finding id, tier) of the question a page asks, or None."""
    found = QUESTION.search(page)
    return (found.group(1), found.group(2)) if found else None


def answer(client: TestClient, page: str, reply: str) -> Response:
    asked = question(page)
    assert asked is not None, page
    return client.post("/triage", data=_form(carried(page)) | {"finding": asked[0],
                                                                 "reply": reply})


GROUP = re.compile(r'<h1 id="question" data-group="([a-z_]+)" data-tier="([a-z-]+)">')
TICK = re.compile(r'name="tick" value="([a-z_]+)"')


def group(page: str) -> tuple[str, str] | None:
    """(group id, tier) of the checklist a page shows, or None."""
    found = GROUP.search(page)
    return (found.group(1), found.group(2)) if found else None


def ticks(page: str) -> list[str]:
    """The findings a checklist page lists, in its order."""
    return TICK.findall(page)


def send_checklist(client: TestClient, page: str, ticked: list[str],
                   reply: str | None = None) -> Response:
    shown = group(page)
    assert shown is not None, page
    return client.post("/triage", data=_form(carried(page)) | {
        "group": shown[0], "tick": ticked, "reply": reply or ("ticked" if ticked else "none")})


def walk(client: TestClient, reply_for: Callable[[str], str] = lambda _: "no",
         days: str = "", age: str = "") -> tuple[Response, list[tuple[str, str]]]:
    """Answer every checklist (and question) the triage shows, ticking the
    findings ``reply_for`` says yes to; a checklist with a "not sure" is
    answered one question at a time. The last page, and the (finding, tier)
    of everything shown."""
    page = client.get("/triage")
    asked: list[tuple[str, str]] = []
    while True:
        if (shown := group(page.text)) is not None:
            listed = ticks(page.text)
            replies = {fid: reply_for(fid) for fid in listed}
            if "unsure" in replies.values():
                page = send_checklist(client, page.text, [], reply="one_by_one")
                continue
            asked += [(fid, shown[1]) for fid in listed]
            page = send_checklist(client, page.text,
                                  [fid for fid, r in replies.items() if r == "yes"])
        elif (q := question(page.text)) is not None:
            asked.append(q)
            page = answer(client, page.text, reply_for(q[0]))
        else:
            break
        assert page.status_code == 200, page.text
        if 'data-testid="triage-days"' in page.text:
            page = client.post("/triage", data=_form(carried(page.text))
                               | {"days_since_onset": days})
    if 'data-testid="triage-age"' in page.text:
        page = client.post("/triage", data=_form(carried(page.text))
                           | {"age_asked": "1", "age": age})
    return page, asked


def start_episode(client: TestClient, onset: str = "3h") -> Response:
    page, _ = walk(client)
    return client.post("/triage/start", data=_form(carried(page.text)) | {"onset": onset},
                       follow_redirects=False)


def _form(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    form: dict[str, list[str]] = {}
    for name, value in pairs:
        form.setdefault(name, []).append(value)
    return form


def chart(page: str) -> ET.Element:
    """The page's pain chart, parsed as XML (which fails if it is not well formed)."""
    found = re.search(r"<svg .*?</svg>", page, re.S)
    assert found, "no SVG in the page"
    return ET.fromstring(found.group(0))
