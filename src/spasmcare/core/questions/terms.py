"""From text to the terms that retrieval compares.

A question and an entry go through the same steps: words (lower case, accents
and apostrophes dropped), synonym phrases read as the knowledge base's own
words (``synonyms.yaml``), words that carry no meaning dropped, and Snowball
stems. A question's words are first repaired: a word unknown to the knowledge
base and its vocabulary becomes the known word with the same stem ("tylenols"),
or else the closest known word within one edit (two for long words), unless it
is an English word in its own right ("message" is not a misspelt "massage").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable, Sequence

import Stemmer
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extractOne

from spasmcare.core.questions.vocabulary import Synonyms

_WORD = re.compile(r"[a-z0-9]+")
# Shorter words are left alone: one edit away from a three-letter word is too
# many other words. From the longer length two edits are allowed.
REPAIR_MIN_LENGTH = 4
REPAIR_TWO_EDITS_LENGTH = 9


def words(text: str) -> list[str]:
    """Lower-case words of ``text``; "Parkinson's" gives "parkinsons", "x-ray"
    gives "x", "ray"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(plain.lower().replace("'", ""))


class Analyzer:
    """Turns text into terms with one vocabulary. Build it once per knowledge
    base: it holds the synonym phrases, the stemmer and the known words.
    ``english`` holds words that are never repaired because they are spelt
    right, only not used by the knowledge base."""

    def __init__(self, synonyms: Synonyms, known_text: Iterable[str],
                 english: Container[str] = frozenset()) -> None:
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for group in synonyms.groups:
            term = tuple(words(group.term))
            # the term itself too, so "spinal stenosis" is not read as "spinal" + "stenosis"
            self._phrases[term] = term
            for variant in group.variants:
                self._phrases[tuple(words(variant))] = term
        self._longest = max((len(p) for p in self._phrases), default=1)
        self._ignore = frozenset(w for phrase in synonyms.ignore for w in words(phrase))
        self._stemmer = Stemmer.Stemmer("english")
        self._ignore_stems = frozenset(self._stemmer.stemWords(sorted(self._ignore)))
        known = {w for text in known_text for w in words(text)}
        known |= {w for phrase in self._phrases for w in phrase}
        known |= {w for term in self._phrases.values() for w in term}
        known |= self._ignore
        self._known = known
        # An unknown word with a known stem ("tylenols", "relaxers") is read as
        # the shortest known word with that stem, so synonym phrases still match.
        self._by_stem: dict[str, str] = {}
        for word in sorted(known, key=lambda w: (len(w), w)):
            self._by_stem.setdefault(self._stemmer.stemWord(word), word)
        self._english = english
        self._candidates = sorted(known)

    def repair(self, raw: Sequence[str]) -> list[str]:
        """``raw`` words with each unknown one replaced by its nearest known word."""
        return [self._nearest(w) for w in raw]

    def _nearest(self, word: str) -> str:
        if word in self._known:
            return word
        same_stem = self._by_stem.get(self._stemmer.stemWord(word))
        if same_stem is not None:
            return same_stem
        if word in self._english or len(word) < REPAIR_MIN_LENGTH or not word.isalpha():
            return word
        edits = 2 if len(word) >= REPAIR_TWO_EDITS_LENGTH else 1
        found = extractOne(word, self._candidates, scorer=DamerauLevenshtein.distance,
                           score_cutoff=edits)
        return word if found is None else found[0]

    def read_synonyms(self, raw: Sequence[str]) -> list[str]:
        """``raw`` with every synonym phrase replaced by its term (longest first)."""
        out: list[str] = []
        i = 0
        while i < len(raw):
            for size in range(min(self._longest, len(raw) - i), 0, -1):
                term = self._phrases.get(tuple(raw[i:i + size]))
                if term is not None:
                    out.extend(term)
                    i += size
                    break
            else:
                out.append(raw[i])
                i += 1
        return out

    def terms(self, raw: Sequence[str]) -> list[str]:
        """Index terms: synonyms read, meaningless words dropped, stems."""
        kept = [w for w in self.read_synonyms(raw) if w not in self._ignore]
        return [s for s in self._stemmer.stemWords(kept) if s not in self._ignore_stems]

    def text_terms(self, text: str) -> list[str]:
        """Terms of knowledge-base text (no repair: the entries are spelt right)."""
        return self.terms(words(text))

    def question_terms(self, text: str) -> list[str]:
        """Terms of a question, misspellings repaired first."""
        return self.terms(self.repair(words(text)))
