"""Question answering measured on real questions (issue 5).

Reads ../shared/eval/questions_dev.jsonl at run time (it is never copied into
the repository) and reports, on the in-scope questions, how often the first
answer's topic is one of the question's topics (top-1) and how often any of
the up to three answers' topics is (top-3); the share of out-of-scope
questions refused; safety recall for questions that describe an emergency or
urgent finding and false alarms on questions that describe none; the same
accuracy for a plain BM25 baseline (bm25s over entry texts only: no synonyms,
fields, stems or repairs); warm latency per question; and the cold start of
`spasmcare ask` as a whole process.

Usage: python3 benchmarks/qa_eval.py [--misses]   (--misses lists what went wrong:
wrong topics and refusals, then safety tiers missed and false alarms)
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT.parent / "shared" / "eval" / "questions_dev.jsonl"
OUT = "out-of-scope"
COLD_RUNS = 10
RANK = {"self-care": 0, "none": 0, "soon": 1, "urgent": 2, "emergency": 3}

Picker = Callable[[str], tuple[bool, list[str]]]  # question -> (in scope, answer topics)


def load_questions() -> list[dict[str, Any]]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def accuracy(rows: list[dict[str, Any]], pick: Picker) -> dict[str, float]:
    """Top-1 and top-3 topic accuracy on in-scope rows, and the refused share
    of out-of-scope rows."""
    top1 = top3 = refused = 0
    inside = [r for r in rows if r["topics"] != [OUT]]
    outside = [r for r in rows if r["topics"] == [OUT]]
    for r in inside:
        in_scope, topics = pick(r["question"])
        if in_scope and topics:
            top1 += topics[0] in r["topics"]
            top3 += any(t in r["topics"] for t in topics[:3])
    for r in outside:
        refused += not pick(r["question"])[0]
    return {"top1": top1 / len(inside), "top3": top3 / len(inside),
            "refused": refused / len(outside) if outside else 1.0}


def ours() -> tuple[Picker, Callable[[str], str] | None, Callable[[str], Any]]:
    """The shipped method; the safety screen's urgency when it exists."""
    from spasmcare.core.loader import load_index, load_knowledge

    kb, index = load_knowledge(), load_index()
    try:
        from spasmcare.core.questions.answering import answer
    except ImportError:  # the safety screen is not there yet: retrieval alone
        def pick(q: str) -> tuple[bool, list[str]]:
            ranking = index.search(q)
            ok = bool(ranking.hits) and index.scope.covers(ranking.terms, ranking.best)
            return ok, [h.topic for h in ranking.answers()] if ok else []

        return pick, None, pick

    def pick_answer(q: str) -> tuple[bool, list[str]]:
        a = answer(q, kb, index)
        return a.in_scope, [i.topic for i in a.answers]

    return (pick_answer, lambda q: answer(q, kb, index).safety.urgency.value,
            lambda q: answer(q, kb, index))


def baseline() -> Picker:
    import bm25s

    from spasmcare.core.loader import load_knowledge

    entries = [e for e in load_knowledge().entries if e.topic]
    retriever = bm25s.BM25()
    corpus = bm25s.tokenize([e.text for e in entries], stopwords="en", show_progress=False,
                            return_ids=False)
    retriever.index(corpus, show_progress=False)

    def pick(q: str) -> tuple[bool, list[str]]:
        tokens = bm25s.tokenize([q], stopwords="en", show_progress=False, return_ids=False)[0]
        if not any(t in retriever.vocab_dict for t in tokens):
            return True, []
        scores = retriever.get_scores([t for t in tokens if t in retriever.vocab_dict])
        best = sorted(range(len(entries)), key=lambda i: -scores[i])[:3]
        return True, [str(entries[i].topic) for i in best if scores[i] > 0]

    return pick


def safety(rows: list[dict[str, Any]], urgency: Callable[[str], str]) -> dict[str, Any]:
    def recall(tier: str) -> tuple[int, int]:
        wanted = [r for r in rows if r["urgency"] == tier]
        hit = sum(RANK[urgency(r["question"])] >= RANK[tier] for r in wanted)
        return hit, len(wanted)

    none = [r for r in rows if r["urgency"] == "none"]
    alarms = sum(urgency(r["question"]) != "self-care" for r in none)
    return {"emergency": recall("emergency"), "urgent": recall("urgent"),
            "false_alarms": alarms / len(none) if none else 0.0}


