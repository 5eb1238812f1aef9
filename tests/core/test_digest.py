"""The digest of a long period, over hand-built diaries whose figures are worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from spasmcare.core.diary import Diary, HabitKind, PainEntry, TreatmentKind
from spasmcare.core.digest import (
    BY_DAY_DAYS,
    EVERY_RECORD_DAYS,
    Digest,
    Grain,
    HabitSummary,
    MedicineSummary,
    PainSummary,
    SessionSummary,
    Span,
    digest,
    grain,
)
from spasmcare.core.loader import load_knowledge
from spasmcare.core.report import Period, build_report
from tests.report_diaries import MARCH_PAIN, MARKUP_NOTE, NOW, long_report_diary, report_diary

KB = load_knowledge()
BERLIN = ZoneInfo("Europe/Berlin")
MARCH = Span(date(2026, 3, 10), date(2026, 3, 15))      # the first week, cut by the period


def period(days: int) -> Period:
    """``days`` whole local days, as a range asked for."""
    start = datetime(2026, 1, 5, tzinfo=BERLIN)
    return Period(start, start + timedelta(days=days), end_excluded=True)


@pytest.mark.parametrize(("days", "expected"), [
    (1, Grain.RECORD), (30, Grain.RECORD), (EVERY_RECORD_DAYS, Grain.RECORD),
    (EVERY_RECORD_DAYS + 1, Grain.DAY), (BY_DAY_DAYS, Grain.DAY),
    (BY_DAY_DAYS + 1, Grain.WEEK), (3650, Grain.WEEK),
])
def test_the_grain_follows_the_length_of_the_period(days: int, expected: Grain) -> None:
    assert grain(period(days)) is expected


def test_a_short_report_is_not_summarised() -> None:
    report = build_report(report_diary(), now=NOW, kb=KB, tz=BERLIN)      # 60 days
    assert digest(report) is None


@pytest.fixture(scope="module")
def long_digest() -> Digest:
    summary = digest(build_report(long_report_diary(), now=NOW, kb=KB, tz=BERLIN))
    assert summary is not None
    return summary


def test_pain_by_week_in_the_report_time_zone(long_digest: Digest) -> None:
    assert long_digest.grain is Grain.WEEK
    first, second = long_digest.pain[:2]
    # 9, 7, 4 and 6 (22:30 UTC on Sunday is 23:30 in Berlin): median of 4, 6, 7, 9 is 6.5.
    assert first == PainSummary(MARCH, count=4, lowest=4, median=6.5, highest=9, unable=1)
    # 23:30 UTC on Sunday 15 March is Monday 16 March in Berlin.
    assert second == PainSummary(Span(date(2026, 3, 16), date(2026, 3, 22)), 1, 3, 3, 3, 0)
    total = sum(p.count for p in long_digest.pain)
    assert total == len(MARCH_PAIN) + len(report_diary().pain_entries)


def test_the_last_week_is_cut_by_the_end_of_the_period(long_digest: Digest) -> None:
    last = long_digest.pain[-1].span
    assert last == Span(date(2026, 11, 16), date(2026, 11, 21))    # NOW is Saturday 21 Nov
    assert all(a.span.last < b.span.first for a, b in zip(long_digest.pain,
                                                           long_digest.pain[1:], strict=False))


def test_sessions_medicines_and_habits_by_week(long_digest: Digest) -> None:
    assert long_digest.sessions[0] == SessionSummary(
        MARCH, count=3, minutes=45, kinds=((TreatmentKind.ICE, 1), (TreatmentKind.HEAT, 1),
                                           (TreatmentKind.WALK, 1)),
        scored=2, relief=2.0, not_completed=1)          # relief 3 and 1
    # Names that differ only in case are one, shown as first written; never a dose.
    assert long_digest.medicines[0] == MedicineSummary(MARCH, 2, (("Naproxen", 2),))
    assert long_digest.habits[0] == HabitSummary(MARCH, (
        (HabitKind.WATER, 10.0), (HabitKind.WALK, None), (HabitKind.PLANK, 60.0),
        (HabitKind.BREAKS, None)))


def test_the_notes_of_pain_scores_and_sessions_are_kept_whole(long_digest: Digest) -> None:
    kept = [(n.kind, n.text) for n in long_digest.notes]
    assert ("pain", MARKUP_NOTE) in kept
    assert ("session", "stopped: <too> sore & stiff") in kept
    assert all(n.text != "500 mg" for n in long_digest.notes)    # medicine notes stay out
    assert [n.at for n in long_digest.notes] == sorted(n.at for n in long_digest.notes)


def test_by_day_between_three_and_six_months() -> None:
    start = NOW - timedelta(days=100)
    diary = Diary(pain_entries=[
        PainEntry(at=start + timedelta(hours=h), pain=p, severity="mild")
        for h, p in ((1, 2), (5, 8), (20, 5))])
    summary = digest(build_report(diary, now=NOW, kb=KB, tz=UTC))
    assert summary is not None and summary.grain is Grain.DAY
    first_day = start.date()
    assert summary.pain == (
        PainSummary(Span(first_day, first_day), 2, 2, 5, 8, 0),
        PainSummary(Span(first_day + timedelta(days=1), first_day + timedelta(days=1)),
                    1, 5, 5, 5, 0))
