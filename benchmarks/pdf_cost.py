"""What the clinician's PDF costs, against what it must cost (issue 16).

For the ten-year diary of ``diary.py`` cut to its last 1, 2, 4 and 10 years,
each on its own SQLite file, ``spasmcare export pdf`` of the whole diary as a
fresh process: wall time, CPU time (user + system) and peak resident memory
of that process (``os.wait4`` in a small launcher), and the pages written. Beside it, in the same
run, the reference: every record of the ten years laid out by reportlab as one
plain-string table per kind (the columns of the report's detail, no
paragraphs), also a fresh process reading the same file.

Goals: ten years under 20 s and under 200 MiB, and a cost that grows with
the pages, not faster: CPU seconds per page for ten years within 1.5x of
those for one year.

Usage: python benchmarks/pdf_cost.py   (the reference alone:
``python benchmarks/pdf_cost.py reference DATABASE_URL OUT.pdf``)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diary import recent, ten_year_diary
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore

YEARS = (1, 2, 4, 10)
WALL_GOAL_S = 20.0
PEAK_GOAL_MIB = 200.0
PER_PAGE_GOAL = 1.5
PAGE = re.compile(rb"/Type /Page\b(?!s)")


@dataclass(frozen=True)
class Cost:
    wall_s: float
    cpu_s: float
    peak_mib: float
    pages: int


# The measured process is started by this small one, not by the benchmark:
# Linux counts the memory of the process that starts a child (forked or
# vforked) into the child's peak, and the benchmark holds the whole diary.
LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=sys.stderr)
_, status, usage = os.wait4(child.pid, 0)
print(json.dumps({"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
                  "kib": usage.ru_maxrss, "code": os.waitstatus_to_exitcode(status)}))
"""


def measure(args: list[str], env: dict[str, str], out: Path) -> Cost:
    """One fresh process: its wall time, and its own CPU time and peak RSS."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, sys.executable, *args], env=env,
                          capture_output=True, text=True, check=True)
    figures = json.loads(done.stdout)
    if figures["code"]:
        raise RuntimeError(f"{' '.join(args)} failed: {done.stderr[-2000:]}")
    # ru_maxrss is in KiB on Linux.
    return Cost(figures["wall"], figures["cpu"], figures["kib"] / 1024,
                len(PAGE.findall(out.read_bytes())))


def reference(url: str, out: str) -> None:
    """Every record of the diary as plain-string reportlab tables, one per kind."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    diary = DiaryStore.for_local_user(open_engine(url)).diary()

    def when(at: datetime) -> str:
        return f"{at.day} {at:%b %Y %H:%M}"

    tables = {
        "episodes": [[when(e.onset), when(e.ended_at) if e.ended_at else "ongoing",
                      e.region.value if e.region else "–",
                      ", ".join(t.value for t in e.triggers) or "–", e.note or ""]
                     for e in sorted(diary.episodes, key=lambda e: e.onset)],
        "pain": [[when(p.at), f"{p.pain}/10", p.severity, p.impact, p.note or ""]
                 for p in sorted(diary.pain_entries, key=lambda p: p.at)],
        "sessions": [[when(s.started_at), s.kind.value, f"{s.minutes:g}",
                      str(s.pain_before), str(s.pain_after), s.note or ""]
                     for s in sorted(diary.sessions, key=lambda s: s.started_at)],
        "medicines": [[when(m.at), m.name] for m in sorted(diary.medicines, key=lambda m: m.at)],
        "habits": [[when(h.at), h.kind.value, f"{h.amount:g}"]
                   for h in sorted(diary.habits, key=lambda h: h.at)],
    }
    style = TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 8),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, "#d1d5db")])
    story = []
    for rows in tables.values():
        table = Table([["" for _ in rows[0]], *rows], repeatRows=1)
        table.setStyle(style)
        story.append(table)
    SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                      invariant=1).build(story)


def main() -> list[dict[str, object]]:
    now = datetime.now(UTC)
    full = ten_year_diary(now)
    costs: dict[int, Cost] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        urls = {}
        for years in YEARS:
            urls[years] = f"sqlite:///{root / f'{years}.sqlite3'}"
            DiaryStore.for_local_user(open_engine(urls[years])).import_diary(
                recent(full, now - timedelta(days=365 * years)))
        for years in YEARS:
            out = root / f"{years}.pdf"
            env = {**os.environ, "SPASMCARE_DATABASE_URL": urls[years]}
            costs[years] = measure(["-m", "spasmcare", "export", "pdf", "--out", str(out)],
                                   env, out)
        out = root / "reference.pdf"
        plain = measure([__file__, "reference", urls[10], str(out)], dict(os.environ), out)
    rows: list[dict[str, object]] = []
    for years, cost in costs.items():
        row: dict[str, object] = {
            "benchmark": f"pdf cost: {years} year{'s' * (years != 1)}, whole diary",
            "wall_s": round(cost.wall_s, 2), "cpu_s": round(cost.cpu_s, 2),
            "peak_mib": round(cost.peak_mib), "pages": cost.pages,
            "cpu_ms_per_page": round(1000 * cost.cpu_s / cost.pages, 1)}
        if years == 10:
            row |= {"goal": f"< {WALL_GOAL_S:g} s and < {PEAK_GOAL_MIB:g} MiB",
                    "met": cost.wall_s < WALL_GOAL_S and cost.peak_mib < PEAK_GOAL_MIB}
        else:
            row |= {"goal": "measured for the per-page goal", "met": True}
        rows.append(row)
    per_page = (costs[10].cpu_s / costs[10].pages) / (costs[1].cpu_s / costs[1].pages)
    rows.append({"benchmark": "pdf cost: CPU per page, 10 years / 1 year",
                 "ratio": round(per_page, 2), "goal": f"<= {PER_PAGE_GOAL:g}x",
                 "met": per_page <= PER_PAGE_GOAL})
    rows.append({"benchmark": "pdf cost: reference, every record of 10 years as plain tables",
                 "wall_s": round(plain.wall_s, 2), "cpu_s": round(plain.cpu_s, 2),
                 "peak_mib": round(plain.peak_mib), "pages": plain.pages,
                 "report_wall_ratio": round(costs[10].wall_s / plain.wall_s, 2),
                 "goal": "the yardstick", "met": True})
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["reference"]:
        reference(*sys.argv[2:4])
    else:
        for r in main():
            print(r)