def latency(rows: list[dict[str, Any]], run: Callable[[str], Any]) -> tuple[float, float]:
    for r in rows:  # warm: index built, caches filled
        run(r["question"])
    times = []
    for r in rows:
        start = time.perf_counter()
        run(r["question"])
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def cold_start() -> tuple[float, float]:
    cmd = [sys.executable, "-m", "spasmcare", "ask", "heat or ice for a back spasm?", "--json"]
    subprocess.run(cmd, check=True, capture_output=True)  # bytecode, disk cache
    times = []
    for _ in range(COLD_RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def main(show_misses: bool = False) -> list[dict[str, object]]:
    rows = load_questions()
    pick, urgency, run = ours()
    mine, base = accuracy(rows, pick), accuracy(rows, baseline())
    if show_misses:
        misses(rows, pick)
        if urgency is not None:
            safety_misses(rows, urgency)
    n_in = sum(r["topics"] != [OUT] for r in rows)
    out = [
        {"benchmark": "qa: top-1 topic accuracy", "in_scope_questions": n_in,
         "value": pct(mine["top1"]), "baseline_bm25": pct(base["top1"]),
         "goal": ">= 75%", "met": mine["top1"] >= 0.75},
        {"benchmark": "qa: top-3 topic accuracy", "value": pct(mine["top3"]),
         "baseline_bm25": pct(base["top3"]), "goal": ">= 90%", "met": mine["top3"] >= 0.90},
        {"benchmark": "qa: out-of-scope questions refused", "out_of_scope_questions":
         len(rows) - n_in, "value": pct(mine["refused"]), "goal": ">= 85%",
         "met": mine["refused"] >= 0.85},
    ]
    if urgency is None:
        out += [{"benchmark": f"qa: safety {what}", "value": "pending (no safety screen yet)",
                 "goal": goal, "met": False}
                for what, goal in (("emergency recall", "every one"), ("urgent recall", "reported"),
                                   ("false alarms", "< 5%"))]
    else:
        s = safety(rows, urgency)
        (eh, en), (uh, un) = s["emergency"], s["urgent"]
        out += [
            {"benchmark": "qa: safety emergency recall", "value": f"{eh}/{en}",
             "goal": "every one", "met": eh == en},
            {"benchmark": "qa: safety urgent recall", "value": f"{uh}/{un}",
             "goal": "reported", "met": True},
            {"benchmark": "qa: safety false alarms", "value": pct(s["false_alarms"]),
             "goal": "< 5%", "met": s["false_alarms"] < 0.05},
        ]
    median_ms, p95_ms = latency(rows, run)
    cold_median, cold_p95 = cold_start()
    out += [
        {"benchmark": "qa: warm latency per question", "median_ms": round(median_ms, 2),
         "p95_ms": round(p95_ms, 2), "goal": "p95 < 30 ms", "met": p95_ms < 30},
        {"benchmark": "qa: cold start spasmcare ask --json", "median_s": round(cold_median, 3),
         "p95_s": round(cold_p95, 3), "goal": "< 2 s", "met": cold_p95 < 2},
    ]
    return out


def misses(rows: list[dict[str, Any]], pick: Picker) -> None:
    for r in rows:
        in_scope, topics = pick(r["question"])
        wrong = (not in_scope or not topics or topics[0] not in r["topics"]
                 if r["topics"] != [OUT] else in_scope)
        if wrong:
            print(f"{r['id']}: expected {r['topics']}, got {topics if in_scope else OUT}: "
                  f"{' '.join(r['question'].split())[:120]}", file=sys.stderr)



def safety_misses(rows: list[dict[str, Any]], urgency: Callable[[str], str]) -> None:
    """Questions whose screen falls short of their tier, and false alarms."""
    for r in rows:
        got = urgency(r["question"])
        short = RANK[got] < RANK[r["urgency"]]
        alarm = r["urgency"] == "none" and got != "self-care"
        if short or alarm:
            print(f"{r['id']}: safety expected {r['urgency']} {r['findings']}, got {got}: "
                  f"{' '.join(r['question'].split())[:120]}", file=sys.stderr)


if __name__ == "__main__":
    for row in main(show_misses="--misses" in sys.argv):
        print(row)
