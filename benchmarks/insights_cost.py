"""What the insights cost, against what they must cost (issue 16).

For diaries of one month, two years and ten years (the ten-year diary of
``diary.py``, cut), the median time of ``GET /insights`` (the page) and
``GET /api/insights`` (the JSON) over HTTP from ``spasmcare serve``, on a
kept-alive connection, beside raw
sqlite3 doing the four aggregates over the same rows on the same file:
episodes, sessions by kind with their relief, medicines by name, habits of
the last 30 days by kind.

Goals: each within 5x of the raw aggregate, and ten years within 1.5x of one
month (flat in the size of the diary).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diary import recent, ten_year_diary
from serving import Client, median_ms, spasmcare
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore

RUNS = 60
SIZES = {"1 month": 31, "2 years": 730, "10 years": 3650}
ROUTES = ("/insights", "/api/insights")
RATIO_GOAL = 5.0
FLAT_GOAL = 1.5


def raw_aggregates(path: Path, now: datetime) -> Callable[[], object]:
    """The reference: the four aggregates in plain SQL on an open connection."""
    conn = sqlite3.connect(path)
    since = (now - timedelta(days=31)).astimezone(UTC).replace(tzinfo=None).isoformat(" ")

    def run() -> object:
        return (
            conn.execute("SELECT onset, ended_at, triggers FROM episodes "
                         "ORDER BY onset").fetchall(),
            conn.execute("SELECT kind, count(*), avg(pain_before - pain_after) "
                         "FROM treatment_sessions GROUP BY kind").fetchall(),
            conn.execute("SELECT lower(name), count(*) FROM medicines GROUP BY 1").fetchall(),
            conn.execute("SELECT kind, sum(amount) FROM habit_logs WHERE at >= ? "
                         "GROUP BY kind", (since,)).fetchall(),
        )
    return run


def main() -> list[dict[str, object]]:
    now = datetime.now(UTC)
    full = ten_year_diary(now)
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size, days in SIZES.items():
            path = Path(tmp) / f"{days}.sqlite3"
            url = f"sqlite:///{path}"
            DiaryStore.for_local_user(open_engine(url)).import_diary(
                recent(full, now - timedelta(days=days)))
            row = {"raw": median_ms(raw_aggregates(path, now), RUNS)}
            with spasmcare(url, Path(tmp)) as port:
                client = Client(port)
                for route in ROUTES:
                    assert client.request("GET", route)[0] == 200
                    row[route] = median_ms(lambda c=client, r=route: c.request("GET", r),
                                           RUNS)
                client.close()
            figures[size] = row
    rows: list[dict[str, object]] = []
    for route in ROUTES:
        for size, row in figures.items():
            ratio = row[route] / row["raw"]
            rows.append({"benchmark": f"insights: {route}, {size}",
                         "median_ms": round(row[route], 2), "raw_ms": round(row["raw"], 3),
                         "ratio": round(ratio, 1), "goal": f"<= {RATIO_GOAL:g}x raw",
                         "met": ratio <= RATIO_GOAL})
        flat = figures["10 years"][route] / figures["1 month"][route]
        rows.append({"benchmark": f"insights: {route}, 10 years / 1 month",
                     "ratio": round(flat, 2), "goal": f"<= {FLAT_GOAL:g}x",
                     "met": flat <= FLAT_GOAL})
    return rows


if __name__ == "__main__":
    for r in main():
        print(r)
