"""What the API tests share: answers documents and times relative to now."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.contract import FINDING_TIERS

ALL_NO = {"findings": dict.fromkeys(FINDING_TIERS, False)}
EMERGENCY_NO = {"findings": {i: False for i, t in FINDING_TIERS.items() if t == "emergency"}}


def ago(**delta: float) -> str:
    """An ISO 8601 time with an offset, ``delta`` before now."""
    return (datetime.now().astimezone() - timedelta(**delta)).isoformat()


def ahead(**delta: float) -> str:
    return (datetime.now().astimezone() + timedelta(**delta)).isoformat()


def start_episode(client: TestClient, **fields: Any) -> dict[str, Any]:
    r = client.post("/api/episodes", json={"answers": ALL_NO, **fields})
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


def created(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(path, json=body)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]
