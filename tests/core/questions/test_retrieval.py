"""Ranking: hand-written questions in everyday words, brand names, misspellings
and lay phrases find the right topic; the synonym and scope data hold together."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.loader import load_index
from spasmcare.core.questions.retrieval import Index
from spasmcare.core.questions.terms import words
from spasmcare.core.questions.vocabulary import Synonyms


@pytest.fixture(scope="module")
def index() -> Index:
    return load_index()


def topics(index: Index, question: str) -> list[str]:
    return [h.topic for h in index.search(question).answers()]


# The first answer's topic must be one of these.
FIRST = [
    ("threw my back out this morning, can barely move", {"first-aid", "what-is-a-spasm"}),
    ("back locked up and i cant stand straight", {"what-is-a-spasm", "first-aid"}),
    ("can i take aleve and tylenol together", {"acetaminophen", "nsaids"}),
    ("is advil or motrin better for a back spasm", {"nsaids"}),
    ("how much tylenol is too much", {"acetaminophen"}),
    ("ibuprofin for lower back spasms?", {"nsaids"}),
    ("is naproxin safe if i have a stomach ulcer", {"nsaids"}),
    ("what does a muscle relaxer do for a back spasm", {"muscle-relaxants"}),
    ("flexeril makes me drowsy is that normal", {"muscle-relaxants"}),
    # the entry on alcohol with painkillers and muscle relaxants sits under acetaminophen
    ("can i drink alcohol on robaxin", {"muscle-relaxants", "acetaminophen"}),
    ("should i use a heating pad or an ice pack", {"ice-or-heat", "heat", "ice"}),
    ("how long should i leave ice on my back", {"ice"}),
    ("hot water bottle for back spasm, good idea?", {"heat", "ice-or-heat"}),
    ("when do i switch from cold to heat", {"ice-or-heat"}),
    ("does icy hot or a lidocaine patch work on back muscles", {"topical"}),
    ("i think i have a pinched nerve, pain goes down my leg", {"sciatica-nerve"}),
    ("siatica pain in my buttock and thigh", {"sciatica-nerve"}),
    ("is a slipped disk causing my spasms", {"sciatica-nerve", "causes"}),
    ("should i see a chiro for my back", {"chiropractic"}),
    ("is it safe to get my back cracked", {"chiropractic"}),
    ("would seeing a physio help my back spasms", {"physical-therapy"}),
    ("what will a PT do for lower back pain", {"physical-therapy"}),
    ("does a deep tissue massage help a back spasm", {"massage"}),
    ("does acupunture work for back pain", {"acupuncture"}),
    ("is a tens unit worth buying for back pain", {"tens"}),
    ("how do i stretch my lower back safely", {"stretching"}),
    ("is cat cow good for back spasms", {"stretching"}),
    ("can i go swimming with a bad back", {"staying-active", "activity-and-sport"}),
    ("how should i lift boxes without hurting my back", {"activity-and-sport", "ergonomics"}),
    ("are planks good for preventing back spasms", {"core-strength"}),
    ("does stress make back spasms worse", {"stress-mind-body"}),
    ("will eating bananas stop my back cramps", {"hydration-nutrition"}),
    ("will losing weight help my back pain", {"weight"}),
    ("what office chair is best for my back", {"ergonomics"}),
    ("best sleeping position for back spasms", {"sleep", "rest-positioning"}),
    ("should i get a firmer mattress", {"sleep"}),
    ("how long does a back spasm usually last", {"duration"}),
    ("why do my back spasms keep coming back", {"recurrence"}),
    ("do i need an mri for my back", {"diagnosis"}),
    ("are cortisone shots good for back pain", {"injections"}),
    ("can multiple sclerosis cause back spasms", {"neurological", "causes"}),
    ("my back has hurt for months what can i do", {"chronic-pain"}),
    ("what should i do right now my back is in spasm", {"first-aid"}),
]

# One of the up to three answers must be on one of these topics.
ANY_OF_THREE = [
    ("when can i go back to the gym after my back went out", {"activity-and-sport"}),
    ("when should i go to the doctor for back pain", {"when-to-see-doctor"}),
    ("is this a spasm or something worse", {"symptoms"}),
    ("can i take tylenal with advill", {"acetaminophen"}),
    ("muscel relaxent side efects", {"muscle-relaxants"}),
    ("chiropracter or physio for back pain", {"chiropractic"}),
]


@pytest.mark.parametrize(("question", "expected"), FIRST)
def test_first_answer_is_on_topic(index: Index, question: str, expected: set[str]) -> None:
    assert topics(index, question)[0] in expected


@pytest.mark.parametrize(("question", "expected"), ANY_OF_THREE)
def test_some_answer_is_on_topic(index: Index, question: str, expected: set[str]) -> None:
    assert expected & set(topics(index, question))


@pytest.mark.parametrize(("brand", "generic"), [
    ("aleve", "naproxen"), ("tylenol", "paracetamol"), ("acetaminophen", "paracetamol"),
    ("advil", "ibuprofen"), ("motrin", "ibuprofen"), ("flexeril", "cyclobenzaprine"),
    ("muscle relaxer", "muscle relaxant"), ("physio", "physiotherapy"),
    ("pt", "physiotherapy"), ("chiro", "chiropractor"), ("heating pad", "heat"),
    ("pinched nerve", "trapped nerve"), ("slipped disk", "herniated disc"),
])
def test_lay_and_brand_words_mean_the_same(index: Index, brand: str, generic: str) -> None:
    a = index.analyzer
    assert a.question_terms(f"can I use {brand}") == a.question_terms(f"can I use {generic}")


@pytest.mark.parametrize(("typed", "meant"), [
    ("ibuprofin", "ibuprofen"), ("scitica", "sciatica"), ("tylenal", "tylenol"),
    ("muscel", "muscle"), ("excercise", "exercise"), ("acupunture", "acupuncture"),
    ("streching", "stretching"), ("advill", "advil"),
])
def test_misspellings_are_repaired(index: Index, typed: str, meant: str) -> None:
    assert index.analyzer.repair([typed]) == [meant]


@pytest.mark.parametrize("word", ["message", "father", "letter", "white", "present", "lupus"])
def test_real_words_are_not_taken_for_misspellings(index: Index, word: str) -> None:
    assert index.analyzer.repair([word]) == [word]


def test_answers_are_three_distinct_topics_with_scores_in_range(index: Index) -> None:
    ranking = index.search("my lower back went into spasm lifting a box, ice or heat?")
    hits = ranking.answers()
    assert len(hits) == 3
    assert len({h.topic for h in hits}) == 3
    assert all(0 < h.score <= 1 for h in ranking.hits)
    assert ranking.best == max(h.score for h in ranking.hits)


def test_a_question_with_no_known_words_finds_nothing(index: Index) -> None:
    assert index.search("zzzz qqqq").hits == ()
    assert index.search("").hits == ()


def test_unknown_words_lower_the_score(index: Index) -> None:
    plain = index.search("heating pad").best
    diluted = index.search("heating pad quantum cryptography blockchain").best
    assert diluted < plain


def test_synonym_variants_belong_to_one_group() -> None:
    with pytest.raises(ValidationError, match="is in the groups of"):
        Synonyms(groups=[{"term": "heat", "variants": ["warmth"]},
                         {"term": "warm", "variants": ["warmth"]}])
    with pytest.raises(ValidationError, match="also a variant"):
        Synonyms(groups=[{"term": "heat", "variants": ["warmth"]},
                         {"term": "warmth", "variants": ["toasty"]}])


def test_every_scope_phrase_keeps_all_its_words(kb: KnowledgeBase, index: Index) -> None:
    """A phrase that contains an ignored word ("one year old") would match far
    more than it says ("year old")."""
    rule = kb.scope
    for phrase in (*rule.back_terms, *rule.care_terms, *rule.elsewhere, *rule.other_subjects):
        assert len(index.analyzer.text_terms(phrase)) >= len(words(phrase)), phrase
