"""The pain chart: well-formed SVG, accessible, with sessions marked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from spasmcare.core.diary import PainEntry, TreatmentSession, make
from spasmcare.web.chart import pain_chart
from tests.web.forms import SVG_NS, chart, start_episode, store

NOW = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)


def _pain(hours_ago: float, pain: int) -> PainEntry:
    return make(PainEntry, NOW, at=NOW - timedelta(hours=hours_ago), pain=pain,
                severity="mild")


def _session(hours_ago: float, kind: str) -> TreatmentSession:
    return make(TreatmentSession, NOW, started_at=NOW - timedelta(hours=hours_ago), kind=kind,
                minutes=20, pain_before=6, pain_after=4)


def _svg(**kw: object) -> ET.Element:
    pain = [_pain(30, 7), _pain(20, 5), _pain(2, 3)]
    sessions = [_session(25, "ice"), _session(10, "walk"), _session(1, "heat")]
    return ET.fromstring(pain_chart(pain, sessions, NOW - timedelta(days=2), NOW,
                                    title="Pain & sessions <test>", **kw))  # type: ignore[arg-type]


def test_the_chart_is_well_formed_and_says_what_it_shows() -> None:
    svg = _svg()
    assert svg.tag == f"{SVG_NS}svg"
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG_NS}title"), svg.find(f"{SVG_NS}desc")
    assert title is not None and title.text == "Pain & sessions <test>"
    assert desc is not None and desc.text is not None
    assert "3 pain scores" in desc.text and "highest 7" in desc.text and "latest 3" in desc.text
    assert "3 treatment sessions" in desc.text
    labelled = (svg.get("aria-labelledby") or "").split()
    assert {title.get("id"), desc.get("id")} == set(labelled)


def test_points_and_session_marks() -> None:
    svg = _svg()
    points = svg.findall(f".//{SVG_NS}circle")
    assert [p.get("data-pain") for p in points] == ["7", "5", "3"]
    marks = svg.findall(f".//{SVG_NS}rect[@class='session']")
    assert sorted(m.get("data-kind") or "" for m in marks) == ["heat", "ice", "walk"]
    # Higher pain is drawn higher up; later sessions further right.
    ys = [float(p.get("cy") or 0) for p in points]
    assert ys[0] < ys[1] < ys[2]
    xs = [float(m.get("x") or 0) for m in marks]
    assert xs == sorted(xs)


def test_records_outside_the_span_are_left_out() -> None:
    svg = ET.fromstring(pain_chart([_pain(100, 9)], [_session(100, "ice")],
                                   NOW - timedelta(days=1), NOW, title="t"))
    assert svg.findall(f".//{SVG_NS}circle") == []
    assert svg.findall(f".//{SVG_NS}rect[@class='session']") == []
    desc = svg.find(f"{SVG_NS}desc")
    assert desc is not None and (desc.text or "").startswith("No pain scores")


def test_logged_pain_appears_in_the_history_and_the_chart(client: TestClient) -> None:
    start_episode(client)
    saved = client.post("/diary/pain", data={"pain": "7", "impact": "some"},
                        follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert page.status_code == 200
    assert 'data-testid="saved"' in page.text and "pain 7/10" in page.text
    entry = store(client).records(PainEntry)[-1]
    assert entry.pain == 7 and entry.impact == "some" and entry.severity in ("moderate",
                                                                               "severe")
    assert entry.episode_id == store(client).open_episode().id  # type: ignore[union-attr]
    assert 'data-testid="episode"' in page.text and "Pain: 7" in page.text
    svg = chart(page.text)
    assert [c.get("data-pain") for c in svg.findall(f".//{SVG_NS}circle")] == ["7"]


def test_sessions_are_marked_on_the_diary_chart(client: TestClient) -> None:
    now = datetime.now(UTC)
    store(client).add(make(TreatmentSession, now, started_at=now - timedelta(hours=1),
                           kind="ice", minutes=20, pain_before=6, pain_after=4))
    svg = chart(client.get("/diary").text)
    assert [m.get("data-kind") for m in svg.findall(f".//{SVG_NS}rect[@class='session']")] \
        == ["ice"]


def test_pain_form_errors_name_the_field(client: TestClient) -> None:
    for form in ({"pain": "11"}, {"pain": "x"}, {}):
        r = client.post("/diary/pain", data=form)
        assert r.status_code == 400 and 'id="pain-error"' in r.text and "Pain must be" in r.text
    r = client.post("/diary/pain", data={"pain": "3", "impact": "lots"})
    assert r.status_code == 400 and 'id="impact-error"' in r.text
    assert store(client).records(PainEntry) == []


def test_a_day_with_nothing_logged_is_shown_as_not_logged_and_the_line_breaks() -> None:
    # Scores four days ago and today; the three days between have none.
    pain = [_pain(24 * 4, 8), _pain(24 * 4 - 2, 7), _pain(1, 3)]
    svg = ET.fromstring(pain_chart(pain, [], NOW - timedelta(days=7), NOW, title="t"))
    gaps = svg.findall(f".//{SVG_NS}rect[@class='not-logged']")
    assert [g.get("data-day") for g in gaps] == ["2026-11-18", "2026-11-19", "2026-11-20"]
    lines = svg.findall(f".//{SVG_NS}polyline[@class='pain-line']")
    assert [len((line.get("points") or "").split()) for line in lines] == [2, 1]
    desc = svg.find(f"{SVG_NS}desc")
    assert desc is not None and "Not logged on 3 days." in (desc.text or "")
    # Before the first score the diary had not begun: those days are not bands.
    assert all((g.get("data-day") or "") > "2026-11-17" for g in gaps)


def test_a_chart_of_hours_is_labelled_with_times() -> None:
    svg = ET.fromstring(pain_chart([_pain(2, 5)], [], NOW - timedelta(hours=6), NOW, title="t"))
    labels = [t.text for t in svg.findall(f"{SVG_NS}text")]
    assert {"12:00", "15:00", "18:00"} <= set(labels)
    assert svg.findall(f".//{SVG_NS}rect[@class='not-logged']") == []


def test_with_an_episode_open_the_diary_chart_spans_the_episode(client: TestClient) -> None:
    start_episode(client, onset="24h")
    page = client.get("/diary").text
    assert 'aria-current="page">This episode</a>' in page
    assert "since this episode began" in page
    span = chart(page).find(f"{SVG_NS}desc")
    assert span is not None
    today, yesterday = datetime.now().astimezone(), datetime.now().astimezone() - timedelta(1)
    assert f"from {yesterday:%d %b} to {today:%d %b %Y}" in (span.text or "")
    # The other spans are a tap away, and without an episode the diary shows 30 days.
    assert 'aria-current="page">30 days</a>' in client.get("/diary?days=30").text
    client.post("/plan/end")
    page = client.get("/diary").text
    assert "This episode" not in page and 'aria-current="page">30 days</a>' in page
