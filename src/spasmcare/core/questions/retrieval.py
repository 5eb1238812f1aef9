"""Finding the knowledge-base entries that answer a question.

Each entry that answers questions is indexed three times with BM25 (bm25s):
its example questions, its title with its topic's label and coverage, and its
text. A question's score for an entry is the weighted sum over those fields,
divided by what the best entry could get for each of the question's terms,
so it lies in 0..1 and says how much of the question the entry covers. Words
that the knowledge base never uses count against every entry alike.

With a meaning index (``meaning``: sentence embeddings), the ranking blends
that word score with how close the question is to each entry in meaning, so
that "my discs are drying out" finds the entry on scan findings although it
shares few words with it.

The weights and BM25 parameters were chosen by measurement on the dev
questions and our own (benchmarks/qa_eval.py, qa_methods.py); see the README.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import bm25s
import numpy as np

from spasmcare.core.knowledge import Entry, KnowledgeBase
from spasmcare.core.questions.scope import Scope
from spasmcare.core.questions.terms import Analyzer

if TYPE_CHECKING:
    from spasmcare.core.questions.meaning import Meaning
    from spasmcare.core.questions.safety_net import SafetyNet

# How much each field counts. Example questions are written the way people ask,
# so they count most; the title (with the topic) and the text add the words the
# questions miss. Measured top-1 / top-3 on the dev questions: these weights
# 82% / 93%, text alone 65% / 83%, questions alone 82% / 92% but 8 points worse
# top-1 on the tests' hand-written questions.
FIELD_WEIGHTS = {"questions": 1.0, "title": 0.3, "text": 0.3}
K1 = 1.2  # BM25 term saturation and length normalisation: 0.9 to 1.5 and 0.5 to
B = 0.75  # 0.9 made no difference on the dev questions.
# An unknown word weighs like an average known word of the question.
UNKNOWN_WEIGHT = 1.0
# A topic's score is its best entry's plus this share of its second best, so a
# topic that several entries support wins a near tie (+2 to +4 points top-1,
# flat from 0.3 to 1.0).
TOPIC_SUPPORT = 0.5
ANSWERS = 3
# How much BM25's word overlap counts against closeness by meaning (the rest).
# Measured on the dev questions and our own (benchmarks/qa_methods.py, with
# the scope rule of the time): 0.3 gave dev 82% / 94% and own 61% / 81% top-1
# / top-3, against BM25 alone 80% / 93% and 52% / 72%; 0.2 to 0.4 did as
# well; embeddings alone did better on our own questions but worse on the dev
# ones, and reciprocal-rank fusion came between.
BM25_SHARE = 0.3


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float

    @property
    def topic(self) -> str:
        return self.entry.topic or ""


@dataclass(frozen=True)
class Ranking:
    """Every entry with a positive score, best first, and the question's
    terms. ``coverage`` is the share of the question that the best entry
    covers by BM25 alone, and ``closeness`` the question's highest cosine to
    any entry text (None without a meaning index): the scope rule's signals."""

    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    coverage: float = 0.0
    closeness: float | None = None

    @property
    def best(self) -> float:
        return self.hits[0].score if self.hits else 0.0

    def answers(self, limit: int = ANSWERS) -> list[Hit]:
        """Up to ``limit`` hits, best topic first, one entry per topic while
        there are enough topics; each topic is represented by its best entry.
        A topic's score adds TOPIC_SUPPORT of its second-best entry's."""
        by_topic: dict[str, list[Hit]] = {}
        for hit in self.hits:
            by_topic.setdefault(hit.topic, []).append(hit)

        def topic_score(group: list[Hit]) -> float:
            support = group[1].score if len(group) > 1 else 0.0
            return group[0].score + TOPIC_SUPPORT * support

        groups = sorted(by_topic.values(), key=topic_score, reverse=True)
        chosen = [g[0] for g in groups[:limit]]
        if len(chosen) < limit:
            rest = [h for h in self.hits if h not in chosen]
            chosen += rest[:limit - len(chosen)]
        return chosen


