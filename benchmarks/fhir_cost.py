"""What a FHIR export and import of a ten-year diary cost, against what they
must cost (issue 16): within 3x of the plain reference and under 250 MiB.

The ten-year diary of ``diary.py`` (about 40,000 records) on an SQLite file.
Each measurement is a fresh process, started by a small wrapper process that
reports the wall time and the peak resident memory of its one child
(``RUSAGE_CHILDREN``): ``spasmcare export fhir --out F`` and ``spasmcare
import F`` into an empty (migrated) database, and the same two jobs done by
``fhir_reference.py`` with only sqlite3 and json, in the same run.

Measured on this machine (2 shared cores, Python 3.11.7), 40,209 records,
a 37 MiB Bundle:

| 2026-12-07 | ours s | reference s | ratio | peak MiB | reference MiB | goal |
|---|---|---|---|---|---|---|
| before: export (fhir.resources models, whole Bundle) | 20.04 | 2.28 | 8.8x | 725 | 90 | missed |
| before: import (whole document, Bundle model slices) | 11.67 | 1.05 | 11.2x | 621 | 181 | missed |
| after: export (streamed plain values) | 1.62 | 2.17 | 0.7x | 105 | 90 | met |
| after: import (streamed, bulk shapes checked fast) | 3.10 | 1.06 | 2.9x | 158 | 181 | met |

The import's floor is the rest of ``spasmcare import``: the same diary as a
JSON export takes about 2 s (start-up, records validated, the store's
insert and its counts), so the FHIR part adds about 1 s.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diary import ten_year_diary
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore

RATIO_GOAL = 3.0
MEMORY_GOAL_MIB = 250
REFERENCE = Path(__file__).resolve().parent / "fhir_reference.py"
RECORD_TABLES = ("episodes", "pain_entries", "treatment_sessions", "medicines", "habit_logs")

# Runs its arguments as one child and prints the child's wall time and peak
# RSS (ru_maxrss is in KiB on Linux): the wrapper's own memory is not counted.
WRAPPER = """\
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def measure(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak MiB of ``args`` run as a fresh process."""
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], env=env, check=True,
                          capture_output=True, text=True)
    seconds, mib = done.stdout.split()
    return float(seconds), float(mib)


def empty_database(path: Path) -> str:
    url = f"sqlite:///{path}"
    open_engine(url).dispose()  # migrated, so that neither import pays for the schema
    return url


def records_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in RECORD_TABLES)


def main() -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = root / "ten-years.sqlite3"
        diary = ten_year_diary(datetime.now(UTC))
        engine = open_engine(f"sqlite:///{source}")
        DiaryStore.for_local_user(engine).import_diary(diary)
        engine.dispose()
        env = {**os.environ, "SPASMCARE_DATABASE_URL": f"sqlite:///{source}",
               "HOME": str(root)}
        spasmcare = [sys.executable, "-m", "spasmcare"]
        bundle, plain = root / "ours.fhir.json", root / "plain.fhir.json"
        export = measure([*spasmcare, "export", "fhir", "--out", str(bundle)], env)
        ref_export = measure([sys.executable, str(REFERENCE), "export", str(source),
                              str(plain)], env)
        entries = [len(json.loads(p.read_bytes())["entry"]) for p in (bundle, plain)]
        assert entries[0] == entries[1] == diary.count() + 1, entries  # and the Patient
        ours, theirs = root / "ours.sqlite3", root / "plain.sqlite3"
        into = {**env, "SPASMCARE_DATABASE_URL": empty_database(ours)}
        empty_database(theirs)
        imported = measure([*spasmcare, "import", str(bundle)], into)
        ref_import = measure([sys.executable, str(REFERENCE), "import", str(bundle),
                              str(theirs)], env)
        assert records_in(ours) == records_in(theirs) == diary.count()
        size = bundle.stat().st_size / 2**20
    rows = []
    for job, (seconds, mib), (ref_seconds, ref_mib) in (
            ("export", export, ref_export), ("import", imported, ref_import)):
        ratio = seconds / ref_seconds
        rows.append({"benchmark": f"fhir cost: {job} of {diary.count()} records "
                                  f"({size:.0f} MiB Bundle)",
                     "s": round(seconds, 2), "ref_s": round(ref_seconds, 2),
                     "ratio": round(ratio, 1), "peak_mib": round(mib),
                     "ref_peak_mib": round(ref_mib),
                     "goal": f"<= {RATIO_GOAL:g}x the reference, < {MEMORY_GOAL_MIB} MiB",
                     "met": ratio <= RATIO_GOAL and mib < MEMORY_GOAL_MIB})
    return rows


if __name__ == "__main__":
    for row in main():
        print(row)
