"""Correcting the diary in the web app's pages: the edit page of every kind
of record, saving a correction, deleting, and the undo that follows each,
in-process on a real SQLite file."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from spasmcare.core.diary import (
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    Record,
    TreatmentSession,
)
from spasmcare.web.record_form import FIELDS, values
from tests.diaries import NOW
from tests.web.api_helpers import ago, created, start_episode
from tests.web.forms import store


def _records(client: TestClient) -> list[Record]:
    start_episode(client, onset=ago(hours=6))
    made = [created(client, "/api/pain", {"pain": 6, "note": "sharp", "at": ago(hours=1)}),
            created(client, "/api/sessions", {"kind": "heat", "started_at": ago(hours=2),
                                              "minutes": 20}),
            created(client, "/api/medicines", {"name": "Ibuprofen", "at": ago(hours=3)}),
            created(client, "/api/habits", {"kind": "water", "amount": 2})]
    diary = store(client)
    kinds = (PainEntry, TreatmentSession, MedicineTaken, HabitLog)
    return [diary.open_episode(), *(diary.find(k, m["id"]) for k, m in  # type: ignore[list-item]
                                    zip(kinds, made, strict=True))]


def _form(client: TestClient, record: Record) -> dict[str, str | list[str]]:
    """The edit form as the page draws it, sent back as a browser would."""
    from datetime import datetime

    from spasmcare.local_zone import local_zone

    shown = values(record, datetime.now(local_zone()))
    return {k: v for k, v in shown.items() if v not in ("", [])}


KIND = {Episode: "episode", PainEntry: "pain", TreatmentSession: "session",
        MedicineTaken: "medicine", HabitLog: "habit"}


def test_every_kind_has_an_edit_page_with_its_values(client: TestClient) -> None:
    for record in _records(client):
        page = client.get(f"/diary/{KIND[type(record)]}/{record.id}")
        assert page.status_code == 200, page.text
        for field in FIELDS[type(record)]:
            assert f'name="{field.name}"' in page.text, (type(record), field.name)
        assert "Delete this" in page.text


def test_sending_the_form_back_unchanged_changes_nothing(client: TestClient) -> None:
    for record in _records(client):
        kind = KIND[type(record)]
        r = client.post(f"/diary/{kind}/{record.id}", data=_form(client, record),
                        follow_redirects=False)
        assert r.status_code == 303 and "unchanged" in r.headers["location"], (kind, r.text)
        assert store(client).find(type(record), record.id) == record  # seconds kept
    assert store(client).changes() == []


def test_a_correction_is_saved_said_and_undone(client: TestClient) -> None:
    pain = _records(client)[1]
    form = _form(client, pain) | {"pain": "3", "note": "", "impact": "some"}
    r = client.post(f"/diary/pain/{pain.id}", data=form)
    assert r.status_code == 200
    said = html.unescape(r.text)
    assert "Edited pain 6/10" in said and "pain 6 → 3" in said and "note removed" in said
    fixed = store(client).find(PainEntry, pain.id)
    assert (fixed.pain, fixed.note, fixed.impact) == (3, None, "some")
    assert fixed.severity == client.app.state.knowledge.severity.classify(3, "some")  # type: ignore[attr-defined]
    assert 'class="tag">edited' in client.get("/diary").text
    undo = re.search(r'action="(/diary/changes/[0-9a-f]{32}/undo)"', r.text)
    assert undo
    back = client.post(undo.group(1))
    assert "Undid the edit" in html.unescape(back.text)
    assert store(client).find(PainEntry, pain.id) == pain


def test_deleting_is_said_with_an_undo_that_puts_it_back(client: TestClient) -> None:
    medicine = _records(client)[3]
    r = client.post(f"/diary/medicine/{medicine.id}/delete")
    assert "Deleted Ibuprofen" in r.text
    assert store(client).find(MedicineTaken, medicine.id) is None
    undo = re.search(r'action="(/diary/changes/[0-9a-f]{32}/undo)"', r.text)
    assert undo
    back = client.post(undo.group(1))
    assert "is back" in back.text
    assert store(client).find(MedicineTaken, medicine.id) == medicine


def test_a_pain_score_just_saved_can_be_undone(client: TestClient) -> None:
    r = client.post("/diary/pain", data={"pain": "8"})
    entry = store(client).records(PainEntry)[0]
    assert f'action="/diary/pain/{entry.id}/delete"' in r.text
    r = client.post(f"/diary/pain/{entry.id}/delete")
    assert store(client).records(PainEntry) == []
    assert "Undo" in r.text  # and the deletion can be undone in turn


@pytest.mark.parametrize(("field", "typed", "said"), [
    ("pain", "12", "Pain must be a whole number from 0 to 10"),
    ("pain", "", "cannot be left empty"),
    ("at", "yesterday", "must be an ISO 8601 date-time"),
    ("impact", "lots", "must be one of"),
])
def test_a_bad_field_is_named_and_changes_nothing(client: TestClient, field: str, typed: str,
                                                 said: str) -> None:
    pain = _records(client)[1]
    r = client.post(f"/diary/pain/{pain.id}", data=_form(client, pain) | {field: typed})
    assert r.status_code == 400
    assert said in html.unescape(r.text)
    assert f'id="{field}"' in r.text and 'aria-invalid="true"' in r.text
    assert store(client).find(PainEntry, pain.id) == pain


def test_an_episode_cannot_start_after_its_own_records(client: TestClient) -> None:
    episode = _records(client)[0]
    form = _form(client, episode) | {"onset": ago(minutes=30)[:16]}
    r = client.post(f"/diary/episode/{episode.id}", data=form)
    assert r.status_code == 400 and "before the new start" in r.text
    assert store(client).find(Episode, episode.id) == episode


@pytest.mark.parametrize("path", ["/diary/spaceship/" + "a" * 32, "/diary/pain/" + "a" * 32,
                                  "/diary/pain/not-an-id", "/diary/changes/" + "a" * 32])
def test_unknown_records_are_a_404_page(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404 and "<html" in r.text.lower()
    assert client.post(path + "/delete").status_code == 404


def test_an_unknown_undo_is_a_404_page(client: TestClient) -> None:
    assert client.post("/diary/changes/" + "a" * 32 + "/undo").status_code == 404
    assert client.post("/diary/changes/nope/undo").status_code == 404


def test_a_record_years_old_is_not_put_in_todays_episode(client: TestClient) -> None:
    pain = _records(client)[1]
    form = _form(client, pain) | {"at": (NOW - timedelta(days=700)).strftime("%Y-%m-%dT%H:%M")}
    client.post(f"/diary/pain/{pain.id}", data=form)
    assert store(client).find(PainEntry, pain.id).episode_id is None


def test_the_diary_lists_records_with_edit_links(client: TestClient) -> None:
    records = _records(client)
    page = client.get("/diary").text
    for record in records[1:]:
        assert f'href="/diary/{KIND[type(record)]}/{record.id}"' in page
    assert f'href="/diary/episode/{records[0].id}"' in page
