"""Days with nothing logged. A day without a pain score is not logged, never
a day of no pain: a chart shows it as a gap, and a line between two scores
does not cross it, since the line would draw a recovery or a relapse that
nobody recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from spasmcare.core.diary import PainEntry

SHORTEST = timedelta(days=2)   # in a shorter span every hour is on the chart; no gaps


def not_logged(points: Sequence[PainEntry], start: datetime, end: datetime) -> list[date]:
    """The local days (in ``start``'s time zone) of a span of two days or
    more on which no pain score was logged, from the first score on: before
    it the diary had not begun."""
    if end - start < SHORTEST or not points:
        return []
    tz = start.tzinfo
    logged = {p.at.astimezone(tz).date() for p in points}
    first, last = min(logged), end.astimezone(tz).date()
    days = (first + timedelta(days=k) for k in range((last - first).days + 1))
    return [day for day in days if day not in logged]


def unbroken(points: Sequence[PainEntry], tz: tzinfo | None) -> list[list[PainEntry]]:
    """``points`` (in time order) in runs that no day without a score
    crosses: each score is on the same local day as the one before it, or
    the day after."""
    runs: list[list[PainEntry]] = []
    previous: date | None = None
    for p in points:
        day = p.at.astimezone(tz).date()
        if runs and previous is not None and (day - previous).days <= 1:
            runs[-1].append(p)
        else:
            runs.append([p])
        previous = day
    return runs
