"""The question box on /learn: a GET form that answers what ``spasmcare ask``
and /api/ask answer, shows the safety message first, each answer with its
sources, the out-of-scope reply, and a clear message for bad input."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from spasmcare.core.knowledge import KnowledgeBase, Urgency
from spasmcare.core.loader import load_index
from spasmcare.core.questions.answering import MAX_QUESTION_CHARS, answer

ITEM = re.compile(r'data-testid="answer-item" data-topic="([a-z-]+)"')


def ask(client: TestClient, question: str) -> str:
    r = client.get("/learn", params={"q": question})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def test_the_form_is_a_plain_get_form_above_the_topics(client: TestClient) -> None:
    page = client.get("/learn").text
    form = re.search(r'<form method="get" action="/learn"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None
    assert 'name="q"' in form.group(1) and 'type="submit"' in form.group(1)
    assert page.index('data-testid="ask-form"') < page.index('data-testid="topics"')
    assert 'data-testid="answer"' not in page and "<script" not in form.group(1)


@pytest.mark.parametrize("question", [
    "my back locked up when I bent over, heat or ice?",
    "can I take Aleve with Tylenol?",
    "is it normal that the pain goes down my leg?",
])
def test_answers_are_the_cores_entries_in_order_with_sources(
        client: TestClient, kb: KnowledgeBase, question: str) -> None:
    expected = answer(question, kb, load_index())
    assert expected.in_scope and expected.answers
    page = ask(client, question)
    assert ITEM.findall(page) == [a.topic for a in expected.answers]
    titles = {s.id: s.title for s in kb.sources}
    for item in expected.answers:
        assert escape(item.title) in page and escape(item.text) in page
        assert all(escape(titles[s]) in page for s in item.sources)
        if item.evidence:
            assert escape(item.evidence.text) in page
        assert f'href="/learn/{item.topic}"' in page
    assert escape(question) in page  # the question is shown back, escaped
    assert 'value="' + str(escape(question)) + '"' in page  # and kept in the box


def test_an_emergency_comes_first_with_what_to_do(client: TestClient, kb: KnowledgeBase) -> None:
    question = "since yesterday both my legs have gone numb, is heat or ice better?"
    expected = answer(question, kb, load_index()).safety
    assert expected.urgency is Urgency.EMERGENCY and expected.message
    page = ask(client, question)
    safety = page.index('data-testid="safety"')
    assert 'data-urgency="emergency"' in page
    assert escape(kb.triage.tier(Urgency.EMERGENCY).headline) in page
    assert escape(kb.triage.finding("both_legs_symptoms").message) in page
    assert escape(kb.triage.tier(Urgency.EMERGENCY).action) in page
    for number in ("999", "911", "112"):
        assert f'href="tel:{number}"' in page
    assert safety < page.index('data-testid="answer-item"')  # then the answers
    assert safety < page.index('data-testid="topics"')
    finding = kb.triage.finding("both_legs_symptoms")
    titles = {s.id: s.title for s in kb.sources}
    assert all(escape(titles[s]) in page for s in finding.sources)


def test_a_warning_box_has_its_tier_as_heading_and_says_each_sentence_once(
        client: TestClient, kb: KnowledgeBase) -> None:
    page = ask(client, "I have tingling in my left leg since yesterday")
    box = page[page.index('data-testid="safety"'):]
    box = box[:box.index("</div>")]
    headline = escape(kb.triage.tier(Urgency.SOON).headline)
    assert f"<h2>{headline}</h2>" in box and box.count(str(headline)) == 1
    sentences = [x.strip() for x in re.split(r"(?<=[.!?])\s", re.sub("<[^>]+>", " ", box))
                 if len(x.strip()) > 20]
    assert len(sentences) == len(set(sentences))
    assert 'data-in-scope="true"' in page  # the entries on leg symptoms answer it


def test_crisis_support_comes_first_in_its_own_calm_design(client: TestClient,
                                                          kb: KnowledgeBase) -> None:
    page = ask(client, "i want to end it all, my back has hurt for years. can heat help?")
    crisis = page.index('data-testid="crisis"')
    assert crisis < page.index('data-testid="answer-item"')
    assert 'class="crisis"' in page and "emergency-screen" not in page
    assert escape(kb.crisis.headline) in page and escape(kb.crisis.lead) in page
    assert escape(kb.crisis.message) in page
    for href in ("tel:116123", "tel:988", "sms:988", "tel:999"):
        assert f'href="{href}"' in page


def test_crisis_with_a_lower_tier_sign_shows_that_tier_not_an_emergency(
        client: TestClient, kb: KnowledgeBase) -> None:
    page = ask(client, "i cant work or sleep and i want to end it all")
    assert page.index('data-testid="crisis"') < page.index('data-testid="safety"')
    assert 'data-urgency="soon"' in page and "emergency-screen" not in page
    assert escape(kb.triage.tier(Urgency.SOON).headline) in page


def test_a_negated_crisis_word_shows_no_crisis_box(client: TestClient) -> None:
    page = ask(client, "I'm not suicidal, just sore. heat or ice?")
    assert 'data-testid="crisis"' not in page


def test_an_urgent_sign_gets_its_tier_and_sources(client: TestClient, kb: KnowledgeBase) -> None:
    page = ask(client, "I have a fever and my lower back hurts, what helps?")
    assert 'data-urgency="urgent"' in page and 'class="alert urgent"' in page
    assert escape(kb.triage.finding("fever").message) in page
    titles = {s.id: s.title for s in kb.sources}
    assert all(escape(titles[s]) in page for s in kb.triage.finding("fever").sources)
    assert 'href="tel:' not in page


def test_an_ordinary_question_has_no_safety_box(client: TestClient) -> None:
    page = ask(client, "what stretches help a back spasm")
    assert 'data-testid="safety"' not in page and ITEM.search(page)


def test_out_of_scope_says_what_spasmcare_covers(client: TestClient, kb: KnowledgeBase) -> None:
    page = ask(client, "how do I lower my cholesterol?")
    assert 'data-in-scope="false"' in page and 'data-testid="out-of-scope"' in page
    assert escape(kb.scope.reply) in page
    assert "pharmacist" in kb.scope.reply and "doctor" in kb.scope.reply
    assert not ITEM.search(page)


@pytest.mark.parametrize(("question", "says"), [
    ("", "type a question first"),
    ("   ", "type a question first"),
    ("heat\x00or ice", "NUL character"),
    ("x" * (MAX_QUESTION_CHARS + 1), f"at most {MAX_QUESTION_CHARS} characters"),
])
def test_bad_input_gets_a_clear_message_on_the_page(client: TestClient, question: str,
                                                    says: str) -> None:
    r = client.get("/learn", params={"q": question})
    assert r.status_code == 400
    assert 'data-testid="ask-error"' in r.text and says in r.text
    assert 'aria-invalid="true"' in r.text
    assert 'data-testid="topics"' in r.text  # still the whole page, not an error page
    assert 'data-testid="answer"' not in r.text


def test_odd_characters_are_answered_not_crashed_on(client: TestClient) -> None:
    for question in ("<script>alert(1)</script> heat?", "héat or îce? 🔥", "%FF%00", "?" * 50):
        r = client.get("/learn", params={"q": question})
        assert r.status_code in (200, 400), question
        assert "<script>alert(1)</script>" not in r.text


def test_a_question_at_the_limit_is_answered(client: TestClient) -> None:
    question = ("heat or ice? " * MAX_QUESTION_CHARS)[:MAX_QUESTION_CHARS]
    assert client.get("/learn", params={"q": question}).status_code == 200
