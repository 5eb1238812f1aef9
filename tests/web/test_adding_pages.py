"""Adding to the diary from the web app with every field the CLI has: pain
with stiffness, mobility, a note and an earlier time; a session without a
timer; a medicine (with the same-ingredient note); a habit. In-process on a
real SQLite file."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from spasmcare.core.diary import HabitLog, MedicineTaken, PainEntry, TreatmentSession
from spasmcare.local_zone import local_zone
from tests.web.api_helpers import ago, start_episode
from tests.web.forms import store


def _minute(hours_ago: float) -> str:
    return (datetime.now(local_zone()) - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


def test_the_diary_offers_every_kind_to_add(client: TestClient) -> None:
    page = client.get("/diary").text
    for kind in ("pain", "session", "medicine", "habit"):
        assert f'href="/diary/new/{kind}"' in page
        form = client.get(f"/diary/new/{kind}")
        assert form.status_code == 200 and 'data-testid="add-form"' in form.text


def test_a_pain_entry_with_every_field_and_an_earlier_time(client: TestClient) -> None:
    episode = start_episode(client, onset=ago(hours=8))
    r = client.post("/diary/new/pain", data={
        "at": _minute(2), "pain": "6", "impact": "some", "stiffness": "7",
        "mobility": "limited", "worse_next_morning": "no", "note": "after the drive"})
    assert r.status_code == 200 and 'data-testid="saved"' in r.text
    [entry] = store(client).records(PainEntry)
    assert (entry.pain, entry.impact, entry.stiffness, entry.mobility, entry.note) == (
        6, "some", 7, "limited", "after the drive")
    assert entry.worse_next_morning is False and entry.episode_id == episode["id"]
    assert entry.at.astimezone(local_zone()).strftime("%Y-%m-%dT%H:%M") == _minute(2)


def test_the_impact_starts_unanswered(client: TestClient) -> None:
    form = client.get("/diary/new/pain").text
    assert '<option value="" selected>Not answered</option>' in form
    client.post("/diary/new/pain", data={"at": _minute(0), "pain": "4"})
    assert store(client).records(PainEntry)[0].impact is None


@pytest.mark.parametrize("kind", ["massage", "stretch", "heat"])
def test_a_session_done_without_a_timer(client: TestClient, kind: str) -> None:
    r = client.post("/diary/new/session", data={
        "started_at": _minute(1), "kind": kind, "minutes": "20", "pain_before": "6",
        "pain_after": "4", "completed": "on"})
    assert r.status_code == 200, r.text
    [session] = store(client).records(TreatmentSession)
    assert (session.kind, session.minutes, session.relief, session.completed) == (
        kind, 20, 2, True)
    assert "20 minutes" in html.unescape(r.text)


def test_a_medicine_says_when_another_name_holds_the_same_ingredient(
        client: TestClient) -> None:
    client.post("/diary/new/medicine", data={"at": _minute(3), "name": "Nurofen"})
    r = client.post("/diary/new/medicine", data={"at": _minute(0), "name": "ibuprofen"})
    said = html.unescape(r.text)
    assert "both contain ibuprofen" in said and "pharmacist" in said
    assert len(store(client).records(MedicineTaken)) == 2


def test_a_habit(client: TestClient) -> None:
    client.post("/diary/new/habit", data={"at": _minute(0), "kind": "water", "amount": "3"})
    [habit] = store(client).records(HabitLog)
    assert (habit.kind, habit.amount) == ("water", 3)


def test_a_saved_record_can_be_undone(client: TestClient) -> None:
    r = client.post("/diary/new/medicine", data={"at": _minute(0), "name": "Aleve"})
    [taken] = store(client).records(MedicineTaken)
    assert f'action="/diary/medicine/{taken.id}/delete"' in r.text
    client.post(f"/diary/medicine/{taken.id}/delete")
    assert store(client).records(MedicineTaken) == []


def test_a_form_sent_twice_saves_once(client: TestClient) -> None:
    data = {"at": _minute(0), "name": "Aleve", "record_id": "ab" * 16}
    client.post("/diary/new/medicine", data=data)
    client.post("/diary/new/medicine", data=data)
    assert len(store(client).records(MedicineTaken)) == 1


@pytest.mark.parametrize(("kind", "data", "said"), [
    ("pain", {"at": _minute(0), "pain": "11"}, "Pain must be a whole number from 0 to 10"),
    ("pain", {"at": _minute(0)}, "cannot be left empty"),
    ("pain", {"at": "2999-01-01T10:00", "pain": "3"}, "in the future"),
    ("session", {"started_at": _minute(0), "kind": "ice", "minutes": "9000"},
     "Minutes must be a number"),
    ("medicine", {"at": _minute(0), "name": ""}, "cannot be left empty"),
    ("habit", {"at": _minute(0), "kind": "water", "amount": "500"}, "at most"),
])
def test_bad_fields_are_named_and_save_nothing(client: TestClient, kind: str,
                                               data: dict[str, str], said: str) -> None:
    r = client.post(f"/diary/new/{kind}", data=data)
    assert r.status_code == 400
    assert said in html.unescape(r.text)
    assert store(client).diary().count() == 0


@pytest.mark.parametrize("kind", ["episode", "spaceship"])
def test_unknown_kinds_are_a_404_page(client: TestClient, kind: str) -> None:
    assert client.get(f"/diary/new/{kind}").status_code == 404
    assert client.post(f"/diary/new/{kind}", data={}).status_code == 404
