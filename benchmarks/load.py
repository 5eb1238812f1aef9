"""What a create costs, and the app under load (issue 16).

1. ``POST /api/pain`` from 8 kept-alive clients for a while, beside the bare
   FastAPI endpoint of ``bare_app.py`` doing the same single-row insert with
   the same durability. Goal: at least 60% of its throughput.
2. 50 simulated people for 60 s (``SPASMCARE_LOAD_SECONDS`` to change), on
   SQLite and, when ``SPASMCARE_TEST_DATABASE_URL`` names a scratch
   PostgreSQL database, on PostgreSQL: each logs pain, records sessions and
   reads the plan and the insights. Reported: requests a second, p50 and p99
   per route, and the writes the server acknowledged against the rows stored
   afterwards, which must match.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diary import recent, ten_year_diary
from serving import Client, Load, bare, percentile, spasmcare
from spasmcare.core.loader import load_knowledge
from spasmcare.store import tables
from spasmcare.store.database import make_engine, open_engine
from spasmcare.store.diary import DiaryStore

CREATE_USERS, CREATE_SECONDS, ROUNDS = 8, 5.0, 5
PEOPLE = 50
SECONDS = float(os.environ.get("SPASMCARE_LOAD_SECONDS", "60"))
SHARE_GOAL = 0.6


def _creates(port: int, path: str) -> float:
    load = Load(port, CREATE_USERS, CREATE_SECONDS)
    spent = load.run(lambda client, n, record: record(client, "create", "POST", path,
                                                      {"pain": 4}))
    return load.statuses["create"].get(201, 0) / spent


def create_cost(tmp: Path) -> list[dict[str, object]]:
    """Both servers run side by side, measured in turns (ROUNDS of each, one
    after the other), so that a slow spell of the shared machine falls on
    both; the share is the median of the rounds' shares."""
    with (bare(tmp / "bare.sqlite3") as bare_port,
          spasmcare(f"sqlite:///{tmp / 'creates.sqlite3'}", tmp) as port):
        rounds = [(_creates(port, "/api/pain"), _creates(bare_port, "/pain"))
                  for _ in range(ROUNDS)]
    shares = sorted(ours / reference for ours, reference in rounds)
    share = statistics.median(shares)
    return [{"benchmark": "POST /api/pain, 8 clients",
             "req_s": round(statistics.median(ours for ours, _ in rounds)),
             "bare_req_s": round(statistics.median(reference for _, reference in rounds)),
             "share": round(share, 2), "shares": [round(x, 2) for x in shares],
             "goal": f">= {SHARE_GOAL:.0%} of the bare endpoint", "met": share >= SHARE_GOAL}]


def _person(client: Client, n: int, record: Any) -> None:
    """One simulated person's next step: mostly writes, with reads between."""
    rng = random.Random()
    roll = rng.random()
    if roll < 0.35:
        record(client, "POST /api/pain", "POST", "/api/pain", {"pain": rng.randint(0, 10)})
    elif roll < 0.6:
        record(client, "POST /api/sessions", "POST", "/api/sessions", {
            "kind": rng.choice(("ice", "heat", "walk", "stretch")), "minutes": 15.0,
            "started_at": datetime.now(UTC).isoformat(), "pain_before": 6, "pain_after": 4})
    elif roll < 0.8:
        record(client, "GET /api/plan", "GET", "/api/plan")
    else:
        record(client, "GET /api/insights", "GET", "/api/insights")


def _stored(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = sum(conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (tables.pain_entries, tables.treatment_sessions))
    engine.dispose()
    return n


def under_load(backend: str, url: str, tmp: Path) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    store = DiaryStore.for_local_user(open_engine(url))
    store.import_diary(recent(ten_year_diary(now), now - timedelta(days=730)))
    before = _stored(url)
    with spasmcare(url, tmp) as port:
        client = Client(port)
        no_flags = {f.id: False for f in load_knowledge().triage.findings}
        status, body = client.request("POST", "/api/episodes",
                                      {"answers": {"findings": no_flags}})
        assert status == 201, body
        client.close()
        load = Load(port, PEOPLE, SECONDS)
        spent = load.run(_person)
    acknowledged = sum(s.get(201, 0) for route, s in load.statuses.items()
                       if route.startswith("POST"))
    stored = _stored(url) - before
    total = sum(len(t) for t in load.times.values())
    rows: list[dict[str, object]] = [{
        "benchmark": f"load: {PEOPLE} people, {SECONDS:.0f} s, {backend}",
        "req_s": round(total / spent), "acknowledged_writes": acknowledged,
        "stored_rows": stored, "goal": "acknowledged writes = stored rows",
        "met": acknowledged == stored}]
    for route, times in sorted(load.times.items()):
        failed = sum(n for status, n in load.statuses[route].items() if status >= 400)
        rows.append({"benchmark": f"load: {route}, {backend}", "requests": len(times),
                     "p50_ms": round(percentile(times, 0.5), 1),
                     "p99_ms": round(percentile(times, 0.99), 1), "errors": failed,
                     "goal": "no errors", "met": failed == 0})
    return rows


def main() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        rows = create_cost(tmp)
        rows += under_load("SQLite", f"sqlite:///{tmp / 'load.sqlite3'}", tmp)
        pg = os.environ.get("SPASMCARE_TEST_DATABASE_URL")
        if pg:
            engine = make_engine(pg)
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
                conn.exec_driver_sql("CREATE SCHEMA public")
            engine.dispose()
            rows += under_load("PostgreSQL", pg, tmp)
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
