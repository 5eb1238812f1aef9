"""The "my back has just gone" journey: the warning signs as a few checklists,
most urgent first, each also answerable one question at a time."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from spasmcare.core.knowledge import KnowledgeBase, Urgency
from spasmcare.core.triage import question_groups
from tests.web.forms import (
    answer,
    carried,
    group,
    question,
    send_checklist,
    start_episode,
    store,
    ticks,
    walk,
)


def _grouped(kb: KnowledgeBase) -> list[str]:
    return [fid for g in question_groups(kb.triage) for fid in g.findings]


def test_the_first_screen_is_a_checklist_of_emergency_signs(client: TestClient,
                                                           kb: KnowledgeBase) -> None:
    page = client.get("/triage")
    assert page.status_code == 200
    first = question_groups(kb.triage)[0]
    assert group(page.text) == (first.id, "emergency")
    assert ticks(page.text) == list(first.findings)
    assert "Do you have any of these right now?" in page.text
    for testid in ("none-of-these", "ticked", "one-by-one"):
        assert f'data-testid="{testid}"' in page.text
    assert page.text.count("Why we ask") == len(first.findings)
    assert kb.triage.finding(first.findings[0]).concern in page.text


def test_every_emergency_sign_is_asked_before_any_other(client: TestClient,
                                                         kb: KnowledgeBase) -> None:
    page, asked = walk(client)
    assert [fid for fid, _ in asked] == _grouped(kb)
    assert sorted(fid for fid, _ in asked) == sorted(f.id for f in kb.triage.findings)
    tiers = [Urgency(tier).rank for _, tier in asked]
    assert tiers == sorted(tiers, reverse=True)
    assert 'data-urgency="self-care"' in page.text


def test_none_of_these_on_every_screen_reaches_the_result_in_a_few_taps(
        client: TestClient, kb: KnowledgeBase) -> None:
    page = client.get("/triage")
    taps = 0
    while group(page.text) is not None:
        page = send_checklist(client, page.text, [])
        taps += 1
    assert taps == len(question_groups(kb.triage)) <= 6
    assert 'data-testid="triage-age"' in page.text


@pytest.mark.parametrize("reply", ["yes", "unsure"])
def test_yes_or_not_sure_to_an_emergency_sign_gives_the_emergency_screen(
        client: TestClient, kb: KnowledgeBase, reply: str) -> None:
    first = client.get("/triage")
    if reply == "yes":
        page = send_checklist(client, first.text, [ticks(first.text)[0]])
    else:
        one = send_checklist(client, first.text, [], reply="one_by_one")
        assert question(one.text) == (ticks(first.text)[0], "emergency")
        for testid in ("answer-yes", "answer-no", "answer-unsure"):
            assert f'data-testid="{testid}"' in one.text
        page = answer(client, one.text, "unsure")
    assert page.status_code == 200
    assert 'data-testid="emergency"' in page.text
    assert "Call emergency services now" in page.text
    for number in ("999", "911", "112"):
        assert f'href="tel:{number}"' in page.text
    finding = kb.triage.finding(_grouped(kb)[0])
    assert finding.message.split()[0] in page.text
    assert kb.sources[0].title in page.text or any(
        s.title in page.text for s in kb.sources if s.id in finding.sources)
    assert 'aria-label="Main"' not in page.text  # nothing else competes for attention
    assert question(page.text) is None and group(page.text) is None


def test_none_of_these_with_a_tick_still_counts_the_tick(client: TestClient) -> None:
    first = client.get("/triage")
    page = send_checklist(client, first.text, [ticks(first.text)[1]], reply="none")
    assert 'data-testid="emergency"' in page.text


def test_i_have_one_without_a_tick_asks_again(client: TestClient) -> None:
    first = client.get("/triage")
    page = send_checklist(client, first.text, [], reply="ticked")
    assert page.status_code == 400 and 'data-testid="group-error"' in page.text
    assert group(page.text) == group(first.text)


def test_an_urgent_tick_goes_straight_to_what_to_do(client: TestClient,
                                                    kb: KnowledgeBase) -> None:
    page, asked = walk(client, lambda fid: "yes" if fid == "fever" else "no")
    assert 'data-urgency="urgent"' in page.text
    soon = {f.id for f in kb.triage.findings if f.tier is Urgency.SOON}
    assert not soon & {fid for fid, _ in asked}  # the last checklist is not shown


def test_one_at_a_time_goes_on_to_the_next_checklist(client: TestClient,
                                                     kb: KnowledgeBase) -> None:
    first = client.get("/triage")
    page = send_checklist(client, first.text, [], reply="one_by_one")
    for _ in question_groups(kb.triage)[0].findings:
        assert question(page.text) is not None
        page = answer(client, page.text, "no")
    assert group(page.text) == (question_groups(kb.triage)[1].id, "emergency")


def test_a_later_emergency_sign_also_ends_the_questions(client: TestClient,
                                                        kb: KnowledgeBase) -> None:
    emergency = [fid for fid in _grouped(kb) if kb.triage.finding(fid).tier is Urgency.EMERGENCY]
    page, asked = walk(client, lambda fid: "yes" if fid == emergency[-1] else "no")
    assert 'data-testid="emergency"' in page.text
    assert len(asked) == len(emergency)


def test_an_urgent_sign_gives_its_tier_and_still_allows_an_episode(client: TestClient) -> None:
    page, _ = walk(client, lambda fid: "yes" if fid == "fever" else "no")
    assert 'data-urgency="urgent"' in page.text
    assert 'data-finding="fever"' in page.text
    started = client.post("/triage/start", data={"answer": [v for _, v in carried(page.text)],
                                                  "onset": "now"}, follow_redirects=False)
    assert started.status_code == 303
    episode = store(client).open_episode()
    assert episode is not None and episode.triage_urgency == "urgent"


def test_all_no_starts_an_episode_and_shows_the_plan(client: TestClient) -> None:
    started = start_episode(client, onset="3h")
    assert started.status_code == 303 and started.headers["location"].startswith("/plan")
    episode = store(client).open_episode()
    assert episode is not None
    assert episode.triage_urgency == "self-care"
    assert episode.triage_answers and not any(episode.triage_answers.values())
    plan = client.get(started.headers["location"])
    assert plan.status_code == 200
    assert plan.text.count('data-testid="session"') > 0
    assert "Your episode has started" in plan.text


def test_where_and_triggers_are_recorded(client: TestClient) -> None:
    page, _ = walk(client)
    form = {"answer": [v for _, v in carried(page.text)], "onset": "1h", "region": "lower",
            "side": "left", "trigger": ["lifting", "stress"]}
    assert client.post("/triage/start", data=form, follow_redirects=False).status_code == 303
    episode = store(client).open_episode()
    assert episode is not None
    assert (episode.region, episode.side, episode.triggers) == ("lower", "left",
                                                                ("lifting", "stress"))


@pytest.mark.parametrize(("tapped", "recorded"), [
    ({"spot": "upper-right"}, ("upper", "right")),
    ({"spot": "lower-centre", "both_sides": "1"}, ("lower", "both")),
    ({}, (None, None)),
])
def test_the_body_map_records_where_it_hurts(client: TestClient, tapped: dict[str, str],
                                             recorded: tuple[str | None, str | None]) -> None:
    page, _ = walk(client)
    assert page.text.count('name="spot"') == 9  # three parts of the back by three sides
    form = {"answer": [v for _, v in carried(page.text)], "onset": "now", **tapped}
    assert client.post("/triage/start", data=form, follow_redirects=False).status_code == 303
    episode = store(client).open_episode()
    assert episode is not None and (episode.region, episode.side) == recorded


def test_a_spot_not_on_the_map_is_refused_and_saves_nothing(client: TestClient) -> None:
    page, _ = walk(client)
    form = {"answer": [v for _, v in carried(page.text)], "onset": "now", "spot": "neck-left"}
    r = client.post("/triage/start", data=form)
    assert r.status_code == 400 and "Where it hurts" in r.text
    assert store(client).open_episode() is None


def test_a_typed_start_time_in_the_future_names_the_field(client: TestClient) -> None:
    page, _ = walk(client)
    answers = [v for _, v in carried(page.text)]
    bad = client.post("/triage/start", data={"answer": answers, "onset": "at",
                                             "onset_at": "2999-01-01T10:00"})
    assert bad.status_code == 400
    assert 'id="onset_at-error"' in bad.text and "in the future" in bad.text
    assert 'value="2999-01-01T10:00"' in bad.text
    empty = client.post("/triage/start", data={"answer": answers, "onset": "at"})
    assert empty.status_code == 400 and 'id="onset_at-error"' in empty.text
    assert store(client).open_episode() is None


def test_an_open_episode_is_continued_not_duplicated(client: TestClient) -> None:
    start_episode(client)
    again = start_episode(client)
    assert again.status_code == 303 and "continued" in again.headers["location"]
    assert len(store(client).episodes()) == 1


def test_unfinished_answers_cannot_start_an_episode(client: TestClient) -> None:
    first = client.get("/triage")
    page = send_checklist(client, first.text, [])
    r = client.post("/triage/start", data={"answer": [v for _, v in carried(page.text)],
                                           "onset": "now"})
    assert r.status_code == 200 and group(r.text) is not None
    assert store(client).episodes() == []


@pytest.mark.parametrize("form", [
    {"answer": ["no_such_finding:no"]},
    {"answer": ["fever:perhaps"]},
    {"answer": ["fever"]},
    {"answer": ["fever:no", "fever:yes"]},
    {"answer": [], "finding": "no_such_finding", "reply": "no"},
    {"answer": [], "finding": "fever", "reply": "maybe"},
    {"answer": [], "days_since_onset": "-3"},
    {"answer": [], "group": "no_such_group", "reply": "none"},
    {"answer": [], "group": "nerves_and_injury", "reply": "maybe"},
    {"answer": [], "group": "nerves_and_injury", "reply": "ticked", "tick": "fever"},
])
def test_tampered_answers_are_refused(client: TestClient, form: dict[str, object]) -> None:
    r = client.post("/triage", data=form)
    assert r.status_code == 400
    assert "That did not work" in r.text
    if "finding" not in form and "group" not in form:  # starting reads only the answers
        start = client.post("/triage/start", data={**form, "onset": "now"})
        assert start.status_code == 400
    assert store(client).episodes() == []


@pytest.mark.parametrize(("days", "urgency"), [("2", "self-care"), ("5", "soon"),
                                               ("", "soon")])
def test_not_improving_asks_how_many_days(client: TestClient, days: str, urgency: str) -> None:
    page, _ = walk(client, lambda fid: "yes" if fid == "not_improving" else "no", days=days)
    assert f'data-urgency="{urgency}"' in page.text
    assert (("days_since_onset", days) in carried(page.text)) == bool(days)


def test_change_my_answers_goes_back_one_checklist(client: TestClient) -> None:
    first = client.get("/triage")
    second = send_checklist(client, first.text, [])
    assert 'data-testid="back"' in second.text and 'data-testid="back"' not in first.text
    back = client.post("/triage", data={"answer": [v for _, v in carried(second.text)],
                                        "group": group(second.text)[0],  # type: ignore[index]
                                        "back": "1"})
    assert group(back.text) == group(first.text)
    assert carried(back.text) == []


def test_change_my_last_answer_goes_back_one_question(client: TestClient) -> None:
    first = client.get("/triage")
    one = send_checklist(client, first.text, [], reply="one_by_one")
    second = answer(client, one.text, "no")
    back = client.post("/triage", data={"answer": [v for _, v in carried(second.text)],
                                        "finding": question(second.text)[0],  # type: ignore[index]
                                        "back": "1"})
    assert question(back.text) == question(one.text)


def test_age_is_asked_once_after_the_questions_and_counts(client: TestClient) -> None:
    page, _ = walk(client, age="12")
    assert 'data-urgency="soon"' in page.text
    assert 'data-finding="age_under_16"' in page.text
    skipped, _ = walk(client)
    assert 'data-urgency="self-care"' in skipped.text


def test_an_impossible_age_is_a_one_line_refusal(client: TestClient) -> None:
    page, _ = walk(client, age="130")
    assert page.status_code == 400 and "age must be a whole number" in page.text
