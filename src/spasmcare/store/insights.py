"""Insights from a stored diary, reading only what they need. The CLI, the API
and the insights page all come through here."""

from __future__ import annotations

from datetime import datetime, timedelta

from spasmcare.core import insights as core
from spasmcare.core.clock import parse_clock
from spasmcare.core.diary import HabitLog
from spasmcare.core.knowledge import CarePlanRules
from spasmcare.store.diary import DiaryStore


def diary_insights(diary: DiaryStore, rules: CarePlanRules, now: datetime) -> core.Insights:
    """The person's insights as of ``now``, with their own waking hours.

    Insights never read pain entries and only a month of habits: in a long
    diary those are most of the records, so they are left in the database."""
    person = diary.settings()
    needed = diary.diary(only=("episodes", "sessions", "medicines"))
    needed.habits = diary.records(HabitLog, since=now - timedelta(days=core.HABIT_DAYS + 1))
    began, records = diary.extent()
    return core.compute(
        needed, now, rules,
        wake=parse_clock(person.wake, "the wake time in your settings"),
        sleep=parse_clock(person.sleep, "the sleep time in your settings"),
        began=began, records=records,
    )
