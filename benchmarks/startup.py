"""Whole-process start-up of the contract commands (issue: each under 0.5 s).

Runs each command as a fresh process, the way a person or a script does,
after one warm-up run, and reports the median, 95th percentile and worst
wall-clock time.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 0.5
RUNS = 20


def commands(workdir: Path) -> dict[str, list[str]]:
    answers = workdir / "answers.json"
    answers.write_text(json.dumps({"days_since_onset": 2, "pain_score": 7,
                                   "findings": {"fever": False, "saddle_numbness": False}}))
    return {
        "triage --answers F --json": ["triage", "--answers", str(answers), "--json"],
        "plan --onset --now --json": ["plan", "--onset", "2026-11-20T08:00:00+00:00",
                                      "--now", "2026-11-21T10:00:00+00:00", "--json"],
        "kb --json": ["kb", "--json"],
    }


def time_command(args: list[str], runs: int) -> list[float]:
    exe = [sys.executable, "-m", "spasmcare", *args]
    subprocess.run(exe, check=True, capture_output=True)  # warm-up: bytecode, disk cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(exe, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> list[dict[str, object]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in commands(Path(tmp)).items():
            t = sorted(time_command(args, RUNS))
            p95 = t[max(0, round(0.95 * len(t)) - 1)]
            rows.append({"benchmark": f"startup: spasmcare {name}",
                         "median_s": round(statistics.median(t), 3), "p95_s": round(p95, 3),
                         "max_s": round(t[-1], 3), "goal": f"< {GOAL_SECONDS} s",
                         "met": p95 < GOAL_SECONDS})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
