"""Ranking by meaning: how close a question is to each entry by sentence
embedding, to blend with BM25's word overlap (``retrieval``).

Each entry is represented by the vectors of its example questions, of its
title with its topic's label, and of its text; its closeness to a question
is the mean cosine of its two closest vectors (one alone where it has only
one). The vectors are computed ahead (``dev.py embed``) and shipped with a
digest of the texts they came from, so vectors of an older knowledge base
are refused.

Chosen by measurement (``benchmarks/qa_methods.py``) over the questions
alone, their maximum, and titles and texts alone; see the README.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from spasmcare.core.knowledge import Entry, KnowledgeBase
    from spasmcare.core.questions.embedding import Embedder


def entry_texts(entries: Sequence[Entry], kb: KnowledgeBase) -> tuple[list[str], list[int]]:
    """The texts that stand for each entry, and the entry (by position) each
    belongs to, in the order of the shipped vectors."""
    labels = {t.id: t.label for t in kb.topics}
    texts: list[str] = []
    owners: list[int] = []
    for i, e in enumerate(entries):
        own = [*e.questions, f"{e.title} ({labels.get(e.topic or '', '')})", e.text]
        texts += own
        owners += [i] * len(own)
    return texts, owners


class Meaning:
    """Closeness by meaning of a question to every entry of an index."""

    def __init__(self, embedder: Embedder, vectors: npt.NDArray[np.float32],
                 owners: Sequence[int], n_entries: int) -> None:
        if vectors.shape[0] != len(owners):
            raise ValueError(f"{vectors.shape[0]} entry vectors for {len(owners)} texts")
        self.embedder = embedder
        self.entries = n_entries
        order = np.argsort(np.asarray(owners), kind="stable")
        self._vectors = vectors[order]
        owners_sorted = np.asarray(owners)[order]
        self._starts = np.searchsorted(owners_sorted, np.arange(n_entries))
        self._ends = np.searchsorted(owners_sorted, np.arange(n_entries), side="right")

    def scores(self, question: str) -> tuple[npt.NDArray[np.float64], float]:
        """Per entry, the mean cosine of its two vectors closest to
        ``question`` (0 for an entry with none), clipped to 0..1; and the
        question's highest cosine to any vector, which the scope rule uses."""
        sims = self._vectors @ self.embedder.embed([question])[0]
        out = np.zeros(len(self._starts))
        for i, (start, end) in enumerate(zip(self._starts, self._ends, strict=True)):
            if end > start:
                out[i] = float(np.sort(sims[start:end])[-2:].mean())
        return np.clip(out, 0.0, 1.0), float(sims.max()) if len(sims) else 0.0
