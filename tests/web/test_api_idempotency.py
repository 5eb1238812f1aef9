"""Every create in the API can be retried: the same client-chosen id, or the
same Idempotency-Key, gives back the first record and stores nothing new, on
SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spasmcare.core.diary import Episode, HabitLog, MedicineTaken, PainEntry, TreatmentSession
from tests.web.api_helpers import EMERGENCY_NO
from tests.web.forms import store

CREATES: list[tuple[str, type[Any], dict[str, Any]]] = [
    ("/api/pain", PainEntry, {"pain": 6, "impact": "some"}),
    ("/api/sessions", TreatmentSession, {"kind": "ice", "started_at": "2026-01-05T08:00:00Z",
                                         "minutes": 20, "pain_before": 6, "pain_after": 4}),
    ("/api/medicines", MedicineTaken, {"name": "Ibuprofen"}),
    ("/api/habits", HabitLog, {"kind": "water", "amount": 6}),
]


@pytest.fixture
def no_flags() -> dict[str, Any]:
    return {"answers": EMERGENCY_NO}


@pytest.mark.parametrize(("path", "model", "body"), CREATES, ids=[c[0] for c in CREATES])
def test_a_create_sent_twice_with_the_same_id_is_stored_once(
        any_db_client: TestClient, path: str, model: type[Any], body: dict[str, Any]) -> None:
    chosen = uuid.uuid4().hex
    first = any_db_client.post(path, json={**body, "id": chosen})
    again = any_db_client.post(path, json={**body, "id": chosen})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["id"] == chosen
    assert again.headers["idempotent-replayed"] == "true"
    assert [r.id for r in store(any_db_client).records(model)] == [chosen]


@pytest.mark.parametrize(("path", "model", "body"), CREATES, ids=[c[0] for c in CREATES])
def test_a_create_sent_twice_with_the_same_key_is_stored_once(
        any_db_client: TestClient, path: str, model: type[Any], body: dict[str, Any]) -> None:
    key = {"Idempotency-Key": "outbox-item-17"}
    first = any_db_client.post(path, json=body, headers=key)
    again = any_db_client.post(path, json=body, headers=key)
    other = any_db_client.post(path, json=body, headers={"Idempotency-Key": "outbox-item-18"})
    assert first.json() == again.json()
    assert other.json()["id"] != first.json()["id"]
    assert len(store(any_db_client).records(model)) == 2


def test_an_id_reused_for_different_content_is_refused(any_db_client: TestClient) -> None:
    chosen = uuid.uuid4().hex
    assert any_db_client.post("/api/pain", json={"pain": 6, "id": chosen}).status_code == 201
    answer = any_db_client.post("/api/pain", json={"pain": 2, "id": chosen})
    assert answer.status_code == 409
    assert "different pain" in answer.json()["detail"]
    assert [p.pain for p in store(any_db_client).records(PainEntry)] == [6]


def test_an_episode_start_retried_is_not_refused_as_already_open(
        any_db_client: TestClient, no_flags: dict[str, Any]) -> None:
    key = {"Idempotency-Key": "start-1"}
    first = any_db_client.post("/api/episodes", json=no_flags, headers=key)
    again = any_db_client.post("/api/episodes", json=no_flags, headers=key)
    assert first.status_code == again.status_code == 201, again.text
    assert first.json()["id"] == again.json()["id"]
    assert any_db_client.post("/api/episodes", json=no_flags).status_code == 409
    assert len(store(any_db_client).records(Episode)) == 1


@pytest.mark.parametrize("bad", ["not-hex", "A" * 32, "0" * 31, "0" * 33])
def test_a_client_id_must_be_32_hex_digits(any_db_client: TestClient, bad: str) -> None:
    answer = any_db_client.post("/api/pain", json={"pain": 3, "id": bad})
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("id must be a record id: 32 characters 0-9 and a-f")


def test_two_tabs_flushing_the_same_item_at_once_store_it_once(
        any_db_client: TestClient) -> None:
    body = CREATES[1][2]
    barrier = threading.Barrier(6)
    codes: list[int] = []

    def flush() -> None:
        barrier.wait()
        codes.append(any_db_client.post("/api/sessions", json=body,
                                        headers={"Idempotency-Key": "same"}).status_code)

    threads = [threading.Thread(target=flush) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [201] * 6
    assert len(store(any_db_client).records(TreatmentSession)) == 1


def test_an_episode_retried_with_other_answers_is_refused(any_db_client: TestClient) -> None:
    """A retry must not turn a start with a warning sign into one without."""
    key = {"Idempotency-Key": "start-2"}
    calm = any_db_client.post("/api/episodes", json={"answers": EMERGENCY_NO}, headers=key)
    flagged = {"findings": {**EMERGENCY_NO["findings"], "saddle_numbness": True}}
    again = any_db_client.post("/api/episodes", json={"answers": flagged}, headers=key)
    assert calm.status_code == 201
    assert again.status_code == 409 and "triage" in again.json()["detail"]


def test_episode_starts_retried_at_once_all_get_the_first(any_db_client: TestClient) -> None:
    barrier = threading.Barrier(6)
    answers: list[Any] = []

    def start() -> None:
        barrier.wait()
        answers.append(any_db_client.post("/api/episodes", json={"answers": EMERGENCY_NO},
                                          headers={"Idempotency-Key": "tap-tap"}))

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert len(store(any_db_client).records(Episode)) == 1


def test_an_id_and_a_key_together_are_refused(any_db_client: TestClient) -> None:
    answer = any_db_client.post("/api/habits", json={"kind": "water", "amount": 2,
                                                     "id": uuid.uuid4().hex},
                                headers={"Idempotency-Key": "k"})
    assert answer.status_code == 400 and "not both" in answer.json()["detail"]
