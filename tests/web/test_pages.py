"""Every page renders with what it is for, forms say which field is wrong, and
pages stay small."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from spasmcare.core.diary import Episode, HabitLog, make
from spasmcare.core.knowledge import KnowledgeBase
from tests.diaries import sample_diary
from tests.web.forms import start_episode, store

PAGES = {
    "/": "My back has just gone",
    "/triage": "Step 1 of",
    "/plan": "no episode open",
    "/timer": "Timers",
    "/timer/ice": 'id="remaining"',
    "/timer/heat": 'id="remaining"',
    "/timer/walk": 'id="remaining"',
    "/timer/plank": 'id="remaining"',
    "/diary": "How bad is your pain now?",
    "/insights": "What your diary says",
    "/learn": "Learn about back spasms",
    "/learn/ice-or-heat": "Where sources disagree",
    "/prevention": "Stop it coming back",
    "/settings": "Wake time",
}
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@pytest.mark.parametrize(("path", "expected"), PAGES.items())
def test_each_page_renders(client: TestClient, path: str, expected: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert expected in page.text


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_with_a_diary_full_of_records(client: TestClient, path: str) -> None:
    store(client).import_diary(sample_diary(datetime.now(UTC)))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_first_load_is_small(client: TestClient, path: str) -> None:
    start_episode(client)
    page = client.get(path)
    assets = set(ASSET.findall(page.text))
    assert "/static/app.css" in assets
    size = len(page.content) + sum(len(client.get(a).content) for a in assets)
    assert size < 300 * 1024


def test_every_form_control_has_a_label(client: TestClient) -> None:
    start_episode(client)
    for path in PAGES:
        text = client.get(path).text
        for control_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', text):
            assert f'for="{control_id}"' in text, (path, control_id)


def test_the_plan_lists_sessions_with_times_and_timers(client: TestClient,
                                                        kb: KnowledgeBase) -> None:
    # Waking hours around now, so that today has sessions left at any hour
    # the tests run (after the default bedtime every session is tomorrow's).
    now = datetime.now().astimezone()
    client.put("/api/settings", json={"wake": (now - timedelta(hours=1)).strftime("%H:%M"),
                                      "sleep": (now + timedelta(hours=12)).strftime("%H:%M"),
                                      "units": "metric"})
    start_episode(client, onset="1h")
    page = client.get("/plan").text
    assert page.count('data-testid="session"') >= 2
    assert re.search(r'<time datetime="[^"]+">\d\d:\d\d</time>', page)
    assert 'href="/timer/ice"' in page and 'href="/timer/walk"' in page
    ice = next(r for r in kb.careplan.sessions if r.kind == "ice")
    assert escape(ice.safety[0]) in page
    assert "acute phase" in page
    assert any(escape(s.title) in page for s in kb.sources if s.id in ice.sources)
    assert "What the evidence says" in page


def test_ending_the_episode_leaves_no_plan(client: TestClient) -> None:
    start_episode(client)
    ended = client.post("/plan/end", follow_redirects=False)
    assert ended.status_code == 303
    assert store(client).open_episode() is None
    assert 'data-testid="start-triage"' in client.get("/plan").text


def test_with_an_episode_open_home_shows_what_comes_next(client: TestClient) -> None:
    """Not a new triage: the next session with its timer and sources, the
    plan one tap away, and the warning-sign check still offered for anything
    new or worse."""
    before = client.get("/").text
    assert "My back has just gone" in before and 'data-testid="next-up"' not in before
    start_episode(client, onset="1h")
    home = client.get("/").text
    assert 'data-testid="next-up"' in home and "My back has just gone" not in home
    assert re.search(r'href="/timer/(ice|heat|walk|plank)" data-testid="next-timer"', home)
    assert "Sources (" in home and 'href="/plan"' in home
    assert re.search(r'href="/triage" [^>]*data-testid="check-again"', home)


def test_an_onset_a_moment_ahead_of_the_clock_still_plans(client: TestClient) -> None:
    now = datetime.now(UTC)
    store(client).add(make(Episode, now, onset=now + timedelta(seconds=30)))
    assert client.get("/plan").status_code == 200


def test_the_timer_page_has_the_countdown_and_safety(client: TestClient,
                                                     kb: KnowledgeBase) -> None:
    page = client.get("/timer/ice").text
    assert 'data-seconds="1200"' in page and ">20:00<" in page
    ice = next(r for r in kb.careplan.sessions if r.kind == "ice")
    assert escape(ice.safety[0]) in page
    assert '<script src="/static/timer.js"' in page
    for testid in ("timer-start", "timer-stop", "pain-before-5", "pain-after-3", "remaining"):
        assert f'data-testid="{testid}"' in page


def test_a_short_run_for_tests(client: TestClient) -> None:
    page = client.get("/timer/plank?seconds=3").text
    assert 'data-seconds="3"' in page and ">00:03<" in page
    assert 'data-session-kind="strength"' in page


@pytest.mark.parametrize(("path", "status"), [
    ("/timer/ice?seconds=0", 400), ("/timer/ice?seconds=1500", 400),
    ("/timer/ice?seconds=abc", 422), ("/timer/yoga", 404), ("/learn/no-such-topic", 404),
    ("/diary?days=0", 422), ("/diary?days=x", 422),
])
def test_bad_addresses_get_a_clear_4xx(client: TestClient, path: str, status: int) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert "That did not work" in r.text
    # In the app's words: no validation library's phrasing, no CLI option.
    assert not re.search(r"Input should|Field required|valid integer|--[a-z]", r.text), r.text


def test_a_topic_page_shows_sources_evidence_and_disagreements(client: TestClient,
                                                               kb: KnowledgeBase) -> None:
    entries = kb.entries_on("ice")
    page = client.get("/learn/ice").text
    for e in entries:
        assert escape(e.title) in page and escape(e.text) in page
    cited = {s for e in entries for s in e.sources}
    assert all(escape(s.title) in page for s in kb.sources if s.id in cited)
    for d in kb.disagreements_on("ice"):
        assert escape(d.subject) in page and escape(d.choice.split(".")[0]) in page
    assert "What SpasmCare does" in page


def test_the_topic_list_links_every_topic(client: TestClient, kb: KnowledgeBase) -> None:
    page = client.get("/learn").text
    assert all(f'href="/learn/{t.id}"' in page for t in kb.topics)


def test_prevention_draws_on_the_knowledge_base(client: TestClient, kb: KnowledgeBase) -> None:
    page = client.get("/prevention").text
    for topic in ("ergonomics", "hydration-nutrition", "weight", "sleep", "stress-mind-body",
                  "core-strength", "staying-active"):
        assert f'id="{topic}"' in page
        assert all(escape(e.title) in page for e in kb.entries_on(topic))


def test_habits_are_logged_from_the_prevention_page(client: TestClient) -> None:
    r = client.post("/prevention/habit", data={"kind": "water", "amount": "2"},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert 'data-testid="habit-saved"' in page
    assert re.search(r'data-testid="today-water">2<', page)
    assert [(h.kind, h.amount) for h in store(client).records(HabitLog)] == [("water", 2)]


@pytest.mark.parametrize(("form", "field"), [
    ({"kind": "water", "amount": "lots"}, "amount"),
    ({"kind": "water", "amount": "500"}, "amount"),
    ({"kind": "juggling", "amount": "2"}, "kind"),
])
def test_habit_errors_name_the_field(client: TestClient, form: dict[str, str],
                                     field: str) -> None:
    r = client.post("/prevention/habit", data=form)
    assert r.status_code == 400
    assert f'id="{field}-error"' in r.text or f'aria-describedby="{field}-error"' in r.text
    assert store(client).records(HabitLog) == []


def test_settings_are_saved(client: TestClient) -> None:
    r = client.post("/settings", data={"wake": "06:30", "sleep": "22:15", "units": "imperial"},
                    follow_redirects=False)
    assert r.status_code == 303
    mine = store(client).settings()
    assert (mine.wake, mine.sleep, mine.units) == ("06:30", "22:15", "imperial")
    page = client.get(r.headers["location"]).text
    assert 'value="06:30"' in page and 'data-testid="settings-saved"' in page


@pytest.mark.parametrize(("form", "field", "kept"), [
    ({"wake": "25:00", "sleep": "23:00", "units": "metric"}, "wake", 'value="25:00"'),
    ({"wake": "07:00", "sleep": "late", "units": "metric"}, "sleep", 'value="late"'),
    ({"wake": "07:00", "sleep": "07:00", "units": "metric"}, "sleep", 'value="07:00"'),
    ({"wake": "07:00", "sleep": "23:00", "units": "furlongs"}, "units", "furlongs"),
    ({"sleep": "23:00", "units": "metric"}, "wake", 'value="23:00"'),
])
def test_settings_errors_name_the_field_and_keep_the_value(
        client: TestClient, form: dict[str, str], field: str, kept: str) -> None:
    r = client.post("/settings", data=form)
    assert r.status_code == 400
    assert f'id="{field}-error"' in r.text
    assert f'aria-describedby="{field}-error"' in r.text
    assert kept in r.text
    assert store(client).settings().wake == "07:00"


def test_insights_read_the_diary(client: TestClient) -> None:
    store(client).import_diary(sample_diary(datetime.now(UTC)))
    page = client.get("/insights").text
    assert "You recorded 2 episodes" in page
    assert "Ibuprofen" in page and "What came before an episode" in page


def test_a_form_sent_twice_saves_one_record(client: TestClient) -> None:
    """A double tap, or a resend after a lost answer: the form carries the id
    it was drawn with."""
    import re

    from spasmcare.core.diary import HabitLog, PainEntry

    for path, page, form in (("/diary/pain", "/diary", {"pain": "6", "impact": "none"}),
                             ("/prevention/habit", "/prevention", {"kind": "water",
                                                                   "amount": "1"})):
        drawn = re.search(r'name="record_id" value="([0-9a-f]{32})"', client.get(page).text)
        assert drawn, page
        for _ in range(2):
            assert client.post(path, data={**form, "record_id": drawn.group(1)},
                               follow_redirects=False).status_code == 303
    diary = store(client)
    assert len(diary.records(PainEntry)) == 1 and len(diary.records(HabitLog)) == 1


def test_sources_are_named_by_title_and_link_to_the_source_list(client: TestClient,
                                                                 kb: KnowledgeBase) -> None:
    start_episode(client, onset="1h")
    listed = client.get("/learn/sources").text
    for s in kb.sources:
        assert f'id="source-{s.id}"' in listed and str(escape(s.title)) in listed
    for path in ("/plan", "/learn/heat", "/triage", "/learn?q=is+heat+good"):
        page = client.get(path).text
        assert not re.search(r">[^<]*\d{3}_[0-9a-f]{16}\.txt", page), path  # no file names
    page = client.get("/plan").text
    cited = re.findall(r'<a href="/learn/sources#source-([^"]+)">([^<]+)</a>', page)
    assert cited and all(dict((s.id, s.title) for s in kb.sources)[sid] == str(title)
                         .replace("&amp;", "&") for sid, title in cited)
