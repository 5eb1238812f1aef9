"""What the browser tests ask the running server directly, over its JSON API:
setting the scene before a page is opened, and checking afterwards what the
pages recorded."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.browser.conftest import Server


def get(server: Server, path: str) -> Any:
    r = httpx.get(server.url + path, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def send(server: Server, method: str, path: str, body: dict[str, Any]) -> Any:
    r = httpx.request(method, server.url + path, json=body, timeout=10)
    assert r.status_code in (200, 201), r.text
    return r.json()


def all_clear(server: Server) -> dict[str, bool]:
    """Every triage question answered "no", as the API lists them."""
    return {q["id"]: False for q in get(server, "/api/triage/questions")}


def start_episode(server: Server, *, hours_ago: float) -> dict[str, Any]:
    onset = datetime.now().astimezone() - timedelta(hours=hours_ago)
    return send(server, "POST", "/api/episodes",  # type: ignore[no-any-return]
                {"onset": onset.isoformat(), "answers": {"findings": all_clear(server)}})


def waking_hours_around_now(server: Server) -> None:
    """Waking hours from an hour ago to twelve hours on, so that today's plan
    has sessions left whatever time of day the tests run (late in the evening
    the default day would be over)."""
    now = datetime.now().astimezone()
    send(server, "PUT", "/api/settings", {
        "wake": (now - timedelta(hours=1)).strftime("%H:%M"),
        "sleep": (now + timedelta(hours=12)).strftime("%H:%M"),
        "units": "metric"})
