"""The diary over the JSON API: episodes, pain, sessions, medicines and habits,
in-process on a real SQLite file."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from tests.web.api_helpers import ALL_NO, EMERGENCY_NO, ago, ahead, created, start_episode

# --- episodes -----------------------------------------------------------------------


def test_a_whole_episode(client: TestClient) -> None:
    episode = start_episode(client, onset=ago(hours=3), region="lower", side="left",
                            triggers=["lifting", "stress"], trigger_note="moving a sofa",
                            note="first one this year")
    assert episode["open"] is True and episode["ended_at"] is None
    assert episode["triage_urgency"] == "self-care"
    assert episode["triggers"] == ["lifting", "stress"]
    assert episode["triage_answers"] == ALL_NO["findings"]
    assert client.get(f"/api/episodes/{episode['id']}").json() == episode
    assert client.get("/api/episodes").json() == [episode]

    r = client.patch(f"/api/episodes/{episode['id']}", json={"ended_at": ago(minutes=5)})
    assert r.status_code == 200
    ended = r.json()
    assert ended["open"] is False and ended["ended_at"] is not None
    assert client.get(f"/api/episodes/{episode['id']}").json() == ended
    assert client.get("/api/plan").status_code == 404  # nothing open any more


def test_ending_without_a_time_ends_it_now(client: TestClient) -> None:
    episode = start_episode(client)
    ended = client.post(f"/api/episodes/{episode['id']}/end", json={}).json()
    when = datetime.fromisoformat(ended["ended_at"])
    assert abs((datetime.now().astimezone() - when).total_seconds()) < 60


def test_onset_defaults_to_now_and_naive_times_are_local(client: TestClient) -> None:
    episode = start_episode(client)
    onset = datetime.fromisoformat(episode["onset"])
    assert abs((datetime.now().astimezone() - onset).total_seconds()) < 60
    client.post(f"/api/episodes/{episode['id']}/end", json={})
    local = datetime.now().replace(microsecond=0, second=0)
    second = start_episode(client, onset=local.isoformat())
    assert datetime.fromisoformat(second["onset"]) == local.astimezone()


def test_an_episode_needs_the_red_flag_check(client: TestClient) -> None:
    r = client.post("/api/episodes", json={"onset": ago(hours=1)})
    assert r.status_code == 422 and "answers" in r.json()["detail"]
    r = client.post("/api/episodes", json={"answers": {}})
    assert r.status_code == 400 and "red-flag check" in r.json()["detail"]
    partial = {"findings": dict(list(EMERGENCY_NO["findings"].items())[:-1])}
    r = client.post("/api/episodes", json={"answers": partial})
    assert r.status_code == 400 and "pregnancy_bleeding_or_contractions" in r.json()["detail"]
    assert client.get("/api/episodes").json() == []


def test_emergency_questions_are_enough_and_an_emergency_is_recorded(client: TestClient) -> None:
    first = start_episode(client, answers=EMERGENCY_NO)
    assert first["triage_urgency"] == "self-care"
    client.post(f"/api/episodes/{first['id']}/end", json={})
    urgent = start_episode(client, answers={"findings": {**EMERGENCY_NO["findings"],
                                                         "fever": True}})
    assert urgent["triage_urgency"] == "urgent"
    client.post(f"/api/episodes/{urgent['id']}/end", json={})
    # A "yes" to an emergency question ends the questions: the rest may stay unasked.
    emergency = start_episode(client, answers={"findings": {"saddle_numbness": True}})
    assert emergency["triage_urgency"] == "emergency"


def test_unknown_finding_in_the_answers_is_400(client: TestClient) -> None:
    answers = {"findings": {**EMERGENCY_NO["findings"], "numb_toes": True}}
    r = client.post("/api/episodes", json={"answers": answers})
    assert r.status_code == 400 and "numb_toes" in r.json()["detail"]


def test_a_second_open_episode_is_409(client: TestClient) -> None:
    first = start_episode(client)
    r = client.post("/api/episodes", json={"answers": ALL_NO})
    assert r.status_code == 409 and first["id"] in r.json()["detail"]
    assert len(client.get("/api/episodes").json()) == 1


@pytest.mark.parametrize(("fields", "status", "fragment"), [
    ({"onset": ahead(days=1)}, 400, "future"),
    ({"triggers": ["lifting", "lifting"]}, 400, "twice"),
    ({"triggers": ["gardening"]}, 422, "triggers"),
    ({"region": "neck"}, 422, "region"),
    ({"note": "x" * 2001}, 422, "note"),
])
def test_bad_episodes_are_refused(client: TestClient, fields: dict[str, object], status: int,
                                  fragment: str) -> None:
    r = client.post("/api/episodes", json={"answers": ALL_NO, **fields})
    assert r.status_code == status and fragment in r.json()["detail"]
    assert client.get("/api/episodes").json() == []


def test_ending_before_the_onset_or_in_the_future_is_400(client: TestClient) -> None:
    episode = start_episode(client, onset=ago(hours=5))
    path = f"/api/episodes/{episode['id']}"
    r = client.patch(path, json={"ended_at": ago(hours=6)})
    assert r.status_code == 400 and "before the onset" in r.json()["detail"]
    r = client.patch(path, json={"ended_at": ahead(hours=2)})
    assert r.status_code == 400 and "future" in r.json()["detail"]
    assert client.get(path).json()["open"] is True


def test_unknown_and_malformed_episode_ids(client: TestClient) -> None:
    r = client.get("/api/episodes/" + "0" * 32)
    assert r.status_code == 404 and "0" * 32 in r.json()["detail"]
    assert client.patch("/api/episodes/" + "0" * 32, json={}).status_code == 404
    r = client.get("/api/episodes/not-an-id")
    assert r.status_code == 422 and "record_id" in r.json()["detail"]


# --- pain, sessions, medicines, habits ------------------------------------------------------


def test_entries_belong_to_the_episode_going_on_at_their_time(client: TestClient) -> None:
    loose = created(client, "/api/pain", {"pain": 2})
    assert loose["episode_id"] is None
    episode = start_episode(client, onset=ago(hours=2))
    pain = created(client, "/api/pain", {"pain": 7, "impact": "some", "stiffness": 6,
                                         "mobility": "limited", "note": "sharp"})
    session = created(client, "/api/sessions", {"kind": "ice", "started_at": ago(minutes=30),
                                                "minutes": 20, "pain_before": 7,
                                                "pain_after": 5})
    medicine = created(client, "/api/medicines", {"name": "  Naproxen ", "at": ago(hours=1)})
    assert pain["episode_id"] == session["episode_id"] == medicine["episode_id"] == episode["id"]
    assert pain["severity"] == "severe" and pain["stiffness"] == 6
    assert session["relief"] == 2 and session["completed"] is True
    assert medicine["name"] == "Naproxen"
    before = created(client, "/api/pain", {"pain": 3, "at": ago(hours=3)})
    years_before = created(client, "/api/medicines", {"name": "Paracetamol",
                                                      "at": "2020-01-01T09:00:00+00:00"})
    assert before["episode_id"] is None and years_before["episode_id"] is None
    client.post(f"/api/episodes/{episode['id']}/end", json={})
    after = created(client, "/api/sessions", {"kind": "walk", "started_at": ago(minutes=0),
                                              "minutes": 10, "completed": False})
    assert after["episode_id"] is None and after["relief"] is None
    during = created(client, "/api/pain", {"pain": 4, "at": ago(minutes=90)})
    assert during["episode_id"] == episode["id"]  # it went on then, though it has ended


@pytest.mark.parametrize(("pain", "impact", "severity"), [
    (1, "none", "mild"), (1, "unable", "severe"), (5, "none", "moderate"), (9, "none", "severe"),
    (1, None, "mild"), (5, None, "moderate"), (9, None, "severe"),
])
def test_pain_severity_comes_from_the_knowledge_base(client: TestClient, pain: int,
                                                     impact: str | None, severity: str) -> None:
    """An impact left out is unanswered (null), and the pain alone decides."""
    body = {"pain": pain} if impact is None else {"pain": pain, "impact": impact}
    entry = created(client, "/api/pain", body)
    assert (entry["severity"], entry["impact"]) == (severity, impact)


def test_each_list_reads_back_what_was_posted(client: TestClient) -> None:
    posted = {
        "/api/pain": created(client, "/api/pain", {"pain": 4, "at": ago(hours=2)}),
        "/api/sessions": created(client, "/api/sessions", {"kind": "heat", "minutes": 15,
                                                           "started_at": ago(hours=1)}),
        "/api/medicines": created(client, "/api/medicines", {"name": "Paracetamol",
                                                             "note": "with food"}),
        "/api/habits": created(client, "/api/habits", {"kind": "plank", "amount": 30}),
    }
    for path, record in posted.items():
        assert client.get(path).json() == [record], path
    assert posted["/api/habits"]["unit"] == "seconds"


def test_lists_filter_by_since_and_until_oldest_first(client: TestClient) -> None:
    times = [ago(days=d) for d in (10, 5, 2, 0.01)]
    for i, at in enumerate(times):
        created(client, "/api/pain", {"pain": i, "at": at})
        created(client, "/api/habits", {"kind": "water", "amount": i, "at": at})
        created(client, "/api/medicines", {"name": f"m{i}", "at": at})
        created(client, "/api/sessions", {"kind": "walk", "minutes": 5 + i, "started_at": at})

    def pains(**query: str) -> list[int]:
        return [p["pain"] for p in client.get("/api/pain", params=query).json()]

    assert pains() == [0, 1, 2, 3]
    assert pains(since=ago(days=6)) == [1, 2, 3]
    assert pains(until=ago(days=3)) == [0, 1]
    assert pains(since=ago(days=6), until=ago(days=1)) == [1, 2]
    assert pains(since=times[1]) == [1, 2, 3]       # since is inclusive
    assert pains(until=times[1]) == [0]             # until is not
    week = {"since": ago(days=7), "until": ago(days=1)}
    assert [h["amount"] for h in client.get("/api/habits", params=week).json()] == [1, 2]
    assert [m["name"] for m in client.get("/api/medicines", params=week).json()] == ["m1", "m2"]
    assert [s["minutes"] for s in client.get("/api/sessions", params=week).json()] == [6, 7]


def test_episodes_filter_by_onset(client: TestClient) -> None:
    old = start_episode(client, onset=ago(days=20))
    client.patch(f"/api/episodes/{old['id']}", json={"ended_at": ago(days=18)})
    new = start_episode(client, onset=ago(days=2))
    assert [e["id"] for e in client.get("/api/episodes").json()] == [old["id"], new["id"]]
    recent = client.get("/api/episodes", params={"since": ago(days=7)}).json()
    assert [e["id"] for e in recent] == [new["id"]]


@pytest.mark.parametrize(("path", "body", "status", "fragment"), [
    ("/api/pain", {"pain": 11}, 422, "pain"),
    ("/api/pain", {"pain": -1}, 422, "pain"),
    ("/api/pain", {"pain": 5.5}, 422, "pain"),
    ("/api/pain", {"pain": "7"}, 422, "pain"),
    ("/api/pain", {"pain": True}, 422, "pain"),
    ("/api/pain", {}, 422, "pain"),
    ("/api/pain", {"pain": 5, "impact": "terrible"}, 422, "impact"),
    ("/api/pain", {"pain": 5, "stiffness": 12}, 422, "stiffness"),
    ("/api/pain", {"pain": 5, "at": ahead(hours=1)}, 400, "future"),
    ("/api/pain", {"pain": 5, "at": "yesterday"}, 422, "at"),
    ("/api/pain", {"pain": 5, "pian": 5}, 422, "pian"),
    ("/api/sessions", {"kind": "ice", "minutes": 20}, 422, "started_at"),
    ("/api/sessions", {"kind": "ice", "minutes": 0, "started_at": ago(hours=1)}, 422,
     "minutes"),
    ("/api/sessions", {"kind": "ice", "minutes": 601, "started_at": ago(hours=1)}, 422,
     "minutes"),
    ("/api/sessions", {"kind": "sauna", "minutes": 5, "started_at": ago(hours=1)}, 422, "kind"),
    ("/api/sessions", {"kind": "ice", "minutes": 5, "started_at": ahead(days=1)}, 400,
     "future"),
    ("/api/sessions", {"kind": "ice", "minutes": 5, "started_at": ago(hours=1),
                       "pain_after": 11}, 422, "pain_after"),
    ("/api/medicines", {"name": "   "}, 422, "name"),
    ("/api/medicines", {"name": "x" * 121}, 422, "name"),
    ("/api/medicines", {"name": "Ibuprofen", "at": ahead(days=2)}, 400, "future"),
    ("/api/habits", {"kind": "water", "amount": 41}, 400, "at most 40"),
    ("/api/habits", {"kind": "water", "amount": -1}, 422, "amount"),
    ("/api/habits", {"kind": "yoga", "amount": 1}, 422, "kind"),
])
def test_bad_entries_are_refused_and_change_nothing(client: TestClient, path: str,
                                                    body: dict[str, object], status: int,
                                                    fragment: str) -> None:
    r = client.post(path, json=body)
    assert r.status_code == status, r.text
    assert fragment in r.json()["detail"]
    assert client.get(path).json() == []
