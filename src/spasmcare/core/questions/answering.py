"""Answering a question from the knowledge base (CONTRACTS section 2).

An answer is up to three of the knowledge base's own entries, best first,
each with its sources; nothing is written that the entries do not say. A
question outside what SpasmCare covers gets no entries and a reply that says
what it does cover. Whatever the topic, the question is screened for warning
signs, so a red flag in any question is still escalated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import EvidenceNote, KnowledgeBase, Urgency
from spasmcare.core.questions.safety_screen import Safety, screen

if TYPE_CHECKING:  # the index module imports bm25s and numpy: only the ask path needs them
    from spasmcare.core.questions.retrieval import Hit, Index

MAX_QUESTION_CHARS = 5000


@dataclass(frozen=True)
class AnswerItem:
    topic: str
    title: str
    text: str
    sources: tuple[str, ...]
    score: float
    evidence: EvidenceNote | None = None

    @classmethod
    def from_hit(cls, hit: Hit) -> AnswerItem:
        e = hit.entry
        return cls(topic=hit.topic, title=e.title, text=e.text, sources=e.sources,
                   score=hit.score, evidence=e.evidence)

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "title": self.title, "text": self.text,
                "sources": list(self.sources), "score": self.score}


@dataclass(frozen=True)
class Answer:
    """``reply`` is set when the question is out of scope: what SpasmCare
    covers and who to ask instead."""

    question: str
    in_scope: bool
    answers: tuple[AnswerItem, ...]
    safety: Safety
    reply: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The object of CONTRACTS section 2."""
        out: dict[str, Any] = {"in_scope": self.in_scope,
                               "answers": [a.to_dict() for a in self.answers],
                               "safety": self.safety.to_dict()}
        if self.reply is not None:
            out["reply"] = self.reply
        return out


def check_question(question: str) -> None:
    """Raise BadInput unless ``question`` is something to answer."""
    if not question.strip():
        raise BadInput("the question is empty: type a question first, for example "
                       "'heat or ice for a back spasm?'")
    if "\x00" in question:
        raise BadInput("the question has a NUL character in it; type it again as plain text")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadInput(f"the question is {len(question)} characters long; ask it in at most "
                       f"{MAX_QUESTION_CHARS} characters")


def blank_answer(question: str) -> Answer:
    """What a blank line of a batch gets, so that answers stay line for line
    with their questions: nothing to answer, and a reply that says so."""
    return Answer(question, False, (), Safety(Urgency.SELF_CARE, (), None),
                  reply="This line is empty: there is no question on it to answer.")


def answer(question: str, kb: KnowledgeBase, index: Index) -> Answer:
    """Answer ``question`` from ``kb`` using ``index`` (built from the same
    knowledge base). A question that describes a warning sign, or speaks of
    suicide or self-harm, is in scope unless it names another condition.
    Raises BadInput for an empty or blank question, one over
    MAX_QUESTION_CHARS, or one with a NUL character."""
    check_question(question)
    safety = screen(question, kb.safety_phrases, kb.triage, kb.crisis, index.net)
    ranking = index.search(question)
    if not ranking.hits or not index.scope.covers(ranking.terms, ranking.coverage,
                                                  flagged=safety.crisis or bool(safety.findings),
                                                  closeness=ranking.closeness):
        return Answer(question, False, (), safety, reply=kb.scope.reply)
    items = tuple(AnswerItem.from_hit(h) for h in ranking.answers())
    return Answer(question, True, items, safety)
