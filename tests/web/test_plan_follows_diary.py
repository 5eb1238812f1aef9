"""The plan follows the diary the same way everywhere: ``spasmcare plan``, the
plan page, ``/api/plan`` and the calendar give the same sessions for the same
episode at the same moment, and a session done moves the next one of its kind.
One real SQLite file; the CLI runs as a real process on it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from markupsafe import escape

from spasmcare.settings import Settings
from spasmcare.web.deps import get_now
from tests.web.api_helpers import created, start_episode

# A moment to plan at: yesterday late morning (so in the past whenever the
# tests run), a day and a bit into the episode.
NOW = (datetime.now().astimezone() - timedelta(days=1)).replace(hour=11, minute=2, second=0,
                                                                 microsecond=0)
ONSET = NOW - timedelta(hours=27)


@pytest.fixture
def frozen(client: TestClient) -> TestClient:
    """The app with its clock at NOW (the clock is an input, not a part of ours)."""
    client.app.dependency_overrides[get_now] = lambda: NOW  # type: ignore[attr-defined]
    return client


def starts(sessions: list[dict]) -> list[tuple[str, str, int]]:
    return [(s["kind"], datetime.fromisoformat(s["start"]).isoformat(), s["minutes"])
            for s in sessions]


def cli_plan(cli, settings: Settings, monkeypatch: pytest.MonkeyPatch, at: datetime) -> dict:
    monkeypatch.setenv("SPASMCARE_DATABASE_URL", settings.database_url)
    r = cli("plan", "--json", "--now", at.isoformat())
    assert r.code == 0, r.err
    return json.loads(r.out)


def calendar_sessions(client: TestClient) -> list[tuple[str, int]]:
    r = client.get("/api/export/ics", params={"days": 1, "reminders": 0})
    assert r.status_code == 200, r.text
    return [(e.start.isoformat(), int((e.end - e.start).total_seconds() // 60))
            for e in Calendar.from_ical(r.content).walk("VEVENT")]


def test_the_cli_the_api_and_the_calendar_agree(frozen: TestClient, settings: Settings, cli,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    start_episode(frozen, onset=ONSET.isoformat())
    created(frozen, "/api/sessions", {"kind": "ice", "minutes": 20,
                                      "started_at": (NOW - timedelta(minutes=50)).isoformat()})
    api = frozen.get("/api/plan", params={"now": NOW.isoformat()}).json()
    page_clock = frozen.get("/api/plan").json()  # no now given: the app's clock
    from_cli = cli_plan(cli, settings, monkeypatch, NOW)
    assert starts(api["sessions"]) == starts(page_clock["sessions"]) == starts(
        from_cli["sessions"])
    assert calendar_sessions(frozen) == [(start, minutes)
                                         for _, start, minutes in starts(api["sessions"])]
    # The plan page shows the same next session, and the ice as done.
    page = frozen.get("/plan").text
    first = datetime.fromisoformat(api["sessions"][0]["start"])
    assert f'datetime="{first.isoformat()}"' in page
    assert 'data-testid="done"' in page and 'data-kind="ice"' in page


def test_asking_again_half_an_hour_later_gives_the_same_times(
        frozen: TestClient, settings: Settings, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    start_episode(frozen, onset=ONSET.isoformat())
    later = NOW + timedelta(minutes=30)
    now_plan = cli_plan(cli, settings, monkeypatch, NOW)["sessions"]
    later_plan = cli_plan(cli, settings, monkeypatch, later)["sessions"]
    assert starts(later_plan) == [s for s in starts(now_plan)
                                  if datetime.fromisoformat(s[1]) >= later]


def test_an_ice_done_moves_the_next_ice_two_hours_on(frozen: TestClient) -> None:
    start_episode(frozen, onset=ONSET.isoformat())
    before = frozen.get("/api/plan").json()["sessions"]
    done_at = NOW - timedelta(minutes=5)
    created(frozen, "/api/sessions", {"kind": "ice", "minutes": 5,
                                      "started_at": done_at.isoformat()})
    after = frozen.get("/api/plan").json()["sessions"]
    ice = [datetime.fromisoformat(s["start"]) for s in after if s["kind"] == "ice"]
    assert ice and ice[0] >= done_at + timedelta(hours=2)
    assert starts(before) != starts(after)


def test_the_plan_page_shows_a_pathway_at_four_weeks(frozen: TestClient) -> None:
    start_episode(frozen, onset=(NOW - timedelta(days=30)).isoformat())
    page = frozen.get("/plan").text
    assert 'data-testid="pathway"' in page and "Four weeks on" in page
    plan = frozen.get("/api/plan").json()
    assert any(g["text"].startswith("Four weeks on:") for g in plan["guidance"])


def test_past_twelve_weeks_the_plan_switches_to_persistent_pain(frozen: TestClient) -> None:
    start_episode(frozen, onset=(NOW - timedelta(days=90)).isoformat())
    page = frozen.get("/plan").text
    assert "Persistent back pain" in page and "Four weeks on" not in page
    assert "Opioids are not recommended" in page


def test_the_check_in_on_the_plan_page_holds_core_work_and_then_releases_it(
        frozen: TestClient) -> None:
    start_episode(frozen, onset=(NOW - timedelta(days=9)).isoformat())
    page = frozen.get("/plan").text
    assert 'data-testid="check-in"' in page
    r = frozen.post("/plan/checkin", data={"moves": "very-limited", "worse": "no", "pain": "7"},
                    follow_redirects=False)
    assert r.status_code == 303
    plan = frozen.get("/api/plan").json()
    assert not {"stretch", "strength"} & {s["kind"] for s in plan["sessions"]}
    page = frozen.get("/plan").text
    assert 'data-testid="check-in-note"' in page and 'data-testid="check-in"' not in page
    created(frozen, "/api/pain", {"pain": 2, "mobility": "full", "worse_next_morning": False,
                                  "at": (NOW + timedelta(minutes=1)).isoformat()})
    later = frozen.get("/api/plan", params={"now": (NOW + timedelta(minutes=2)).isoformat()})
    assert {"stretch", "strength"} <= {s["kind"] for s in later.json()["sessions"]}


def test_a_bad_check_in_is_refused_in_one_line_and_saves_nothing(frozen: TestClient) -> None:
    start_episode(frozen, onset=ONSET.isoformat())
    r = frozen.post("/plan/checkin", data={"moves": "sideways", "pain": "12"})
    assert r.status_code == 400 and 'role="alert"' in r.text
    assert frozen.get("/api/pain").json() == []


def test_the_flare_up_plan_is_drawn_from_what_helped_this_person(frozen: TestClient) -> None:
    start_episode(frozen, onset=(NOW - timedelta(days=9)).isoformat())
    flare = "If it flares up:"
    note = next(g["text"] for g in frozen.get("/api/plan").json()["guidance"]
                if g["text"].startswith(flare))
    assert "does not show yet what helps you most" in note
    for k in range(5):  # insights' fewest scored sessions to tell
        created(frozen, "/api/sessions", {
            "kind": "heat", "minutes": 15, "pain_before": 6, "pain_after": 3,
            "started_at": (NOW - timedelta(days=2, hours=k * 4)).isoformat()})
    note = next(g["text"] for g in frozen.get("/api/plan").json()["guidance"]
                if g["text"].startswith(flare))
    assert "What has helped you before, from your diary: heat (pain fell by 3.0 points" in note


def test_the_walk_and_plank_timers_run_as_long_as_the_plan_says(frozen: TestClient) -> None:
    start_episode(frozen, onset=(NOW - timedelta(days=9, hours=2)).isoformat())
    created(frozen, "/api/pain", {"pain": 2, "mobility": "full", "worse_next_morning": True,
                                  "at": (NOW - timedelta(minutes=30)).isoformat()})
    walks = {s["minutes"] for s in frozen.get("/api/plan").json()["sessions"]
             if s["kind"] == "walk"}
    assert len(walks) == 1  # one length for all of today's walks (stepped back by the flare)
    page = frozen.get("/timer/walk").text
    assert f'data-remaining="{walks.pop() * 60}"' in page


def test_the_plan_page_offers_what_was_missed_earlier_today(frozen: TestClient) -> None:
    start_episode(frozen, onset=ONSET.isoformat())  # nothing recorded since the morning
    page = frozen.get("/plan").text
    assert 'data-testid="missed"' in page and 'data-testid="missed-timer-ice"' in page


def test_the_plan_page_puts_the_next_session_on_top_and_folds_the_rest(
        frozen: TestClient) -> None:
    start_episode(frozen, onset=ONSET.isoformat())
    sessions = frozen.get("/api/plan").json()["sessions"]
    page = frozen.get("/plan").text
    next_up = page.index('data-testid="next-up"')
    rest = page.index('data-testid="rest-of-today"')
    assert next_up < page.index('data-testid="check-in"') < rest
    first = datetime.fromisoformat(sessions[0]["start"])
    assert page.index(f'datetime="{first.isoformat()}"') > next_up
    assert page.count('data-testid="session"') == len(sessions)
    # How to do each kind is said once, not on every row.
    for kind in {s["kind"] for s in sessions}:
        said = next(s["instructions"] for s in sessions if s["kind"] == kind)
        how = said.split(" Safety: ")[0]  # the API adds the safety points to the text
        assert page.count(str(escape(how))) == 1, kind


def test_a_session_without_a_timer_is_done_in_one_tap_and_moves_the_plan_on(
        frozen: TestClient) -> None:
    start_episode(frozen, onset=(NOW - timedelta(days=4)).isoformat())
    untimed = next(s for s in frozen.get("/api/plan").json()["sessions"]
                   if s["kind"] == "stretch")
    r = frozen.post("/plan/done", data={"kind": untimed["kind"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/diary?saved=")
    [session] = frozen.get("/api/sessions").json()
    assert (session["kind"], session["minutes"]) == (untimed["kind"], untimed["minutes"])
    assert datetime.fromisoformat(session["started_at"]) == NOW - timedelta(
        minutes=untimed["minutes"])
    assert 'data-testid="undo"' in frozen.get(r.headers["location"]).text
    after = [s["start"] for s in frozen.get("/api/plan").json()["sessions"]
             if s["kind"] == "stretch"]
    assert untimed["start"] not in after
    # A timed kind, or one not in the plan, saves nothing.
    for kind in ("ice", "break", "massage", "nonsense"):
        frozen.post("/plan/done", data={"kind": kind})
    assert len(frozen.get("/api/sessions").json()) == 1
