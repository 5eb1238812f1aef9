"""Answers: the knowledge base's own entries with their sources, refusals for
questions outside what SpasmCare covers, and the exact shape of CONTRACTS
section 2."""

from __future__ import annotations

import pytest

from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.loader import load_index
from spasmcare.core.questions.answering import MAX_QUESTION_CHARS, answer
from spasmcare.core.questions.retrieval import Index
from tests.contract import TOPICS


@pytest.fixture(scope="module")
def index() -> Index:
    return load_index()


OFF_TOPIC = [
    "what helps a sore throat",
    "how do i lower my cholesterol",
    "is it safe to take ibuprofen for a migraine",
    "what are the symptoms of diabetes",
    "how do i treat a sprained ankle",
    "my knee is swollen after running",
    "can i take tylenol for a fever from the flu",
    "my dog hurt his back jumping off the sofa, can i give him ibuprofen",
    "how do i back up my phone to my laptop",
    "my toddler has an ear infection",
    "what causes kidney stones",
    "how do i know if i have lupus",
    "my neck is stiff after sleeping",
    "why do i get headaches every afternoon",
    "what is rheumatoid arthritis",
    "can i drink alcohol with antibiotics",
    "what are the side effects of metformin",
    "what is the capital of france",
    "how do i bake sourdough bread",
]

ON_TOPIC = [
    "what does my mri report mean by disc desiccation",
    "i have ankylosing spondylitis, is swimming good for it",
    "can i take aleve with tylenol?",
    "my back locked up when i bent over, heat or ice?",
    "is it normal that the pain goes down my leg?",
    "Cyclobenzaprine?",
    "should i see a chiro or a physio",
    "how long will my back spasm last",
]


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_are_refused(kb: KnowledgeBase, index: Index, question: str) -> None:
    result = answer(question, kb, index)
    assert result.in_scope is False
    assert result.answers == ()
    assert result.to_dict()["answers"] == []


def test_a_refusal_says_what_is_covered_and_who_to_ask(kb: KnowledgeBase, index: Index) -> None:
    reply = answer("how do i lower my cholesterol", kb, index).reply or ""
    assert "back spasms" in reply
    assert "pharmacist" in reply and "doctor" in reply


@pytest.mark.parametrize("question", ON_TOPIC)
def test_on_topic_questions_get_sourced_entries(kb: KnowledgeBase, index: Index,
                                                question: str) -> None:
    result = answer(question, kb, index)
    assert result.in_scope is True
    assert 1 <= len(result.answers) <= 3
    entries = {(e.title, e.text): e for e in kb.entries}
    for item in result.answers:
        entry = entries[(item.title, item.text)]  # the knowledge base's own words
        assert item.topic == entry.topic and item.topic in TOPICS
        assert item.sources == entry.sources and item.sources
        assert 0 <= item.score <= 1


def test_json_shape_is_exactly_the_contract(kb: KnowledgeBase, index: Index) -> None:
    out = answer("heat or ice for a back spasm?", kb, index).to_dict()
    assert list(out) == ["in_scope", "answers", "safety"]
    assert out["in_scope"] is True
    for item in out["answers"]:
        assert list(item) == ["topic", "title", "text", "sources", "score"]
        assert isinstance(item["sources"], list) and isinstance(item["score"], float)
    assert out["safety"] == {"urgency": "self-care", "message": None, "findings": [],
                             "crisis": False}


def test_an_out_of_scope_answer_carries_the_reply(kb: KnowledgeBase, index: Index) -> None:
    out = answer("how do I lower my cholesterol?", kb, index).to_dict()
    assert list(out) == ["in_scope", "answers", "safety", "reply"]
    assert out["in_scope"] is False and out["answers"] == []
    assert out["reply"] == kb.scope.reply


def test_answers_come_from_different_topics_best_first(kb: KnowledgeBase, index: Index) -> None:
    result = answer("can i take aleve with tylenol?", kb, index)
    assert len({a.topic for a in result.answers}) == len(result.answers)
    assert result.answers[0].topic in {"acetaminophen", "nsaids"}


@pytest.mark.parametrize("question", ["", "   ", "\t", "\n", "heat\x00ice"])
def test_a_blank_question_is_bad_input(kb: KnowledgeBase, index: Index, question: str) -> None:
    with pytest.raises(BadInput):
        answer(question, kb, index)


def test_a_red_flag_is_escalated_even_out_of_scope(kb: KnowledgeBase, index: Index) -> None:
    result = answer("i have gout in my toe and have lost control of my bladder", kb, index)
    assert result.in_scope is False
    assert result.safety.urgency.value == "emergency"
    assert result.to_dict()["safety"]["message"]


def test_a_red_flag_in_a_back_question_is_escalated(kb: KnowledgeBase, index: Index) -> None:
    result = answer("my back is in spasm and i have lost control of my bladder", kb, index)
    assert result.in_scope is True
    assert result.safety.urgency.value == "emergency"


def test_an_overlong_question_is_bad_input(kb: KnowledgeBase, index: Index) -> None:
    with pytest.raises(BadInput, match=str(MAX_QUESTION_CHARS)):
        answer("back " * MAX_QUESTION_CHARS, kb, index)


def test_the_shipped_index_ranks_by_words_and_meaning(index: Index) -> None:
    assert index.meaning is not None and index.net is not None
    ranking = index.search("my mri says my discs are drying out and bulging, should i worry")
    assert ranking.closeness is not None and 0 < ranking.closeness <= 1
    assert 0 < ranking.coverage <= 1
    assert ranking.answers()[0].topic == "diagnosis"


def test_a_post_that_names_the_back_in_passing_is_out_of_scope(kb: KnowledgeBase,
                                                              index: Index) -> None:
    question = ("my ear has been ringing for two weeks since a concert, i also have a bad "
                "back. will the ringing stop?")
    ranking = index.search(question)
    assert ranking.closeness is not None and ranking.closeness < kb.scope.min_closeness
    result = answer(question, kb, index)
    assert result.in_scope is False and result.reply == kb.scope.reply


def test_another_condition_beside_a_back_question_is_answered(kb: KnowledgeBase,
                                                              index: Index) -> None:
    both = answer("I have lupus and my lower back keeps going into spasm, is a heat pad ok?",
                  kb, index)
    assert both.in_scope is True and both.answers[0].topic in {"heat", "ice-or-heat"}
    other = answer("i have rheumatoid arthritis in my hands, what is the best medicine for it? "
                   "my back aches too", kb, index)
    assert other.in_scope is False
