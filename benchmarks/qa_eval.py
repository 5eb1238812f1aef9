"""Question answering measured on labelled questions (issues 5 and 10).

Reads ../shared/eval/questions_dev.jsonl at run time (real questions; never
copied into the repository) and our own harder sets in benchmarks/questions/
(forum-style posts, relatives, spine conditions, scans, crisis words and
out-of-scope posts that mention the back, written for SpasmCare), and reports
for each set, on the in-scope questions, how often the first
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
SETS = {"dev": ROOT.parent / "shared" / "eval" / "questions_dev.jsonl",
        "own": ROOT / "benchmarks" / "questions"}
OUT = "out-of-scope"
COLD_RUNS = 10
RANK = {"self-care": 0, "none": 0, "soon": 1, "urgent": 2, "emergency": 3}

Picker = Callable[[str], tuple[bool, list[str]]]  # question -> (in scope, answer topics)


def load_questions(name: str = "dev") -> list[dict[str, Any]]:
    """The labelled rows of one set ("dev" or "own"); empty when it is absent."""
    where = SETS[name]
    files = sorted(where.glob("*.jsonl")) if where.is_dir() else [where] if where.exists() else []
    return [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()
            if line.strip()]


Answerer = Callable[[str], Any]  # question -> core Answer


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
    return {"top1": top1 / len(inside) if inside else 0.0,
            "top3": top3 / len(inside) if inside else 0.0,
            "refused": refused / len(outside) if outside else 1.0}


def ours(remember: bool = True, net: bool = True) -> Answerer:
    """The shipped method; with ``remember``, each question is answered once;
    without ``net``, the safety screen uses its phrases alone."""
    import functools

    from spasmcare.core.loader import english_words, load_index, load_knowledge
    from spasmcare.core.questions.answering import answer
    from spasmcare.core.questions.retrieval import Index

    kb = load_knowledge()
    index = load_index() if net else Index(kb, english_words())

    def run(q: str) -> Any:
        return answer(q, kb, index)

    return functools.cache(run) if remember else run


def picker(run: Answerer) -> Picker:
    def pick(q: str) -> tuple[bool, list[str]]:
        a = run(q)
        return a.in_scope, [i.topic for i in a.answers]

    return pick


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


def safety(rows: list[dict[str, Any]], run: Answerer) -> dict[str, Any]:
    """Recall per tier (a question counts when its urgency reaches its label's
    tier), crisis recall and false crisis, and false alarms: urgent or
    emergency on a question that describes no finding."""
    def recall(tier: str) -> tuple[int, int]:
        wanted = [r for r in rows if r["urgency"] == tier and not r.get("crisis")]
        hit = sum(RANK[run(r["question"]).safety.urgency.value] >= RANK[tier] for r in wanted)
        return hit, len(wanted)

    crisis = [r for r in rows if r.get("crisis")]
    calm = [r for r in rows if not r.get("crisis")]
    none = [r for r in calm if r["urgency"] == "none"]
    alarms = sum(RANK[run(r["question"]).safety.urgency.value] >= RANK["urgent"] for r in none)
    return {"emergency": recall("emergency"), "urgent": recall("urgent"), "soon": recall("soon"),
            "crisis": (sum(run(r["question"]).safety.crisis for r in crisis), len(crisis)),
            "false_crisis": sum(run(r["question"]).safety.crisis for r in calm),
            "false_alarms": (alarms, len(none))}


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
    run = ours()
    phrases_only = ours(net=False)
    base = baseline()
    out: list[dict[str, object]] = []
    every: list[dict[str, Any]] = []
    for name in SETS:
        rows = load_questions(name)
        if not rows:
            out.append({"benchmark": f"qa[{name}]: no questions", "value": str(SETS[name]),
                        "goal": "present", "met": False})
            continue
        every += rows
        out += figures(name, rows, run, base)
        out += net_figures(name, rows, phrases_only)
        if show_misses:
            misses(name, rows, picker(run))
            safety_misses(name, rows, run)
    median_ms, p95_ms = latency(every, ours(remember=False))
    cold_median, cold_p95 = cold_start()
    out += [
        {"benchmark": "qa: warm latency per question (all sets)", "median_ms": round(median_ms, 2),
         "p95_ms": round(p95_ms, 2), "goal": "p95 < 30 ms", "met": p95_ms < 30},
        {"benchmark": "qa: cold start spasmcare ask --json", "median_s": round(cold_median, 3),
         "p95_s": round(cold_p95, 3), "goal": "< 2 s", "met": cold_p95 < 2},
    ]
    return out


def figures(name: str, rows: list[dict[str, Any]], run: Answerer,
            base: Picker) -> list[dict[str, object]]:
    mine, plain = accuracy(rows, picker(run)), accuracy(rows, base)
    n_in = sum(r["topics"] != [OUT] for r in rows)
    s = safety(rows, run)
    (eh, en), (uh, un), (sh, sn) = s["emergency"], s["urgent"], s["soon"]
    (ch, cn), (fa, fn) = s["crisis"], s["false_alarms"]
    urgent_share = uh / un if un else 1.0
    return [
        {"benchmark": f"qa[{name}]: top-1 topic", "in_scope": n_in, "value": pct(mine["top1"]),
         "baseline_bm25": pct(plain["top1"]), "goal": ">= 75%", "met": mine["top1"] >= 0.75},
        {"benchmark": f"qa[{name}]: top-3 topic", "value": pct(mine["top3"]),
         "baseline_bm25": pct(plain["top3"]), "goal": ">= 90%", "met": mine["top3"] >= 0.90},
        {"benchmark": f"qa[{name}]: out of scope refused", "out_of_scope": len(rows) - n_in,
         "value": pct(mine["refused"]), "goal": ">= 85%", "met": mine["refused"] >= 0.85},
        {"benchmark": f"qa[{name}]: emergency escalated", "value": f"{eh}/{en}",
         "goal": "every one", "met": eh == en},
        {"benchmark": f"qa[{name}]: urgent escalated (urgent or higher)", "value": f"{uh}/{un}",
         "goal": ">= 90%", "met": urgent_share >= 0.9},
        {"benchmark": f"qa[{name}]: soon escalated (soon or higher)", "value": f"{sh}/{sn}",
         "goal": "reported", "met": True},
        {"benchmark": f"qa[{name}]: crisis recognised", "value": f"{ch}/{cn}",
         "false_crisis": s["false_crisis"], "goal": "every one, no false",
         "met": ch == cn and s["false_crisis"] == 0},
        {"benchmark": f"qa[{name}]: false alarms (urgent+ on no finding)",
         "value": f"{pct(fa / fn if fn else 0.0)} ({fa}/{fn})", "goal": "< 5%",
         "met": (fa / fn if fn else 0.0) < 0.05},
    ]


def net_figures(name: str, rows: list[dict[str, Any]],
                phrases_only: Answerer) -> list[dict[str, object]]:
    """The safety figures of the phrases alone, beside the shipped two nets."""
    s = safety(rows, phrases_only)
    (eh, en), (uh, un), (ch, cn), (fa, fn) = (s["emergency"], s["urgent"], s["crisis"],
                                              s["false_alarms"])
    return [{"benchmark": f"qa[{name}]: safety, phrases alone (no second net)",
             "emergency": f"{eh}/{en}", "urgent": f"{uh}/{un}", "crisis": f"{ch}/{cn}",
             "false_alarms": f"{pct(fa / fn if fn else 0.0)} ({fa}/{fn})", "goal": "reported",
             "met": True}]


def misses(name: str, rows: list[dict[str, Any]], pick: Picker) -> None:
    for r in rows:
        in_scope, topics = pick(r["question"])
        wrong = (not in_scope or not topics or topics[0] not in r["topics"]
                 if r["topics"] != [OUT] else in_scope)
        if wrong:
            print(f"[{name}] {r['id']}: expected {r['topics']}, got "
                  f"{topics if in_scope else OUT}: {' '.join(r['question'].split())[:140]}",
                  file=sys.stderr)


def safety_misses(name: str, rows: list[dict[str, Any]], run: Answerer) -> None:
    """Questions whose screen falls short of their tier or crisis, and false alarms."""
    for r in rows:
        got = run(r["question"]).safety
        short = RANK[got.urgency.value] < RANK[r["urgency"]]
        alarm = r["urgency"] == "none" and RANK[got.urgency.value] >= RANK["urgent"]
        crisis = bool(r.get("crisis")) != got.crisis
        if short or alarm or crisis:
            print(f"[{name}] {r['id']}: safety expected {r['urgency']} {r['findings']}"
                  f"{' crisis' if r.get('crisis') else ''}, got {got.urgency.value} "
                  f"{list(got.findings)}{' crisis' if got.crisis else ''}: "
                  f"{' '.join(r['question'].split())[:160]}", file=sys.stderr)


if __name__ == "__main__":
    for row in main(show_misses="--misses" in sys.argv):
        print(row)
