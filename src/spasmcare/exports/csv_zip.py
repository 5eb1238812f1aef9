"""The CSV export: one file per record type in a zip, with headers, ISO 8601
times in UTC, and units in the column names, so it opens cleanly in a
spreadsheet."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from spasmcare.core.diary import Diary
from spasmcare.core.diary_terms import HABIT_UNITS

Column = tuple[str, Callable[[Any], object]]

TABLES: dict[str, Sequence[Column]] = {
    "episodes": (
        ("id", lambda r: r.id), ("onset_utc", lambda r: r.onset),
        ("ended_utc", lambda r: r.ended_at), ("region", lambda r: r.region),
        ("side", lambda r: r.side), ("triggers", lambda r: ";".join(r.triggers)),
        ("trigger_note", lambda r: r.trigger_note), ("triage_urgency", lambda r: r.triage_urgency),
        ("note", lambda r: r.note),
    ),
    "pain_entries": (
        ("id", lambda r: r.id), ("episode_id", lambda r: r.episode_id),
        ("time_utc", lambda r: r.at), ("pain_0_to_10", lambda r: r.pain),
        ("impact_on_daily_activities", lambda r: r.impact), ("severity", lambda r: r.severity),
        ("stiffness_0_to_10", lambda r: r.stiffness), ("mobility", lambda r: r.mobility),
        ("worse_next_morning", lambda r: r.worse_next_morning), ("note", lambda r: r.note),
    ),
    "treatment_sessions": (
        ("id", lambda r: r.id), ("episode_id", lambda r: r.episode_id),
        ("start_utc", lambda r: r.started_at), ("kind", lambda r: r.kind),
        ("duration_minutes", lambda r: r.minutes), ("pain_before_0_to_10", lambda r: r.pain_before),
        ("pain_after_0_to_10", lambda r: r.pain_after), ("relief_points", lambda r: r.relief),
        ("completed", lambda r: r.completed), ("note", lambda r: r.note),
    ),
    "medicines": (
        ("id", lambda r: r.id), ("episode_id", lambda r: r.episode_id),
        ("time_utc", lambda r: r.at), ("name", lambda r: r.name), ("note", lambda r: r.note),
    ),
    "habits": (
        ("id", lambda r: r.id), ("time_utc", lambda r: r.at), ("habit", lambda r: r.kind),
        ("amount", lambda r: r.amount), ("unit", lambda r: HABIT_UNITS[r.kind]),
    ),
}
SOURCE = {"episodes": "episodes", "pain_entries": "pain_entries",
          "treatment_sessions": "sessions", "medicines": "medicines", "habits": "habits"}


def dumps(diary: Diary) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, columns in TABLES.items():
            archive.writestr(f"{name}.csv", _table(getattr(diary, SOURCE[name]), columns))
        if not diary.count():
            archive.writestr("README.txt", "This diary had no records when it was exported.\n")
    return buffer.getvalue()


def _table(records: Sequence[Any], columns: Sequence[Column]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(name for name, _ in columns)
    for record in records:
        writer.writerow(_cell(get(record)) for _, get in columns)
    return "\ufeff" + out.getvalue()  # the BOM makes spreadsheets read UTF-8


# A text cell a spreadsheet would run as a formula starts with one of these
# (OWASP, "CSV injection"); a leading apostrophe makes it plain text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
