"""The safety screen's second net: sentence similarity to examples.

The phrases of ``safety_phrases.yaml`` catch the wordings they were written
for. People also describe warning signs in words nobody listed ("the bit you
would sit on a bike saddle on has gone dead"), so each sentence of a question
is also compared, by sentence embedding, with short example descriptions of
each finding and with "calm" near-misses (``safety_examples.yaml``). A
sentence raises a finding when it is at least ``threshold`` similar to one of
that finding's examples and closer to it, by ``margin``, than to any calm
example; and only for the tiers the data names, because similarity knows the
subject of a sentence better than what it says of it (findings listed under
``except`` are left to the phrases). A sentence that negates, asks in
general or speaks of the past, by the same cues as the phrases, is left out;
one that only supposes ("what if ...") counts for crisis words alone.

The examples' vectors are computed ahead (``dev.py embed``) and shipped with
a digest of the texts they came from; ``loader.load_safety_net`` refuses
vectors that no longer match the examples.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

if TYPE_CHECKING:
    from spasmcare.core.questions.embedding import Embedder
    from spasmcare.core.questions.safety_screen import SafetyPhrases

Example = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]
CALM = "calm"
# Sentences shorter than this say too little to compare; a long post is
# compared by its first MAX_SENTENCES sentences.
MIN_WORDS = 3
MAX_SENTENCES = 12
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*|\s+(?:but|however|although)\s+", re.IGNORECASE)


class SafetyExamples(BaseModel):
    """The data of ``safety_examples.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    threshold: Annotated[float, Field(gt=0, le=1)]
    margin: Annotated[float, Field(ge=0, le=1)]
    tiers: Annotated[tuple[str, ...], Field(min_length=1)]
    except_: Annotated[tuple[str, ...], Field(alias="except")] = ()
    findings: Mapping[str, Annotated[tuple[Example, ...], Field(min_length=1)]]
    calm: Annotated[tuple[Example, ...], Field(min_length=1)]

    def texts(self) -> tuple[list[str], list[str]]:
        """Every example and its label (a finding id, ``crisis`` or ``calm``),
        in the order of the shipped vectors."""
        labels = [fid for fid, xs in self.findings.items() for _ in xs] + [CALM] * len(self.calm)
        texts = [x for xs in self.findings.values() for x in xs] + list(self.calm)
        return texts, labels

    def digest(self) -> str:
        """Names the example texts, so that vectors made from others are refused."""
        from spasmcare.core.questions.embedding import digest

        texts, labels = self.texts()
        return digest([f"{label}\t{text}" for label, text in zip(labels, texts, strict=True)])


class SafetyNet:
    """The second net, ready to apply: the examples' vectors by label and the
    embedder for questions. ``tiers`` maps a finding id (or ``crisis``) to its
    tier, for choosing which findings the net may raise."""

    def __init__(self, examples: SafetyExamples, vectors: npt.NDArray[np.float32],
                 embedder: Embedder, tiers: Mapping[str, str]) -> None:
        texts, labels = examples.texts()
        if vectors.shape[0] != len(texts):
            raise ValueError(f"{vectors.shape[0]} example vectors for {len(texts)} examples")
        self.examples = examples
        self.embedder = embedder
        chosen = [i for i, label in enumerate(labels) if label != CALM
                  and tiers.get(label) in examples.tiers and label not in examples.except_]
        self._labels = [labels[i] for i in chosen]
        self._finding_vectors = vectors[chosen]
        self._calm_vectors = vectors[[i for i, label in enumerate(labels) if label == CALM]]

    def findings(self, text: str, phrases: SafetyPhrases,
                 supposed_too: Sequence[str] = ()) -> list[str]:
        """The finding ids (and ``crisis``) that some sentence of ``text``
        describes, by similarity; see the module docstring. The labels in
        ``supposed_too`` count in a supposing sentence ("what if ...") too."""
        kept = [(s, supposes) for s in sentences_of(text)
                for supposes in [_statement(s, phrases)] if supposes is not None]
        if not kept or not self._labels:
            return []
        vectors = self.embedder.embed([s for s, _ in kept])
        near = vectors @ self._finding_vectors.T
        calm = (vectors @ self._calm_vectors.T).max(axis=1)
        found: dict[str, None] = {}
        for row, (_, supposes) in enumerate(kept):
            allowed = near[row] if not supposes else np.where(self._supposable(supposed_too),
                                                              near[row], -1.0)
            column = int(allowed.argmax())
            score = allowed[column]
            if score >= self.examples.threshold and score >= calm[row] + self.examples.margin:
                found[self._labels[column]] = None
        return list(found)

    def _supposable(self, labels: Sequence[str]) -> npt.NDArray[np.bool_]:
        return np.isin(np.asarray(self._labels), list(labels))


def sentences_of(text: str) -> list[str]:
    """The sentences of ``text`` worth comparing, at most MAX_SENTENCES."""
    parts = (p.strip() for p in _SENTENCE.split(text))
    return [p for p in parts if len(p.split()) >= MIN_WORDS][:MAX_SENTENCES]


def _statement(sentence: str, phrases: SafetyPhrases) -> bool | None:
    """None for a sentence that negates, asks in general or tells of the past
    or of something resolved, by the phrases' own cues; else whether it only
    supposes ("what if ..."), which only some findings count."""
    from spasmcare.core.questions.safety_screen import normalise

    c = phrases.compiled()
    text = normalise(c, sentence)
    if c.pseudo is not None:
        text = c.pseudo.sub(" ", text)
    if any(cue.search(text) for _, cue in c.negation):
        return None
    if c.general.search(text) and not c.personal.search(text):
        return None
    if c.past.search(text) and not c.ongoing.search(text):
        return None
    return c.hypothetical is not None and c.hypothetical.search(text) is not None


def example_vectors(examples: SafetyExamples, embedder: Embedder) -> npt.NDArray[np.float32]:
    """The vectors ``dev.py embed`` ships for ``examples``."""
    texts, _ = examples.texts()
    return embedder.embed(texts)


def check_tiers(examples: SafetyExamples, known: Sequence[str]) -> None:
    """Raise ValueError when an example is filed under an unknown finding."""
    unknown = sorted((set(examples.findings) | set(examples.except_)) - set(known))
    if unknown:
        raise ValueError(f"examples for unknown findings: {unknown}")
