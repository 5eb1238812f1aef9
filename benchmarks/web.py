"""Every page renders server-side in under 50 ms at the 95th percentile with a
two-year diary, and the first load of a page (HTML plus the CSS and scripts it
references) transfers under 300 KB."""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from diary import recent, ten_year_diary
from spasmcare.core.loader import load_knowledge
from spasmcare.settings import Settings
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore
from spasmcare.web.app import create_app

PAGES = ["/", "/triage", "/plan", "/timer/ice", "/diary", "/insights", "/learn",
         "/learn/ice-or-heat", "/learn?q=heat+or+ice+for+a+back+spasm", "/prevention",
         "/settings", "/report"]
RUNS = 40
GOAL_MS = 50
GOAL_KB = 300
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def main() -> list[dict[str, object]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'two-years.sqlite3'}"
        now = datetime.now(UTC)
        diary = recent(ten_year_diary(now), now.replace(year=now.year - 2))
        DiaryStore.for_local_user(open_engine(url)).import_diary(diary)
        with TestClient(create_app(Settings(database_url=url)),
                        base_url="http://127.0.0.1") as client:
            no_flags = {f.id: False for f in load_knowledge().triage.findings}
            created = client.post("/api/episodes", json={"onset": datetime.now(UTC).isoformat(),
                                                         "answers": {"findings": no_flags}})
            assert created.status_code == 201, created.text
            for path in PAGES:
                first = client.get(path)
                if first.status_code != 200:
                    rows.append({"benchmark": f"web: {path}", "status": first.status_code,
                                 "goal": "200", "met": False})
                    continue
                times = []
                for _ in range(RUNS):
                    start = time.perf_counter()
                    client.get(path)
                    times.append((time.perf_counter() - start) * 1000)
                times.sort()
                p95 = times[round(0.95 * len(times)) - 1]
                assets = sorted(set(ASSET.findall(first.text)))
                size = len(first.content) + sum(len(client.get(a).content) for a in assets)
                rows.append({"benchmark": f"web: {path}",
                             "median_ms": round(statistics.median(times), 1),
                             "p95_ms": round(p95, 1), "first_load_kb": round(size / 1024, 1),
                             "goal": f"p95 < {GOAL_MS} ms, < {GOAL_KB} KB",
                             "met": p95 < GOAL_MS and size < GOAL_KB * 1024})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
