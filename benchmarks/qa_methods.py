"""Question answering by method: BM25 alone, embeddings alone, and the two fused.

For each labelled set (dev: ../shared/eval/questions_dev.jsonl, read at run
time and never copied; own: benchmarks/questions/) this reports top-1 and
top-3 topic accuracy and the out-of-scope refusal, as qa_eval.accuracy
counts them, for

  bm25   the shipped Index and scope rule (core/questions/answering.answer);
  emb    embeddings alone (the packaged int8 all-MiniLM-L6-v2): each entry is
         its example questions, its title and its text, embedded separately
         (and, as a variant, its text sentence by sentence); an entry scores the
         best cosine of the question to any of its vectors ("max") or the mean
         of its best two ("top2"), over every field or only some; the question
         is embedded whole, sentence by sentence (best sentence per entry) or
         both;
  rrf    reciprocal-rank fusion over entries, w_bm25/(k + rank) + w_emb/(k + rank);
  blend  a linear blend a*bm25 + (1-a)*emb of per-question normalised scores;

each ranked into topics the way retrieval.Ranking.answers does (best entry per
topic plus 0.5 of its second best). Every method keeps the shipped scope
decision, so refusal is the same for all of them and the differences are the
ranking's alone. Then the scope decision: how well the best cosine of a
question to any entry vector tells in-scope from out-of-scope questions,
alone and combined with the shipped rule, with the threshold of best balanced
accuracy on the own set, applied unchanged to the dev set.

Usage: .venv/bin/python benchmarks/qa_methods.py [--threads N]  (default 2)
Needs onnxruntime and tokenizers in the venv. Embeddings are cached in
/tmp/spasmcare-qa-embeddings.npz, keyed by the SHA-256 of the model and of
each text (no text is stored there); delete it to start afresh.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qa_eval
from spasmcare.core.knowledge import Entry
from spasmcare.core.loader import load_embedder, load_index, load_knowledge
from spasmcare.core.questions import scope as scope_module
from spasmcare.core.questions.answering import answer
from spasmcare.core.questions.embedding import Embedder
from spasmcare.core.questions.retrieval import Hit, Index, Ranking

CACHE = Path("/tmp/spasmcare-qa-embeddings.npz")
OUT = qa_eval.OUT
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
FIELD_SETS = {
    "q+title+text": ("questions", "title", "text"),
    "questions": ("questions",),
    "title+text": ("title", "text"),
    "q+title+text+sents": ("questions", "title", "text", "sentences"),
    "q+title+sents": ("questions", "title", "sentences"),
}
AGGREGATES = ("max", "top2")
QUERY_MODES = ("whole", "sentences", "whole+sentences", "split-long")
LONG_WORDS = 40  # "split-long": whole+sentences for questions of at least this many words
BOOTSTRAP = 2000


# --------------------------------------------------------------------------- embeddings


class CachedEmbedder:
    """Embeds through the packaged model, remembering vectors in /tmp by hash."""

    def __init__(self, embedder: Embedder, model_id: str) -> None:
        self.embedder = embedder
        self.model_id = model_id
        self.vectors: dict[str, np.ndarray] = {}
        self.seconds = 0.0
        self.computed = 0
        if CACHE.exists():
            data = np.load(CACHE)
            if str(data["model"]) == model_id:
                self.vectors = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    def key(self, text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True)
                          if k not in self.vectors}.items())
        if missing:
            start = time.perf_counter()
            found = self.embedder.embed([t for _, t in missing])
            self.seconds += time.perf_counter() - start
            self.computed += len(missing)
            self.vectors.update({k: v for (k, _), v in zip(missing, found, strict=True)})
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.vectors[k] for k in keys])

    def save(self) -> None:
        keys = sorted(self.vectors)
        np.savez(CACHE, model=np.array(self.model_id), keys=np.array(keys),
                 vectors=np.stack([self.vectors[k] for k in keys]))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


@dataclass
class EntryVectors:
    """Every entry vector, the entry it belongs to and its field."""

    vectors: np.ndarray
    owner: np.ndarray
    fieldname: np.ndarray
    n_entries: int

    def scores(self, sims: np.ndarray, fields: Iterable[str], aggregate: str) -> np.ndarray:
        """Per entry, the max (or mean of the best two) of ``sims`` over its
        vectors of ``fields``; -1 where an entry has none."""
        keep = np.isin(self.fieldname, list(fields))
        out = np.full(self.n_entries, -1.0)
        owner, values = self.owner[keep], sims[keep]
        order = np.lexsort((-values, owner))
        owner, values = owner[order], values[order]
        starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
        ends = np.r_[starts[1:], len(owner)]
        for s, e in zip(starts, ends, strict=True):
            if aggregate == "max" or e - s == 1:
                out[owner[s]] = values[s]
            else:
                out[owner[s]] = (values[s] + values[s + 1]) / 2
        return out


def entry_vectors(index: Index, cache: CachedEmbedder) -> EntryVectors:
    kb = load_knowledge()
    labels = {t.id: t.label for t in kb.topics}
    texts: list[str] = []
    owner: list[int] = []
    names: list[str] = []

    def add(i: int, name: str, items: Iterable[str]) -> None:
        for t in items:
            texts.append(t)
            owner.append(i)
            names.append(name)

    for i, e in enumerate(index.entries):
        add(i, "questions", e.questions)
        add(i, "title", [f"{e.title} ({labels.get(e.topic or '', '')})"])
        add(i, "text", [e.text])
        add(i, "sentences", sentences(e.text))
    return EntryVectors(cache.embed(texts), np.array(owner), np.array(names), len(index.entries))


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    row: dict[str, Any]
    ranking: Ranking  # BM25
    shipped_in_scope: bool
    shipped_topics: list[str]
    flagged: bool
    whole: np.ndarray  # cosines of the whole question to every entry vector
    parts: np.ndarray  # the same for each sentence (one row per sentence)
    memo: dict[Any, np.ndarray] = field(default_factory=dict)

    @property
    def inside(self) -> bool:
        return bool(self.row["topics"] != [OUT])

    @property
    def long(self) -> bool:
        return len(self.row["question"].split()) >= LONG_WORDS


def build_cases(rows: list[dict[str, Any]], index: Index, vectors: EntryVectors,
                cache: CachedEmbedder) -> list[Case]:
    kb = load_knowledge()
    wholes = cache.embed([r["question"] for r in rows])
    cases = []
    for r, w in zip(rows, wholes, strict=True):
        q = r["question"]
        a = answer(q, kb, index)  # its safety screen decides "flagged" for the scope rule
        parts = sentences(q)
        p = cache.embed(parts) if len(parts) > 1 else w[None, :]
        cases.append(Case(r, index.search(q), a.in_scope, [i.topic for i in a.answers],
                          bool(a.safety.findings), vectors.vectors @ w, p @ vectors.vectors.T))
    return cases


def emb_scores(case: Case, vectors: EntryVectors, fields: str = "q+title+text",
               aggregate: str = "max", query: str = "whole") -> np.ndarray:
    key = (fields, aggregate, query)
    if key not in case.memo:
        names = FIELD_SETS[fields]
        if query == "split-long":
            query = "whole+sentences" if case.long else "whole"
        sims = []
        if query in ("whole", "whole+sentences") or len(case.parts) == 1:
            sims.append(vectors.scores(case.whole, names, aggregate))
        if query in ("sentences", "whole+sentences") and len(case.parts) > 1:
            sims += [vectors.scores(s, names, aggregate) for s in case.parts]
        case.memo[key] = np.max(sims, axis=0)
    return case.memo[key]


def bm25_scores(case: Case, entries: Sequence[Entry]) -> np.ndarray:
    if "bm25" not in case.memo:
        where = {e.id: i for i, e in enumerate(entries)}
        out = np.zeros(len(entries))
        for h in case.ranking.hits:
            out[where[h.entry.id]] = h.score
        case.memo["bm25"] = out
    return case.memo["bm25"]


def topics_of(scores: np.ndarray, entries: Sequence[Entry]) -> list[str]:
    order = np.argsort(-scores, kind="stable")
    hits = tuple(Hit(entries[i], float(scores[i])) for i in order)
    return [h.topic for h in Ranking((), hits).answers()]


def ranks(scores: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    """1-based rank of each entry (best first); inf where not ``present``."""
    order = np.argsort(-scores, kind="stable")
    out = np.empty(len(scores))
    out[order] = np.arange(1, len(scores) + 1)
    if present is not None:
        out[~present] = np.inf
    return out


def minmax(x: np.ndarray) -> np.ndarray:
    span = x.max() - x.min()
    return (x - x.min()) / span if span > 0 else np.zeros_like(x)


Method = Callable[[Case], list[str]]


@dataclass
class Result:
    figures: dict[str, float]  # qa_eval.accuracy: top1, top3, refused
    top1: np.ndarray  # per in-scope case, 1 when right
    top3: np.ndarray


def evaluate(cases: list[Case], method: Method) -> Result:
    """qa_eval.accuracy on these cases, with the shipped scope decision, and
    the per-question outcomes behind top-1 and top-3."""
    decided = {id(c.row): (c.shipped_in_scope, method(c)) for c in cases}
    by_question = {c.row["question"]: decided[id(c.row)] for c in cases}
    figures = qa_eval.accuracy([c.row for c in cases], lambda q: by_question[q])
    top1, top3 = [], []
    for c in cases:
        if c.inside:
            ok, topics = decided[id(c.row)]
            top1.append(ok and bool(topics) and topics[0] in c.row["topics"])
            top3.append(ok and any(t in c.row["topics"] for t in topics[:3]))
    result = Result(figures, np.array(top1, dtype=float), np.array(top3, dtype=float))
    assert abs(result.top1.mean() - figures["top1"]) < 1e-9
    return result


def paired_interval(a: np.ndarray, b: np.ndarray, seed: int = 7) -> tuple[float, float, float]:
    """Mean of a - b and its 95% bootstrap interval (questions resampled)."""
    rng = np.random.default_rng(seed)
    diff = a - b
    picks = rng.integers(0, len(diff), size=(BOOTSTRAP, len(diff)))
    means = diff[picks].mean(axis=1)
    return float(diff.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


# --------------------------------------------------------------------------- methods


def methods(entries: Sequence[Entry], vectors: EntryVectors) -> dict[str, tuple[str, Method]]:
    """name -> (family, method). Family groups the variants for the summary."""
    out: dict[str, tuple[str, Method]] = {}
    out["bm25 (shipped)"] = ("bm25", lambda c: c.shipped_topics)
    out["bm25 via scores"] = ("check", lambda c: topics_of(bm25_scores(c, entries), entries))
    for fields in FIELD_SETS:
        for agg in AGGREGATES:
            for query in QUERY_MODES:
                def emb(c: Case, f: str = fields, a: str = agg, q: str = query) -> list[str]:
                    return topics_of(emb_scores(c, vectors, f, a, q), entries)
                out[f"emb {fields} {agg} {query}"] = ("emb", emb)
    for fields, agg, query in [("q+title+text", "max", "whole"),
                               ("q+title+text", "max", "split-long"),
                               ("q+title+text", "top2", "whole"),
                               ("q+title+text+sents", "max", "whole"),
                               ("q+title+text+sents", "top2", "whole"),
                               ("q+title+text+sents", "max", "split-long")]:
        for k in (10, 30, 60):
            for wb, we in ((1, 1), (2, 1), (1, 2), (3, 2), (2, 3)):
                def rrf(c: Case, f: str = fields, a: str = agg, q: str = query, k: int = k,
                        wb: float = wb, we: float = we) -> list[str]:
                    b = bm25_scores(c, entries)
                    e = emb_scores(c, vectors, f, a, q)
                    fused = wb / (k + ranks(b, b > 0)) + we / (k + ranks(e))
                    return topics_of(fused, entries)
                out[f"rrf k={k} w={wb}:{we} emb[{fields} {agg} {query}]"] = ("rrf", rrf)
        for norm in ("raw", "minmax"):
            for alpha in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
                def blend(c: Case, f: str = fields, a: str = agg, q: str = query,
                          norm: str = norm, alpha: float = alpha) -> list[str]:
                    b = bm25_scores(c, entries)
                    e = emb_scores(c, vectors, f, a, q)
                    if norm == "minmax":
                        b, e = minmax(b), minmax(e)
                    return topics_of(alpha * b + (1 - alpha) * e, entries)
                out[f"blend {norm} a={alpha} emb[{fields} {agg} {query}]"] = ("blend", blend)
    return out


# --------------------------------------------------------------------------- scope


def rule_step(index: Index, case: Case) -> str:
    """Which step of the shipped rule decides: "out", "in", or for step 4
    "care" (care wording present) or "nocare"."""
    s, terms = index.scope, case.ranking.terms
    if not case.ranking.hits or not terms or scope_module._any_in(s._other, terms):
        return "out"
    if case.flagged or scope_module._any_in(s._back, terms):
        return "in"
    if scope_module._any_in(s._elsewhere, terms):
        return "out"
    return "care" if scope_module._any_in(s._care, terms) else "nocare"


def best_cosine(case: Case, vectors: EntryVectors, query: str) -> float:
    return float(emb_scores(case, vectors, "q+title+text", "max", query).max())


def scope_rules(index: Index, min_score: float) -> dict[str, Callable[[Case, float, float], bool]]:
    """name -> decide(case, cosine, threshold)."""
    def shipped(c: Case, cos: float, t: float) -> bool:
        step = rule_step(index, c)
        return step == "in" or (step == "care" and c.ranking.best >= min_score)

    return {
        "cosine alone": lambda c, cos, t: cos >= t,
        "rule AND cosine": lambda c, cos, t: shipped(c, cos, t) and cos >= t,
        "rule OR cosine": lambda c, cos, t: shipped(c, cos, t) or cos >= t,
        "rule, step 4 by cosine": lambda c, cos, t: (
            rule_step(index, c) == "in" or (rule_step(index, c) == "care" and cos >= t)),
        "rule, step 4 by cosine (no care words needed)": lambda c, cos, t: (
            rule_step(index, c) == "in" or (rule_step(index, c) in ("care", "nocare")
                                            and cos >= t)),
    }


def balanced(cases: list[Case], decide: Callable[[Case], bool]) -> tuple[float, float, float]:
    inside = [c for c in cases if c.inside]
    outside = [c for c in cases if not c.inside]
    accepted = sum(decide(c) for c in inside) / len(inside)
    refused = sum(not decide(c) for c in outside) / len(outside)
    return (accepted + refused) / 2, accepted, refused


# --------------------------------------------------------------------------- report


def pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def main() -> None:
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
    kb, index = load_knowledge(), load_index()
    entries = index.entries
    start = time.perf_counter()
    embedder = load_embedder(threads)
    load_s = time.perf_counter() - start
    model = (resources.files("spasmcare.knowledge") / "model" / "minilm-l6-v2.int8.onnx")
    cache = CachedEmbedder(embedder, hashlib.sha256(model.read_bytes()).hexdigest())
    start = time.perf_counter()
    vectors = entry_vectors(index, cache)
    entry_s = time.perf_counter() - start
    counts = {n: int((vectors.fieldname == n).sum()) for n in ("questions", "title", "text",
                                                                "sentences")}
    print(f"embedder loaded in {load_s:.2f} s ({threads} threads); {len(vectors.owner)} entry "
          f"vectors {counts} for {len(entries)} entries in {entry_s:.1f} s "
          f"({cache.computed} computed, the rest from {CACHE})")

    sets = {name: qa_eval.load_questions(name) for name in qa_eval.SETS}
    cases = {name: build_cases(rows, index, vectors, cache) for name, rows in sets.items() if rows}
    cache.save()
    for name, cs in cases.items():
        n_in = sum(c.inside for c in cs)
        print(f"set {name}: {len(cs)} questions, {n_in} in scope, {len(cs) - n_in} out of scope;"
              f" {sum(len(c.parts) > 1 for c in cs)} of more than one sentence,"
              f" {sum(c.long for c in cs)} of {LONG_WORDS} words or more")

    table = methods(entries, vectors)
    results = {m: {name: evaluate(cs, fn) for name, cs in cases.items()}
               for m, (_, fn) in table.items()}
    ours = qa_eval.picker(qa_eval.ours())
    for name, cs in cases.items():
        shipped = qa_eval.accuracy([c.row for c in cs], ours)
        assert results["bm25 (shipped)"][name].figures == shipped, "shipped figures differ"
        assert results["bm25 via scores"][name].figures == shipped, "re-ranking differs"

    def line(m: str) -> str:
        cells = "  ".join(f"{pct(results[m][n].figures['top1'])} "
                          f"{pct(results[m][n].figures['top3'])}" for n in cases)
        return f"{cells}  {m}"

    head = "  ".join(f"{n + ' top1':>5s} top3" for n in cases)
    refused = ", ".join(f"{n} {pct(results['bm25 (shipped)'][n].figures['refused'])}"
                        for n in cases)
    print(f"\nTopic accuracy (%), shipped scope decision for every method. Refused out of scope:"
          f" {refused} (the same for every method by construction).")
    print(head)
    for m, (family, _) in table.items():
        if family in ("bm25", "emb"):
            print(line(m))

    def score(m: str, names: Sequence[str]) -> tuple[float, float]:
        return (sum(results[m][n].figures["top1"] for n in names),
                sum(results[m][n].figures["top3"] for n in names))

    picked: list[str] = []
    print("\nFusion: the best five of each family by own-set top-1 (then top-3), "
          "and the best by the sum over both sets")
    for family in ("rrf", "blend"):
        names = [m for m, (f, _) in table.items() if f == family]
        ranked = sorted(names, key=lambda m: score(m, ["own"]), reverse=True)
        for m in ranked[:5]:
            print(line(m))
        both = max(names, key=lambda m: score(m, list(cases)))
        print(line(both) + "   <- best on both")
        picked += [ranked[0], both]
    defaults = ["rrf k=60 w=1:1 emb[q+title+text max whole]",
                "rrf k=60 w=1:2 emb[q+title+text max whole]",
                "blend raw a=0.5 emb[q+title+text max whole]"]
    print("\nDefaults worth naming:")
    for m in defaults:
        print(line(m))
    print("\nFusion grids (dev top-1 top-3, own top-1 top-3):")
    for emb in ("q+title+text max whole", "q+title+text top2 whole",
                "q+title+text+sents top2 whole"):
        print(f"  embeddings [{emb}]")
        for m, (f, _) in table.items():
            if f in ("rrf", "blend") and m.endswith(f"emb[{emb}]"):
                print("    " + line(m).removesuffix(f" emb[{emb}]"))
    best_emb = max((m for m, (f, _) in table.items() if f == "emb"),
                   key=lambda m: score(m, list(cases)))
    print(f"\nBest embeddings-alone variant on both sets: {best_emb}")

    print("\nDifference from the shipped BM25, points, mean [95% bootstrap interval]:")
    steady = ["blend raw a=0.3 emb[q+title+text top2 whole]",
              "blend raw a=0.3 emb[q+title+text+sents top2 whole]",
              "blend raw a=0.4 emb[q+title+text top2 whole]"]
    for m in dict.fromkeys([best_emb, *defaults, *picked, *steady]):
        cells = []
        for n in cases:
            base = results["bm25 (shipped)"][n]
            d1 = paired_interval(results[m][n].top1, base.top1)
            d3 = paired_interval(results[m][n].top3, base.top3)
            cells.append(f"{n} top1 {100 * d1[0]:+.1f} [{100 * d1[1]:+.1f}, {100 * d1[2]:+.1f}]"
                         f" top3 {100 * d3[0]:+.1f} [{100 * d3[1]:+.1f}, {100 * d3[2]:+.1f}]")
        print(f"  {m}: " + "; ".join(cells))

    print(f"\nLong questions only ({LONG_WORDS} words or more, in scope), top-1 / top-3 %:")
    long_cases = {n: [c for c in cs if c.long] for n, cs in cases.items()}
    for m in ["bm25 (shipped)",
              *[f"emb q+title+text max {q}" for q in QUERY_MODES],
              *[f"emb q+title+text top2 {q}" for q in QUERY_MODES],
              "rrf k=60 w=1:2 emb[q+title+text max whole]",
              "rrf k=60 w=1:2 emb[q+title+text max split-long]",
              "rrf k=30 w=2:1 emb[q+title+text+sents max whole]",
              "rrf k=30 w=2:1 emb[q+title+text+sents max split-long]"]:
        cells = []
        for n, cs in long_cases.items():
            r = evaluate(cs, table[m][1]).figures
            cells.append(f"{n} (n={sum(c.inside for c in cs)}) {pct(r['top1'])} {pct(r['top3'])}")
        print("  " + "  ".join(cells) + f"  {m}")

    # scope
    rules = scope_rules(index, kb.scope.min_score)
    for cs in cases.values():  # the rule as replicated here decides as the shipped one does
        assert all(rules["rule AND cosine"](c, 1.0, 0.0) == c.shipped_in_scope for c in cs)
    print("\nScope: balanced accuracy (in-scope accepted, out-of-scope refused), %")
    for name, cs in cases.items():
        shipped_decide = balanced(cs, lambda c: c.shipped_in_scope)
        print(f"  {name}: shipped rule {pct(shipped_decide[0])} "
              f"({pct(shipped_decide[1])} accepted, {pct(shipped_decide[2])} refused)")
    for query in ("whole", "whole+sentences"):
        cos = {n: {id(c): best_cosine(c, vectors, query) for c in cs} for n, cs in cases.items()}
        for n, cs in cases.items():
            ins = [cos[n][id(c)] for c in cs if c.inside]
            outs = [cos[n][id(c)] for c in cs if not c.inside]
            print(f"  best cosine ({query}) on {n}: in scope median {statistics.median(ins):.3f} "
                  f"(5th pct {np.percentile(ins, 5):.3f}), out of scope median "
                  f"{statistics.median(outs):.3f} (95th pct {np.percentile(outs, 95):.3f})")
        tune = "own" if "own" in cases else next(iter(cases))
        grid = np.round(np.arange(0.20, 0.80, 0.005), 3)
        for rule_name, decide in rules.items():
            def at(n: str, t: float, d: Callable[[Case, float, float], bool] = decide,
                   cos: dict[str, dict[int, float]] = cos) -> tuple[float, float, float]:
                return balanced(cases[n], lambda x: d(x, cos[n][id(x)], t))
            best_t = max(grid, key=lambda t: (at(tune, t)[0], -abs(t - 0.5)))
            cells = "  ".join(f"{n} {pct(at(n, best_t)[0])} ({pct(at(n, best_t)[1])}, "
                              f"{pct(at(n, best_t)[2])})" for n in cases)
            print(f"  [{query}] {rule_name}: threshold {best_t:.3f} (best on {tune}): {cells}")
            if query == "whole" and rule_name == "rule AND cosine":
                for t in (0.40, 0.45, 0.475, 0.50, 0.525, 0.55, 0.575, 0.60):
                    cells = "  ".join(f"{n} {pct(at(n, t)[0])} ({pct(at(n, t)[1])}, "
                                      f"{pct(at(n, t)[2])})" for n in cases)
                    print(f"      threshold {t:.3f}: {cells}")

    # latency of the embedding path
    every = [c.row["question"] for cs in cases.values() for c in cs]
    times = []
    for q in every:
        t0 = time.perf_counter()
        w = embedder.embed([q])
        _ = vectors.vectors @ w[0]
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"\nEmbedding one question and scoring every entry vector ({threads} threads): median "
          f"{statistics.median(times):.1f} ms, p95 {times[round(0.95 * len(times)) - 1]:.1f} ms, "
          f"max {times[-1]:.1f} ms over {len(times)} questions")


if __name__ == "__main__":
    main()
