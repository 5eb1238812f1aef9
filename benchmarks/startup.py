"""Cold start of the contract commands (issue 16: each within 2x of
``python -c "import pydantic, typer, yaml"``, measured in the same run).

Each command runs as a fresh process, the way a person or a script runs it,
after one warm-up run (bytecode, disk cache and the kept knowledge base), on
an empty diary. The runs of the reference and of every command are
interleaved, so a slow moment of the machine falls on all of them alike.
``serve`` counts until its first page is answered.

Some commands cannot start without libraries that the reference does not
import (the database's, the web server's, the question answering's model
runtime). For those, a process that imports the reference and those
libraries alone is timed as well ("libraries_s"), which says how much of the
command's start is SpasmCare's own ("own_s").
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
BASE = ["pydantic", "typer", "yaml"]
# What a command must import beyond the reference, by command name.
LIBRARIES = {
    "ask Q --json": ["numpy", "onnxruntime", "tokenizers", "bm25s", "Stemmer", "rapidfuzz"],
    "export json --out F": ["sqlalchemy"],
    "serve (first page)": ["sqlalchemy", "fastapi", "uvicorn", "jinja2"],
}


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


def _process(args: list[str], env: dict[str, str]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True, env=env)
        return time.perf_counter() - start
    return run


def _imports(modules: list[str], env: dict[str, str]) -> Callable[[], float]:
    return _process(["-c", f"import {', '.join(modules)}"], env)


def _serve(env: dict[str, str]) -> Callable[[], float]:
    """Seconds until the first page is answered (stopping the server is not
    counted: it waits for the warm-up that start-up leaves running)."""
    def run() -> float:
        port = free_port()
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "spasmcare", "serve", "--port", str(port)],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/static/app.css",
                                           timeout=1).close()
                    return time.perf_counter() - start
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
        # pip byte-compiled the libraries when it installed them; the warm-up
        # run byte-compiles SpasmCare's own modules alike (an editable install
        # has none), also where the machine sets PYTHONDONTWRITEBYTECODE.
        inherited = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = {**inherited, "HOME": str(root), "SPASMCARE_CACHE_DIR": str(root / "cache"),
               "SPASMCARE_DATABASE_URL": f"sqlite:///{root / 'diary.sqlite3'}"}
        runs: dict[str, Callable[[], float]] = {REFERENCE: _imports(BASE, env)}
        for name, args in commands(root).items():
            runs[name] = _process(["-m", "spasmcare", *args], env)
        runs["serve (first page)"] = _serve(env)
        for name, libraries in LIBRARIES.items():
            runs[f"libraries of {name}"] = _imports(BASE + libraries, env)
        for run in runs.values():
            run()  # warm-up
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(RUNS):
            for name, run in runs.items():
                times[name].append(run())
    medians = {name: statistics.median(t) for name, t in times.items()}
    reference = medians[REFERENCE]
    rows = []
    for name, t in times.items():
        if name == REFERENCE or name.startswith("libraries of "):
            continue
        median = medians[name]
        row: dict[str, object] = {
            "benchmark": f"startup: spasmcare {name}", "median_s": round(median, 3),
            "max_s": round(max(t), 3), "reference_s": round(reference, 3),
            "ratio": round(median / reference, 2), "goal": f"<= {GOAL_RATIO}x",
            "met": median / reference <= GOAL_RATIO}
        libraries = medians.get(f"libraries of {name}")
        if libraries is not None:
            row |= {"libraries_s": round(libraries, 3), "own_s": round(median - libraries, 3)}
        rows.append(row)
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
