"""Make the precomputed vectors that ship in ``knowledge/model/vectors.npz``:
the safety screen's example sentences, each set stored with a digest of the
texts it came from so that the loader refuses vectors that are out of date.
Run after editing ``safety_examples.yaml``: ``python3 dev.py embed``.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile

import numpy as np

from spasmcare.core.loader import VECTORS, load_embedder, load_safety_examples, model_dir
from spasmcare.core.questions.safety_net import example_vectors


def main() -> int:
    examples = load_safety_examples()
    vectors = example_vectors(examples, load_embedder())
    buffer = io.BytesIO()
    np.savez_compressed(buffer, safety_examples=vectors.astype(np.float16),
                        safety_examples_digest=np.array(examples.digest()))
    target = model_dir() / VECTORS
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".vectors-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(buffer.getvalue())
    os.chmod(tmp, 0o644)  # shipped with the package, not private data
    os.replace(tmp, target)
    print(f"wrote {target} ({len(vectors)} example vectors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