_FIELDS: dict[str, Callable[[Entry, KnowledgeBase], str]] = {
    "questions": lambda e, kb: "\n".join(e.questions),
    "title": lambda e, kb: " ".join([e.title, *_topic_words(e, kb)]),
    "text": lambda e, kb: e.text,
}


def _topic_words(entry: Entry, kb: KnowledgeBase) -> list[str]:
    topic = next((t for t in kb.topics if t.id == entry.topic), None)
    return [topic.label, topic.covers] if topic else []


class Index:
    """The searchable knowledge base. Building it takes tens of milliseconds;
    keep one per knowledge base for the life of the process. ``english`` is a
    list of correctly spelt words (see ``terms.Analyzer``); ``net`` is the
    safety screen's second net, which questions answered with this index use."""

    def __init__(self, kb: KnowledgeBase, english: Container[str] = frozenset(),
                 net: SafetyNet | None = None, meaning: Meaning | None = None) -> None:
        self.net = net
        self.meaning = meaning
        self.entries = kb.answering_entries()
        if meaning is not None and meaning.entries != len(self.entries):
            raise ValueError(f"the meaning index covers {meaning.entries} entries, "
                             f"the knowledge base {len(self.entries)}")
        rule = kb.scope
        known_text = [*rule.back_terms, *rule.care_terms, *rule.elsewhere, *rule.other_subjects]
        for e in self.entries:
            known_text += [e.title, e.text, *e.questions]
        known_text += [f"{t.label} {t.covers}" for t in kb.topics]
        self.analyzer = Analyzer(kb.synonyms, known_text, english)
        self.scope = Scope(rule, self.analyzer)
        self._fields: list[tuple[float, bm25s.BM25]] = []
        for name, weight in FIELD_WEIGHTS.items():
            corpus = [self.analyzer.text_terms(_FIELDS[name](e, kb)) for e in self.entries]
            retriever = bm25s.BM25(k1=K1, b=B)
            retriever.index(corpus, show_progress=False)
            self._fields.append((weight, retriever))

    def search(self, question: str) -> Ranking:
        """Score every entry against ``question``; see the module docstring."""
        terms = self.analyzer.question_terms(question)
        words = self._word_scores(terms)
        coverage = float(words.max()) if len(words) else 0.0
        if self.meaning is None or not coverage:
            return Ranking(tuple(terms), self._hits(words), coverage)
        meaning, closeness = self.meaning.scores(question)
        blended = BM25_SHARE * words + (1 - BM25_SHARE) * meaning
        return Ranking(tuple(terms), self._hits(blended), coverage, closeness)

    def _hits(self, scores: np.ndarray) -> tuple[Hit, ...]:
        order = np.argsort(-scores, kind="stable")
        hits = (Hit(self.entries[i], round(float(scores[i]), 3)) for i in order)
        return tuple(h for h in hits if h.score > 0)

    def _word_scores(self, terms: Sequence[str]) -> np.ndarray:
        """Per entry, its BM25 score over what the best entry could get for
        each of the question's terms (0..1); all zeros when no term is known."""
        total = np.zeros(len(self.entries))
        best_total = 0.0
        unknown = 0
        known_maxima: list[float] = []
        for term, count in Counter(terms).items():
            scores = np.zeros(len(self.entries))
            for weight, retriever in self._fields:
                if term in retriever.vocab_dict:
                    scores += weight * retriever.get_scores([term])
            peak = float(scores.max())
            if peak <= 0:
                unknown += count
                continue
            total += count * scores
            best_total += count * peak
            known_maxima += [peak] * count
        if not known_maxima:
            return total
        best_total += unknown * UNKNOWN_WEIGHT * float(np.mean(known_maxima))
        return total / best_total
