"""The JSON API's triage, plan, insights, knowledge and settings routes,
in-process on a real SQLite file. Triage and plan answer exactly what the CLI
prints (CONTRACTS sections 1 and 3)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spasmcare.settings import Settings
from tests.contract import FINDING_TIERS, SESSION_KINDS, TOPICS, URGENCIES
from tests.web.api_helpers import ALL_NO, ago, created, start_episode

# --- triage -------------------------------------------------------------------------


def test_questions_come_emergency_first(client: TestClient) -> None:
    rows = client.get("/api/triage/questions").json()
    assert [set(r) for r in rows] == [{"id", "tier", "question", "hint"}] * len(FINDING_TIERS)
    assert {r["id"]: r["tier"] for r in rows} == FINDING_TIERS
    ranks = [URGENCIES.index(r["tier"]) for r in rows]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.parametrize("document", [
    {"age": 45, "days_since_onset": 2, "pain_score": 7,
     "findings": {"both_legs_symptoms": False, "fever": True}},
    ALL_NO,
    {"findings": {"saddle_numbness": True, "fever": True}},
    {"days_since_onset": 1, "findings": {"not_improving": True}},
    {},
])
def test_triage_answers_what_the_cli_prints(client: TestClient, cli, document: dict[str, Any],
                                            ) -> None:
    r = client.post("/api/triage", json=document)
    assert r.status_code == 200
    printed = cli("triage", "--answers", "-", "--json", stdin=json.dumps(document))
    assert printed.code == 0, printed.err
    assert r.json() == json.loads(printed.out)
    assert list(r.json()) == ["urgency", "reasons", "unanswered", "complete", "advice"]


def test_triage_unknown_finding_is_400_naming_it(client: TestClient) -> None:
    r = client.post("/api/triage", json={"findings": {"numb_toes": True, "fever": False}})
    assert r.status_code == 400 and "numb_toes" in r.json()["detail"]


@pytest.mark.parametrize(("document", "field"), [
    ({"pain_score": 12}, "pain_score"),
    ({"pain_score": "7"}, "pain_score"),
    ({"age": 121}, "age"),
    ({"days_since_onset": -1}, "days_since_onset"),
    ({"findings": {"fever": "maybe"}}, "fever"),
    ({"findings": ["fever"]}, "findings"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
])
def test_triage_bad_answers_are_422_naming_the_field(client: TestClient, document: object,
                                                     field: str) -> None:
    r = client.post("/api/triage", json=document)
    assert r.status_code == 422 and field in r.json()["detail"]


# --- the care plan --------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    {"onset": "2026-11-20T08:00:00+00:00", "now": "2026-11-21T10:00:00+00:00"},
    {"onset": "2026-11-10T08:00", "now": "2026-11-21T10:00", "wake": "08:30", "sleep": "21:00",
     "days": "2"},
    {"onset": "2026-11-21T06:00:00-05:00", "now": "2026-11-21T23:30:00-05:00"},
])
def test_plan_answers_what_the_cli_prints(client: TestClient, cli, query: dict[str, str]) -> None:
    r = client.get("/api/plan", params=query)
    assert r.status_code == 200, r.text
    printed = cli("plan", *(a for k, v in query.items() for a in (f"--{k}", v)), "--json")
    assert printed.code == 0, printed.err
    assert r.json() == json.loads(printed.out)
    out = r.json()
    assert list(out) == ["phase", "hours_since_onset", "sessions", "guidance", "evidence_notes"]
    assert {s["kind"] for s in out["sessions"]} <= SESSION_KINDS


def test_plan_without_onset_follows_the_open_episode_and_saved_hours(
        client: TestClient, cli, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    assert client.get("/api/plan").status_code == 404
    start_episode(client, onset=ago(hours=30))
    client.put("/api/settings", json={"wake": "06:00", "sleep": "21:30", "units": "metric"})
    now = ago(minutes=1)
    r = client.get("/api/plan", params={"now": now})
    assert r.status_code == 200
    monkeypatch.setenv("SPASMCARE_DATABASE_URL", settings.database_url)
    assert r.json() == json.loads(cli("plan", "--now", now, "--json").out)
    assert all("06:00" <= s["start"][11:16] <= "21:30" for s in r.json()["sessions"])


@pytest.mark.parametrize(("query", "status", "fragment"), [
    ({"onset": "2026-11-22T08:00", "now": "2026-11-21T08:00"}, 400, "after now"),
    ({"onset": "2026-02-30T08:00"}, 422, "onset"),
    ({"onset": "soon"}, 422, "ISO 8601"),
    ({"onset": "2026-11-21T08:00", "wake": "7am"}, 422, "wake"),
    ({"onset": "2026-11-21T08:00", "wake": "07:00", "sleep": "07:00"}, 400, "differ"),
    ({"onset": "2026-11-21T08:00", "days": "0"}, 422, "days"),
    ({"onset": "2026-11-21T08:00", "days": "29"}, 422, "days"),
    ({"onset": "0001-01-01T00:00"}, 422, "onset"),
])
def test_plan_bad_query(client: TestClient, query: dict[str, str], status: int,
                        fragment: str) -> None:
    r = client.get("/api/plan", params=query)
    assert r.status_code == status and fragment in r.json()["detail"]


# --- insights, knowledge, settings ------------------------------------------------------


def test_insights_of_an_empty_diary(client: TestClient) -> None:
    out = client.get("/api/insights").json()
    assert out["records"] == 0 and out["summary"]
    assert [h["kind"] for h in out["habits"]] == ["water", "walk", "plank", "breaks"]


def test_insights_answer_what_the_cli_prints(client: TestClient, cli, settings: Settings,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    start_episode(client, onset=ago(days=3), triggers=["lifting"])
    for before, after in ((7, 5), (6, 3)):
        created(client, "/api/sessions", {"kind": "heat", "started_at": ago(hours=before),
                                          "minutes": 15, "pain_before": before,
                                          "pain_after": after})
    created(client, "/api/medicines", {"name": "Ibuprofen"})
    created(client, "/api/habits", {"kind": "walk", "amount": 20})
    out = client.get("/api/insights").json()
    monkeypatch.setenv("SPASMCARE_DATABASE_URL", settings.database_url)
    printed = json.loads(cli("insights", "--json").out)
    for result in (out, printed):
        del result["generated_at"]
    assert out == printed
    assert out["triggers"][0]["trigger"] == "lifting"
    assert out["treatments"][0]["sessions"] == 2
    assert out["medicines"] == [{"name": "Ibuprofen", "count": 1}]


def test_knowledge_topics_entries_and_disagreements(client: TestClient) -> None:
    topics = client.get("/api/knowledge/topics").json()
    assert [t["id"] for t in topics] == list(TOPICS)
    entries = client.get("/api/knowledge/entries").json()
    assert {"id", "topic", "title", "text", "sources", "evidence", "questions"} == set(entries[0])
    heat = client.get("/api/knowledge/entries", params={"topic": "heat"}).json()
    assert heat and all(e["topic"] == "heat" for e in heat)
    assert any(e["evidence"] for e in heat)
    every = client.get("/api/knowledge/disagreements").json()
    on_heat = client.get("/api/knowledge/disagreements", params={"topic": "heat"}).json()
    assert on_heat and len(on_heat) <= len(every)
    assert all("heat" in d["topics"] and len(d["positions"]) >= 2 for d in on_heat)
    cited = {s for e in entries for s in e["sources"]}
    assert cited <= {s["id"] for s in client.get("/api/knowledge/sources").json()}


@pytest.mark.parametrize("path", ["/api/knowledge/entries", "/api/knowledge/disagreements"])
def test_unknown_topic_is_400_naming_it(client: TestClient, path: str) -> None:
    r = client.get(path, params={"topic": "gardening"})
    assert r.status_code == 400 and "gardening" in r.json()["detail"]


def test_settings_round_trip(client: TestClient) -> None:
    assert client.get("/api/settings").json() == {"wake": "07:00", "sleep": "23:00",
                                                  "units": "metric"}
    mine = {"wake": "06:30", "sleep": "22:15", "units": "imperial"}
    assert client.put("/api/settings", json=mine).json() == mine
    assert client.get("/api/settings").json() == mine


@pytest.mark.parametrize(("body", "fragment"), [
    ({"wake": "25:00", "sleep": "22:00", "units": "metric"}, "wake"),
    ({"wake": "07:00", "sleep": "7pm", "units": "metric"}, "sleep"),
    ({"wake": "07:00", "sleep": "07:00", "units": "metric"}, "differ"),
    ({"wake": "07:00", "sleep": "22:00", "units": "furlongs"}, "units"),
    ({"wake": "07:00"}, "sleep"),
])
def test_bad_settings_change_nothing(client: TestClient, body: dict[str, str],
                                     fragment: str) -> None:
    r = client.put("/api/settings", json=body)
    # Equal times are well formed but cannot be used (400); the rest are not
    # of the expected shape (422).
    assert r.status_code == (400 if fragment == "differ" else 422)
    assert fragment in r.json()["detail"]
    assert client.get("/api/settings").json()["wake"] == "07:00"


# --- the OpenAPI document ----------------------------------------------------------------


def test_openapi_documents_every_route_with_its_answers(client: TestClient) -> None:
    doc = client.get("/api/openapi.json").json()
    ops = {(m.upper(), p): op for p, item in doc["paths"].items() for m, op in item.items()}
    assert {("POST", "/api/episodes"), ("PATCH", "/api/episodes/{record_id}"),
            ("GET", "/api/plan"), ("POST", "/api/triage"), ("PUT", "/api/settings")} <= set(ops)
    for (method, path), op in ops.items():
        creates = method == "POST" and path not in ("/api/triage", "/api/ask") \
            and not path.endswith(("/end", "/undo"))  # actions on what is there
        ok = "201" if creates else "200"
        assert ok in op["responses"], (method, path)
        if path.startswith("/api/export/"):  # a file, described as such (JSON as an object)
            files = op["responses"][ok]["content"]
            assert all(f["schema"] == ({"type": "object"} if kind.endswith("json") else
                                       {"type": "string", "format": "binary"})
                       for kind, f in files.items()), path
        else:
            assert "$ref" in json.dumps(op["responses"][ok]), (method, path)
        for code, answer in op["responses"].items():
            if code.startswith("4"):
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path, code)
    assert ops["POST", "/api/episodes"]["responses"].keys() >= {"201", "400", "409", "422"}
    assert "HTTPValidationError" not in json.dumps(doc["paths"])
