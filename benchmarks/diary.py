"""A ten-year diary (about 40,000 records), as whole processes on an SQLite
file: `spasmcare insights` under 1 s; a JSON export plus re-import into an
empty database under 10 s; the same for a FHIR Bundle under 60 s; the PDF
report of the last 30 days, and of all ten years, and the calendar."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitKind,
    HabitLog,
    MedicineTaken,
    PainEntry,
    TreatmentKind,
    TreatmentSession,
    Trigger,
)
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore

YEARS = 10


def ten_year_diary(end: datetime, seed: int = 7) -> Diary:
    """Daily pain entries, a few sessions and habits a day, ~60 episodes."""
    rng = random.Random(seed)
    start = end - timedelta(days=365 * YEARS)
    episodes = []
    day = start
    while (day := day + timedelta(days=rng.randint(30, 90))) < end - timedelta(days=14):
        length = timedelta(days=rng.randint(2, 12))
        episodes.append(Episode(onset=day, ended_at=min(day + length, end),
                                triggers=tuple(rng.sample(list(Trigger), rng.randint(0, 2))),
                                region="lower"))
    pain, sessions, medicines, habits = [], [], [], []
    kinds = list(TreatmentKind)
    for d in range(365 * YEARS):
        midnight = start + timedelta(days=d)
        for hour in (8, 20):
            score = rng.randint(0, 10)
            pain.append(PainEntry(at=midnight + timedelta(hours=hour), pain=score,
                                  severity="severe" if score >= 7 else "mild"))
        for hour in (9, 13, 17):
            before = rng.randint(2, 9)
            sessions.append(TreatmentSession(
                started_at=midnight + timedelta(hours=hour), kind=rng.choice(kinds),
                minutes=rng.choice((5, 10, 15, 20)), pain_before=before,
                pain_after=max(0, before - rng.randint(-1, 3))))
        medicines.append(MedicineTaken(at=midnight + timedelta(hours=12), name="Ibuprofen"))
        for i, kind in enumerate((*HabitKind, HabitKind.WATER)):
            habits.append(HabitLog(at=midnight + timedelta(hours=10 + i), kind=kind,
                                   amount=rng.randint(1, 30)))
    return Diary(episodes=episodes, pain_entries=pain, sessions=sessions, medicines=medicines,
                 habits=habits)


def recent(full: Diary, since: datetime) -> Diary:
    """The records of ``full`` from ``since`` on."""
    return Diary(
        episodes=[e for e in full.episodes if e.onset >= since],
        pain_entries=[p for p in full.pain_entries if p.at >= since],
        sessions=[s for s in full.sessions if s.started_at >= since],
        medicines=[m for m in full.medicines if m.at >= since],
        habits=[h for h in full.habits if h.at >= since])


def _run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "spasmcare", *args], env=env, check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = f"sqlite:///{root / 'ten-years.sqlite3'}"
        diary = ten_year_diary(datetime.now(UTC))
        DiaryStore.for_local_user(open_engine(url)).import_diary(diary)
        env = {**os.environ, "SPASMCARE_DATABASE_URL": url}
        _run(["insights", "--json"], env)  # warm-up
        insights = sorted(_run(["insights", "--json"], env) for _ in range(5))
        export = _run(["export", "json", "--out", str(root / "all.json")], env)
        empty = {**env, "SPASMCARE_DATABASE_URL": f"sqlite:///{root / 'empty.sqlite3'}"}
        reimport = _run(["import", str(root / "all.json")], empty)
        fhir_out = _run(["export", "fhir", "--out", str(root / "all.fhir.json")], env)
        clinic = {**env, "SPASMCARE_DATABASE_URL": f"sqlite:///{root / 'clinic.sqlite3'}"}
        fhir_in = _run(["import", str(root / "all.fhir.json")], clinic)
        month = (datetime.now() - timedelta(days=30)).date().isoformat()
        pdf_month = _run(["export", "pdf", "--from", month, "--out", str(root / "m.pdf")], env)
        pdf_all = _run(["export", "pdf", "--out", str(root / "all.pdf")], env)
        pages = (root / "all.pdf").read_bytes().count(b"/Type /Page\n")
        ics = _run(["export", "ics", "--out", str(root / "plan.ics")], env)
    return [
        {"benchmark": f"diary: insights on {diary.count()} records",
         "median_s": round(statistics.median(insights), 3), "max_s": round(insights[-1], 3),
         "goal": "< 1 s", "met": insights[-1] < 1.0},
        {"benchmark": f"diary: export json + import of {diary.count()} records",
         "export_s": round(export, 3), "import_s": round(reimport, 3),
         "total_s": round(export + reimport, 3), "goal": "< 10 s",
         "met": export + reimport < 10.0},
        {"benchmark": f"diary: export fhir + import of {diary.count()} records",
         "export_s": round(fhir_out, 3), "import_s": round(fhir_in, 3),
         "total_s": round(fhir_out + fhir_in, 3), "goal": "< 60 s",
         "met": fhir_out + fhir_in < 60.0},
        {"benchmark": "diary: export pdf of the last 30 days", "s": round(pdf_month, 3),
         "goal": "< 3 s", "met": pdf_month < 3.0},
        {"benchmark": f"diary: export pdf of all ten years ({pages} pages)",
         "s": round(pdf_all, 3), "goal": "< 60 s", "met": pdf_all < 60.0},
        {"benchmark": "diary: export ics", "s": round(ics, 3),
         "goal": "< 2 s", "met": ics < 2.0},
    ]


if __name__ == "__main__":
    for row in main():
        print(row)
