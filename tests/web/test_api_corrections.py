"""Correcting the diary over the JSON API: PATCH and DELETE on every kind of
record, the audit trail and undo, with their status codes, on a real
database (and PostgreSQL when the environment offers it)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.web.api_helpers import ago, ahead, created, start_episode

EDITS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # path: (the create, a correction)
    "pain": ({"pain": 6, "note": "sharp"}, {"pain": 3, "note": None}),
    "sessions": ({"kind": "ice", "started_at": ago(minutes=30), "minutes": 15},
                 {"minutes": 12, "pain_before": 6, "pain_after": 4}),
    "medicines": ({"name": "Ibuprofen"}, {"name": "Nurofen", "note": "with food"}),
    "habits": ({"kind": "water", "amount": 2}, {"amount": 4}),
}


@pytest.mark.parametrize("path", list(EDITS))
def test_patch_delete_and_undo_each_kind(any_db_client: TestClient, path: str) -> None:
    client = any_db_client
    create, edit = EDITS[path]
    record = created(client, f"/api/{path}", create)
    url = f"/api/{path}/{record['id']}"
    assert client.get(url).json() == record
    r = client.patch(url, json=edit)
    assert r.status_code == 200, r.text
    fixed = r.json()
    assert all(fixed[k] == v for k, v in edit.items())
    assert client.get(url).json() == fixed

    r = client.delete(url)
    assert r.status_code == 200, r.text
    gone = r.json()
    assert gone["action"] == "deleted" and gone["record_id"] == record["id"]
    assert gone["said"].startswith("Deleted ")
    assert client.get(url).status_code == 404
    assert client.delete(url).status_code == 404

    r = client.post(f"/api/changes/{gone['id']}/undo")
    assert r.status_code == 200 and r.json()["action"] == "restored"
    assert client.get(url).json() == fixed
    assert client.post(f"/api/changes/{gone['id']}/undo").status_code == 409
    trail = client.get("/api/changes").json()
    assert [c["action"] for c in trail] == ["restored", "deleted", "edited"]
    assert trail[2]["before"]["id"] == record["id"]


def test_a_pain_correction_changes_its_severity(client: TestClient) -> None:
    entry = created(client, "/api/pain", {"pain": 9, "impact": "unable"})
    assert entry["severity"] == "severe"
    fixed = client.patch(f"/api/pain/{entry['id']}", json={"pain": 2, "impact": "none"}).json()
    assert fixed["severity"] == "mild"


def test_an_episode_is_corrected_and_ended(client: TestClient) -> None:
    episode = start_episode(client, onset=ago(hours=5))
    url = f"/api/episodes/{episode['id']}"
    r = client.patch(url, json={"region": "lower", "triggers": ["lifting"], "note": "garden"})
    assert r.status_code == 200
    assert r.json()["triggers"] == ["lifting"] and r.json()["open"] is True
    assert client.patch(url, json={"triggers": None}).json()["triggers"] == []
    ended = client.post(f"{url}/end", json={})
    assert ended.status_code == 200 and ended.json()["open"] is False
    r = client.patch(url, json={"triage_urgency": "self-care"})
    assert r.status_code == 422  # the triage's answers are not the person's to edit


def test_an_episode_cannot_end_before_its_own_records(client: TestClient) -> None:
    episode = start_episode(client, onset=ago(hours=5))
    created(client, "/api/pain", {"pain": 6, "at": ago(hours=1)})
    url = f"/api/episodes/{episode['id']}"
    r = client.post(f"{url}/end", json={"ended_at": ago(hours=3)})
    assert r.status_code == 400 and "after the new end" in r.json()["detail"]
    assert client.get(url).json()["open"] is True  # nothing changed
    assert client.post(f"{url}/end", json={"ended_at": ago(minutes=30)}).status_code == 200


def test_deleting_an_episode_keeps_its_records(client: TestClient) -> None:
    episode = start_episode(client, onset=ago(hours=5))
    pain = created(client, "/api/pain", {"pain": 5})
    assert pain["episode_id"] == episode["id"]
    gone = client.delete(f"/api/episodes/{episode['id']}").json()
    assert "stay in the diary" in gone["said"]
    assert client.get(f"/api/pain/{pain['id']}").json()["episode_id"] is None
    client.post(f"/api/changes/{gone['id']}/undo")
    assert client.get(f"/api/pain/{pain['id']}").json()["episode_id"] == episode["id"]


@pytest.mark.parametrize(("body", "said"), [
    ({"pain": 11}, "pain"),
    ({"pain": None}, "cannot be emptied"),
    ({"at": None}, "cannot be emptied"),
    ({"at": ahead(hours=3)}, "future"),
    ({"severity": "mild"}, "severity"),
    ({"minutes": 5}, "minutes"),
])
def test_bad_corrections_are_refused_and_change_nothing(client: TestClient,
                                                        body: dict[str, Any], said: str) -> None:
    entry = created(client, "/api/pain", {"pain": 6})
    r = client.patch(f"/api/pain/{entry['id']}", json=body)
    assert r.status_code in (400, 422), r.text
    assert said in r.json()["detail"]
    assert client.get(f"/api/pain/{entry['id']}").json() == entry
    assert client.get("/api/changes").json() == []


def test_unknown_ids_are_404_and_malformed_ones_422(client: TestClient) -> None:
    missing = "0" * 32
    for path in ("pain", "sessions", "medicines", "habits", "episodes"):
        assert client.patch(f"/api/{path}/{missing}", json={}).status_code == 404
        assert client.delete(f"/api/{path}/{missing}").status_code == 404
        assert client.delete(f"/api/{path}/nope").status_code == 422
    assert client.post(f"/api/changes/{missing}/undo").status_code == 404


def test_an_undo_after_a_later_edit_is_a_conflict(client: TestClient) -> None:
    entry = created(client, "/api/pain", {"pain": 6})
    url = f"/api/pain/{entry['id']}"
    client.patch(url, json={"pain": 5})
    client.patch(url, json={"pain": 4})
    first = client.get("/api/changes").json()[-1]
    r = client.post(f"/api/changes/{first['id']}/undo")
    assert r.status_code == 409 and "changed since" in r.json()["detail"]
