"""Whether a question is about what SpasmCare covers: back pain, back spasms
and their care. The rule and its word lists are data (``scope.yaml``); this
module reads them with the same analyzer as the questions, so "lumbago",
"slipped disk" and "spinal stenosos" count as back wording too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spasmcare.core.questions.terms import Analyzer
from spasmcare.core.questions.vocabulary import ScopeRule


class Scope:
    """The scope rule of one knowledge base, ready to apply."""

    def __init__(self, rule: ScopeRule, analyzer: Analyzer) -> None:
        self.rule = rule
        self._back = _phrases(rule.back_terms, analyzer)
        self._care = _phrases(rule.care_terms, analyzer)
        self._elsewhere = _phrases(rule.elsewhere, analyzer)
        self._other = _phrases(rule.other_subjects, analyzer)

    def covers(self, terms: Sequence[str], best_score: float, flagged: bool = False,
               closeness: float | None = None) -> bool:
        """True when a question with these terms, whose best entry scored
        ``best_score``, is in scope. Another condition rules it out unless
        the question is also about the back and close in meaning to an entry
        (``other_with_back_closeness``); a warning sign of back pain described
        (``flagged``) rules it in; a question whose ``closeness`` in meaning
        to every entry is below the rule's ``min_closeness`` is out (a post
        that mostly asks about something else, naming the back in passing);
        back wording rules it in; another part of the body rules it out;
        otherwise it takes wording about the care SpasmCare covers and a good
        enough match with the knowledge base."""
        if not terms:
            return False
        if _any_in(self._other, terms):
            close = self.rule.other_with_back_closeness
            return (close is not None and closeness is not None and closeness >= close
                    and (flagged or _any_in(self._back, terms)))
        if flagged:
            return True
        if closeness is not None and closeness < self.rule.min_closeness:
            return False
        if _any_in(self._back, terms):
            return True
        if _any_in(self._elsewhere, terms):
            return False
        return _any_in(self._care, terms) and best_score >= self.rule.min_score


def _phrases(texts: Iterable[str], analyzer: Analyzer) -> list[tuple[str, ...]]:
    found = (tuple(analyzer.text_terms(t)) for t in texts)
    return [p for p in found if p]


def _any_in(phrases: Sequence[tuple[str, ...]], terms: Sequence[str]) -> bool:
    for phrase in phrases:
        size = len(phrase)
        if any(tuple(terms[i:i + size]) == phrase for i in range(len(terms) - size + 1)):
            return True
    return False
