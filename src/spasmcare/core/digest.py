"""A long period in digest: a clinician reads a range, not 40,000 lines.

Up to ``EVERY_RECORD_DAYS`` days the report lists every record. A longer
period summarises its pain scores, treatment sessions, medicines and habits by
day (up to ``BY_DAY_DAYS`` days) or by week (Monday to Sunday, in the report's
time zone; the first and last weeks may be cut by the period), one row for
each day or week that has any. Episodes and warning-sign answers are never
summarised: they stay listed in full, and so do the notes written with pain
scores and sessions. Medicine notes stay out, as in the detail, because the
diary holds no doses and a note could.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import TypeVar

from spasmcare.core.diary import HabitLog, PainEntry, TreatmentSession
from spasmcare.core.diary_terms import HabitKind, TreatmentKind
from spasmcare.core.insights import medicine_counts
from spasmcare.core.report import Period, Report

EVERY_RECORD_DAYS = 92    # about three months: every record, as a short range shows
BY_DAY_DAYS = 183         # about six months: a row a day; longer, a row a week

Item = TypeVar("Item")


class Grain(StrEnum):
    RECORD = "record"
    DAY = "day"
    WEEK = "week"


def grain(period: Period) -> Grain:
    """How finely a report on ``period`` shows its records, by its length in days."""
    days = (period.last_day - period.first_day).days + 1
    if days <= EVERY_RECORD_DAYS:
        return Grain.RECORD
    return Grain.DAY if days <= BY_DAY_DAYS else Grain.WEEK


@dataclass(frozen=True)
class Span:
    """The days ``first`` to ``last``, both included: a day or a (cut) week."""

    first: date
    last: date


@dataclass(frozen=True)
class PainSummary:
    span: Span
    count: int
    lowest: int
    median: float
    highest: int
    unable: int            # scores logged as "unable to do daily activities"


@dataclass(frozen=True)
class SessionSummary:
    span: Span
    count: int
    minutes: float
    kinds: tuple[tuple[TreatmentKind, int], ...]   # most sessions first
    scored: int            # with pain before and after
    relief: float | None   # mean of the scored; None when none was scored
    not_completed: int


@dataclass(frozen=True)
class MedicineSummary:
    span: Span
    count: int
    names: tuple[tuple[str, int], ...]     # as first written, most taken first; never a dose


@dataclass(frozen=True)
class HabitSummary:
    span: Span
    # Every kind in HabitKind order, with None when none of that kind was logged.
    totals: tuple[tuple[HabitKind, float | None], ...]


@dataclass(frozen=True)
class Note:
    at: datetime
    kind: str              # "pain" or "session"
    text: str


@dataclass(frozen=True)
class Digest:
    grain: Grain           # DAY or WEEK
    pain: tuple[PainSummary, ...]
    sessions: tuple[SessionSummary, ...]
    medicines: tuple[MedicineSummary, ...]
    habits: tuple[HabitSummary, ...]
    notes: tuple[Note, ...]                # oldest first


def digest(report: Report) -> Digest | None:
    """The report's records summarised by day or by week (``grain``); None
    when the period is short enough to list every record."""
    chosen = grain(report.period)
    if chosen is Grain.RECORD:
        return None
    span = _spans(report.period, report.tz, chosen)
    notes = [*(Note(p.at, "pain", p.note) for p in report.pain_entries if p.note),
             *(Note(s.started_at, "session", s.note) for s in report.sessions if s.note)]
    return Digest(
        chosen,
        pain=tuple(_pain(s, g) for s, g in _grouped(report.pain_entries, lambda p: p.at, span)),
        sessions=tuple(_sessions(s, g)
                       for s, g in _grouped(report.sessions, lambda x: x.started_at, span)),
        medicines=tuple(MedicineSummary(s, len(g), tuple((m.name, m.count)
                                                         for m in medicine_counts(g)))
                        for s, g in _grouped(report.medicines_taken, lambda m: m.at, span)),
        habits=tuple(_habits(s, g) for s, g in _grouped(report.habit_logs, lambda h: h.at, span)),
        notes=tuple(sorted(notes, key=lambda n: n.at)),
    )


def _pain(span: Span, entries: Sequence[PainEntry]) -> PainSummary:
    scores = [p.pain for p in entries]
    return PainSummary(span, len(scores), min(scores), statistics.median(scores), max(scores),
                       sum(p.impact == "unable" for p in entries))


def _sessions(span: Span, sessions: Sequence[TreatmentSession]) -> SessionSummary:
    reliefs = [s.relief for s in sessions if s.relief is not None]
    kinds = Counter(s.kind for s in sessions)
    order = list(TreatmentKind)
    return SessionSummary(
        span, len(sessions), sum(s.minutes for s in sessions),
        tuple(sorted(kinds.items(), key=lambda kv: (-kv[1], order.index(kv[0])))),
        len(reliefs), statistics.fmean(reliefs) if reliefs else None,
        sum(not s.completed for s in sessions))


def _habits(span: Span, logs: Sequence[HabitLog]) -> HabitSummary:
    totals: dict[HabitKind, float | None] = dict.fromkeys(HabitKind)
    for h in logs:
        totals[h.kind] = (totals[h.kind] or 0.0) + h.amount
    return HabitSummary(span, tuple(totals.items()))


def _spans(period: Period, tz: tzinfo, chosen: Grain) -> Callable[[datetime], Span]:
    """The day or week (cut to the period) that holds a time, as seen in ``tz``."""
    cache: dict[date, Span] = {}

    def span(at: datetime) -> Span:
        local = at.astimezone(tz).date()
        found = cache.get(local)
        if found is None:
            first = local if chosen is Grain.DAY else local - timedelta(days=local.weekday())
            last = first if chosen is Grain.DAY else first + timedelta(days=6)
            found = cache[local] = Span(max(first, period.first_day),
                                        min(last, period.last_day))
        return found
    return span


def _grouped(items: Iterable[Item], when: Callable[[Item], datetime],
             span: Callable[[datetime], Span]) -> list[tuple[Span, Sequence[Item]]]:
    groups: dict[Span, list[Item]] = defaultdict(list)
    for item in items:
        groups[span(when(item))].append(item)
    return sorted(groups.items(), key=lambda kv: kv[0].first)
