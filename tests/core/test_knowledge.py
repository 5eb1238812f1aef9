"""Registry tests: the knowledge base is complete, sourced and consistent."""

from __future__ import annotations

import re

import pytest

from spasmcare.core.knowledge import KnowledgeBase
from tests.conftest import SHARED
from tests.contract import GUIDELINES, SEEDS, TOPICS


def test_topics_are_exactly_the_contracts(kb: KnowledgeBase) -> None:
    assert tuple(t.id for t in kb.topics) == TOPICS


def test_contract_file_lists_the_same_topics() -> None:
    contracts = SHARED / "CONTRACTS.md"
    if not contracts.exists():
        pytest.skip("shared/CONTRACTS.md is not beside the repository")
    section = contracts.read_text().split("## 2.")[1].split("## 3.")[0]
    assert tuple(re.findall(r"^\| `([a-z-]+)` \|", section, re.M)) == TOPICS


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_an_entry(kb: KnowledgeBase, topic: str) -> None:
    assert kb.entries_on(topic), f"no entry answers topic {topic}"


def test_sources_are_the_articles_and_guidelines(kb: KnowledgeBase) -> None:
    assert {s.id for s in kb.sources} == set(SEEDS) | set(GUIDELINES)


def test_every_source_is_cited_somewhere(kb: KnowledgeBase) -> None:
    uncited = {s.id for s in kb.sources} - kb.cited_sources()
    assert not uncited


def test_every_article_backs_at_least_one_answer(kb: KnowledgeBase) -> None:
    cited_by_entries = {s for e in kb.entries if e.topic for s in e.sources}
    assert set(SEEDS) <= cited_by_entries


def test_every_entry_cites_a_known_source(kb: KnowledgeBase) -> None:
    known = {s.id for s in kb.sources}
    for entry in kb.entries:
        assert entry.sources and set(entry.sources) <= known, entry.id


def test_answering_entries_carry_example_questions(kb: KnowledgeBase) -> None:
    for entry in kb.entries:
        if entry.topic is not None:
            assert len(entry.questions) >= 3, f"{entry.id} needs example questions"


def test_entry_ids_are_unique(kb: KnowledgeBase) -> None:
    ids = [e.id for e in kb.entries]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("subject", "topic"),
    [
        ("ice-phase-length", "ice"),
        ("ice-session-length", "ice"),
        ("rest-or-walk", "staying-active"),
        ("alternating-heat-cold", "ice-or-heat"),
        ("acupuncture-recommended", "acupuncture"),
        ("tens-recommended", "tens"),
        ("paracetamol-alone", "acetaminophen"),
        ("ice-then-heat-vs-guidelines", "heat"),
    ],
)
def test_required_disagreements_are_recorded(kb: KnowledgeBase, subject: str, topic: str) -> None:
    assert subject in {d.id for d in kb.disagreements_on(topic)}


def test_every_disagreement_states_a_choice_with_sources(kb: KnowledgeBase) -> None:
    for d in kb.disagreements:
        assert len(d.positions) >= 2 and d.choice and d.choice_sources


@pytest.mark.parametrize("topic", ["acupuncture", "tens", "acetaminophen", "heat", "ice"])
def test_guideline_grading_is_shown_where_it_differs(kb: KnowledgeBase, topic: str) -> None:
    notes = [e.evidence for e in kb.entries_on(topic) if e.evidence]
    assert notes, f"topic {topic} needs an evidence note citing the guideline"
    assert any(set(n.sources) & set(GUIDELINES) for n in notes)


DOSE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|milligrams?|g|grams?|ml|tablets?|pills?|capsules?)\b",
                  re.I)


def test_no_entry_gives_a_medicine_dose(kb: KnowledgeBase) -> None:
    for entry in kb.entries:
        assert not DOSE.search(entry.text), f"{entry.id} states a dose"


@pytest.mark.parametrize("topic", ["nsaids", "acetaminophen", "muscle-relaxants", "topical"])
def test_medicine_entries_send_people_to_the_label_or_pharmacist(kb: KnowledgeBase,
                                                               topic: str) -> None:
    texts = " ".join(e.text for e in kb.entries_on(topic)).lower()
    assert "pharmacist" in texts and "label" in texts


def test_plan_sessions_point_at_existing_entries(kb: KnowledgeBase) -> None:
    ids = {e.id for e in kb.entries}
    assert all(rule.entry in ids for rule in kb.careplan.sessions)


def test_no_text_names_a_source_by_its_file_number(kb: KnowledgeBase) -> None:
    """People see titles ("the Liv Hospital guide"), never "the 004 article"."""
    numbered = re.compile(r"\b00[0-9]\b")
    texts = [(e.id, e.text) for e in kb.entries]
    texts += [(e.id, e.evidence.text) for e in kb.entries if e.evidence]
    texts += [(d.id, p.claim) for d in kb.disagreements for p in d.positions]
    texts += [(d.id, d.choice) for d in kb.disagreements]
    assert [i for i, text in texts if numbered.search(text)] == []
