"""Cold start of the contract commands (issue 16: each within 2x of
``python -c "import pydantic, typer, yaml"``, measured in the same run).

Each command runs as a fresh process, the way a person or a script runs it,
after one warm-up run (bytecode, disk cache and the kept knowledge base), on
an empty diary. The runs of the reference and of every command are
interleaved, so a slow moment of the machine falls on all of them alike.
``serve`` counts until its first page is answered.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from serving import free_port

GOAL_RATIO = 2.0
RUNS = 15
REFERENCE = "python -c 'import pydantic, typer, yaml'"


def commands(workdir: Path) -> dict[str, list[str]]:
    answers = workdir / "answers.json"
    answers.write_text(json.dumps({"days_since_onset": 2, "pain_score": 7,
                                   "findings": {"fever": False, "saddle_numbness": False}}))
    return {
        "triage --answers F --json": ["triage", "--answers", str(answers), "--json"],
        "plan --onset --now --json": ["plan", "--onset", "2026-11-20T08:00:00+00:00",
                                      "--now", "2026-11-21T10:00:00+00:00", "--json"],
        "kb --json": ["kb", "--json"],
        "ask Q --json": ["ask", "is heat or ice better for a spasm", "--json"],
        "export json --out F": ["export", "json", "--out", str(workdir / "out.json")],
    }


def _timed(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _process(args: list[str], env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([sys.executable, *args], check=True, capture_output=True, env=env)
    return run


def _serve(env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "spasmcare", "serve", "--port", str(port)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/static/app.css",
                                           timeout=1).close()
                    return
                except OSError:
                    if proc.poll() is not None:
                        raise RuntimeError("spasmcare serve did not start") from None
                    time.sleep(0.005)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return run


def main() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "HOME": str(root), "SPASMCARE_CACHE_DIR": str(root / "cache"),
               "SPASMCARE_DATABASE_URL": f"sqlite:///{root / 'diary.sqlite3'}"}
        runs: dict[str, Callable[[], None]] = {
            REFERENCE: _process(["-c", "import pydantic, typer, yaml"], env)}
        for name, args in commands(root).items():
            runs[f"spasmcare {name}"] = _process(["-m", "spasmcare", *args], env)
        runs["spasmcare serve (first page)"] = _serve(env)
        for run in runs.values():
            run()  # warm-up
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(RUNS):
            for name, run in runs.items():
                times[name].append(_timed(run))
    reference = statistics.median(times.pop(REFERENCE))
    rows = []
    for name, t in times.items():
        median = statistics.median(t)
        rows.append({"benchmark": f"startup: {name}", "median_s": round(median, 3),
                     "max_s": round(max(t), 3), "reference_s": round(reference, 3),
                     "ratio": round(median / reference, 2), "goal": f"<= {GOAL_RATIO}x",
                     "met": median / reference <= GOAL_RATIO})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
