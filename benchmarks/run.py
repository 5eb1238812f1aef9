"""Run every benchmark and print one table; also saved to build/benchmarks.json.

Usage: python3 dev.py bench
"""

from __future__ import annotations

import json
import platform
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import diary
import fhir_cost
import first_help
import insights_cost
import load
import pdf_cost
import qa_eval
import startup
import web

SUITES = [startup, diary, web, first_help, insights_cost, pdf_cost, fhir_cost, load, qa_eval]


def main() -> int:
    rows = [row for suite in SUITES for row in suite.main()]
    width = max(len(str(r["benchmark"])) for r in rows)
    print(f"{date.today()} · {platform.python_version()} · {platform.machine()}")
    for r in rows:
        figures = "  ".join(f"{k}={v}" for k, v in r.items() if k not in ("benchmark", "met"))
        print(f"{r['benchmark']:<{width}}  {figures}  {'ok' if r['met'] else 'MISSED'}")
    out = Path(__file__).resolve().parent.parent / "build" / "benchmarks.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"date": str(date.today()), "results": rows}, indent=2))
    return 0 if all(r["met"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
