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
from spasmcare.core.knowledge import EvidenceNote, KnowledgeBase
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
    covers and who to ask instead. It is for people; the contract's JSON
    object has no field for it."""

    question: str
    in_scope: bool
    answers: tuple[AnswerItem, ...]
    safety: Safety
    reply: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The object of CONTRACTS section 2."""
        return {"in_scope": self.in_scope,
                "answers": [a.to_dict() for a in self.answers],
                "safety": self.safety.to_dict()}


def answer(question: str, kb: KnowledgeBase, index: Index) -> Answer:
    """Answer ``question`` from ``kb`` using ``index`` (built from the same
    knowledge base). Raises BadInput for a question over MAX_QUESTION_CHARS."""
    if len(question) > MAX_QUESTION_CHARS:
        raise BadInput(f"the question is {len(question)} characters long; ask it in at most "
                       f"{MAX_QUESTION_CHARS} characters")
    safety = screen(question, kb.safety_phrases, kb.triage)
    ranking = index.search(question)
    if not ranking.hits or not index.scope.covers(ranking.terms, ranking.best):
        return Answer(question, False, (), safety, reply=kb.scope.reply)
    items = tuple(AnswerItem.from_hit(h) for h in ranking.answers())
    return Answer(question, True, items, safety)
