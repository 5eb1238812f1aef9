"""Make the precomputed vectors that ship in ``knowledge/model/vectors.npz``:
the safety screen's example sentences and the entries' texts, each set stored
with a digest of the texts it came from so that the loader refuses vectors
that are out of date. Run after editing the entries or ``safety_examples.yaml``:
``python3 dev.py embed``.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile

import numpy as np

from spasmcare.core.loader import (
    VECTORS,
    load_embedder,
    load_knowledge,
    load_safety_examples,
    model_dir,
)
from spasmcare.core.questions.embedding import digest
from spasmcare.core.questions.meaning import entry_texts
from spasmcare.core.questions.safety_net import example_vectors


def main() -> int:
    embedder = load_embedder()
    examples = load_safety_examples()
    vectors = example_vectors(examples, embedder)
    kb = load_knowledge()
    texts, _ = entry_texts(kb.answering_entries(), kb)
    entries = embedder.embed(texts)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, safety_examples=vectors.astype(np.float16),
                        safety_examples_digest=np.array(examples.digest()),
                        entries=entries.astype(np.float16), entries_digest=np.array(digest(texts)))
    target = model_dir() / VECTORS
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".vectors-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(buffer.getvalue())
    os.chmod(tmp, 0o644)  # shipped with the package, not private data
    os.replace(tmp, target)
    print(f"wrote {target} ({len(vectors)} example and {len(entries)} entry vectors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
