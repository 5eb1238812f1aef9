"""Sentence embeddings: the meaning of a text as a vector, so that questions
worded unlike any entry can still find it.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), exported
to ONNX and quantised to int8; it ships in ``spasmcare/knowledge/model/``
(see the README there) and runs with onnxruntime, without PyTorch. This
module opens no files: ``loader.load_embedder`` reads the model and the
tokenizer and hands their contents to ``Embedder.from_bytes``.

Contract of ``Embedder.embed``: one row per text, in order, float32, shape
``(len(texts), DIMENSIONS)``; each row is the mean of the model's token
vectors over the text's tokens (padding left out) scaled to length 1, so the
dot product of two rows is their cosine similarity (-1..1). A text longer
than MAX_TOKENS word pieces is cut to its first MAX_TOKENS. With the default
``batch=1`` a text gets the same vector whatever else is embedded with it.

Texts are run one at a time by default: the int8 model quantises its
activations with one scale per run, so texts run together move each other's
vectors (by up to 0.01 in cosine beside a long text), and on two cores
batches of 8 or 32 were no faster (347 texts: 7.2 s one at a time, 6.5 to
9.8 s batched).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from tokenizers import Tokenizer

DIMENSIONS = 384
MAX_TOKENS = 256  # what the model was trained with (sentence-transformers' max_seq_length)
CACHED = 256  # texts whose vectors are remembered (oldest forgotten first)


def digest(texts: Sequence[str]) -> str:
    """Names a list of texts, so that vectors made from other texts are refused."""
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]


class Embedder:
    """Embeds texts with an ONNX sentence-embedding model. ``session`` is an
    onnxruntime.InferenceSession of a BERT-style encoder taking ``input_ids``,
    ``attention_mask`` and (optionally) ``token_type_ids`` and returning the
    token vectors first; ``tokenizer`` is its word-piece tokenizer. Build one
    per process (``from_bytes`` takes about 0.1 s) and reuse it; ``embed`` is
    safe to call from several threads (onnxruntime sessions are). ``batch``
    texts go through the model per run, grouped by length (see the module
    docstring for why the default is 1)."""

    def __init__(self, session: Any, tokenizer: Tokenizer, batch: int = 1) -> None:
        self._session = session
        self._batch = max(1, batch)
        self._tokenizer = tokenizer
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._inputs = {i.name for i in session.get_inputs()}
        self._output = session.get_outputs()[0].name
        self._cache: dict[str, npt.NDArray[np.float32]] = {}

    @classmethod
    def from_bytes(cls, model: bytes, tokenizer_json: str, threads: int = 1,
                   batch: int = 1) -> Embedder:
        """An Embedder from the ONNX model's bytes and the tokenizer's JSON,
        running on at most ``threads`` CPU threads. Raises ImportError when
        onnxruntime or tokenizers is not installed, and onnxruntime's or
        tokenizers' own errors when the contents are not a model or a tokenizer."""
        import onnxruntime as ort  # type: ignore[import-untyped]
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Idle threads sleep instead of spinning: the machine is shared.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only
        session = ort.InferenceSession(model, sess_options=options,
                                       providers=["CPUExecutionProvider"])
        return cls(session, Tokenizer.from_str(tokenizer_json), batch)

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """The unit-length embeddings of ``texts``; see the module docstring.
        With ``batch=1`` the last CACHED texts' vectors are remembered, since
        a question's one sentence is embedded for the safety screen and again
        whole for the ranking."""
        if self._batch == 1:
            return self._embed_remembered(texts)
        return self._embed(texts)

    def _embed_remembered(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        found = dict(zip(missing, self._embed(missing), strict=True)) if missing else {}
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = found[text] if text in found else self._cache[text]
        self._cache.update(found)
        while len(self._cache) > CACHED:
            self._cache.pop(next(iter(self._cache)))
        return out

    def _embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self._batch):
            chunk = order[start:start + self._batch]
            width = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask,
                    "token_type_ids": np.zeros_like(ids)}
            tokens = self._session.run([self._output],
                                       {k: v for k, v in feed.items() if k in self._inputs})[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[chunk] = pooled / np.maximum(norms, 1e-12)
        return out
