"""What a diary says: how often spasms come and how long they last, what came
before them, which treatments eased the pain, how closely the care plan was
followed, medicines taken and prevention habits.

Facts about the diary only, never advice. Every figure carries the number of
records behind it, and figures drawn from too few records say so.
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import chain
from typing import Any

from spasmcare.core.careplan import build_plan
from spasmcare.core.diary import (
    HABIT_UNITS,
    Diary,
    Episode,
    HabitKind,
    HabitLog,
    MedicineTaken,
    TreatmentKind,
    TreatmentSession,
    Trigger,
)
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import CarePlanRules, SessionKind

MIN_SPAN_DAYS = 90     # a yearly rate from a shorter diary would be mostly chance
RECUR_DAYS = 365       # "came back within a year", counted inclusively
MIN_SESSIONS = 5       # fewer scored sessions than this: too few to tell
PLAN_DAYS = 14         # the plan is checked over an episode's first two weeks
HABIT_DAYS = 30
DAY = timedelta(days=1)
YEAR_DAYS = 365.25


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- the results ---------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeStats:
    count: int
    open: int
    first_onset: datetime | None
    last_onset: datetime | None
    span_days: float                    # from the diary's first record to now
    per_year: float | None              # None when the span is too short
    durations_days: tuple[float, ...]   # of ended episodes

    @property
    def per_year_note(self) -> str | None:
        if self.per_year is not None:
            return None
        return (f"the diary spans {self.span_days:.0f} days: too short to say how often "
                f"spasms come ({MIN_SPAN_DAYS} days needed)")

    def to_dict(self) -> dict[str, Any]:
        d = self.durations_days
        return {
            "count": self.count, "open": self.open,
            "first_onset": self.first_onset.isoformat() if self.first_onset else None,
            "last_onset": self.last_onset.isoformat() if self.last_onset else None,
            "span_days": _r(self.span_days), "per_year": _r(self.per_year),
            "per_year_note": self.per_year_note,
            "durations": {
                "ended": len(d),
                "median_days": _r(statistics.median(d)) if d else None,
                "mean_days": _r(statistics.fmean(d)) if d else None,
                "shortest_days": _r(min(d)) if d else None,
                "longest_days": _r(max(d)) if d else None,
            },
        }


@dataclass(frozen=True)
class Recurrence:
    later_episodes: int   # episodes with one before them
    within_year: int      # of those, begun within RECUR_DAYS of the previous onset
    median_gap_days: float | None

    @property
    def share(self) -> float | None:
        return self.within_year / self.later_episodes if self.later_episodes else None

    def to_dict(self) -> dict[str, Any]:
        return {"later_episodes": self.later_episodes, "within_365_days": self.within_year,
                "share": _r(self.share, 3), "median_gap_days": _r(self.median_gap_days)}


@dataclass(frozen=True)
class TriggerCount:
    trigger: Trigger
    episodes: int
    share: float          # of all episodes

    def to_dict(self) -> dict[str, Any]:
        return {"trigger": self.trigger.value, "episodes": self.episodes,
                "share": _r(self.share, 3)}


@dataclass(frozen=True)
class Relief:
    """Pain before minus pain after, over the sessions of one kind that have both."""

    kind: TreatmentKind
    logged: int           # every session of this kind
    sessions: int         # those with pain scored before and after
    mean: float | None
    median: float | None

    @property
    def too_few(self) -> bool:
        return self.sessions < MIN_SESSIONS

    @property
    def verdict(self) -> str:
        if self.mean is None:
            return "no sessions with pain scored before and after"
        if self.too_few:
            return f"{_n(self.sessions, 'session')}: too few to tell"
        amount = f"{abs(self.mean):.1f} point{'' if round(abs(self.mean), 1) == 1 else 's'}"
        change = ("did not change" if round(self.mean, 1) == 0 else
                  f"fell by {amount}" if self.mean > 0 else f"rose by {amount}")
        return f"pain {change} on average over {_n(self.sessions, 'session')}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "sessions": self.sessions, "logged": self.logged,
                "mean_relief": _r(self.mean), "median_relief": _r(self.median),
                "too_few": self.too_few, "verdict": self.verdict}


@dataclass(frozen=True)
class EpisodeAdherence:
    episode_id: str
    onset: datetime
    days_planned: int
    days_followed: int

    def to_dict(self) -> dict[str, Any]:
        return {"episode_id": self.episode_id, "onset": self.onset.isoformat(),
                "days_planned": self.days_planned, "days_followed": self.days_followed}


@dataclass(frozen=True)
class Adherence:
    episodes: tuple[EpisodeAdherence, ...]

    @property
    def days_planned(self) -> int:
        return sum(e.days_planned for e in self.episodes)

    @property
    def days_followed(self) -> int:
        return sum(e.days_followed for e in self.episodes)

    def to_dict(self) -> dict[str, Any]:
        share = self.days_followed / self.days_planned if self.days_planned else None
        return {"days_planned": self.days_planned, "days_followed": self.days_followed,
                "share": _r(share, 3), "episodes": [e.to_dict() for e in self.episodes]}


@dataclass(frozen=True)
class MedicineCount:
    name: str             # as first written
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count}


@dataclass(frozen=True)
class HabitAverage:
    kind: HabitKind
    total: float
    days: int             # the days of the window the diary covers

    @property
    def unit(self) -> str:
        return HABIT_UNITS[self.kind]

    @property
    def per_day(self) -> float | None:
        return self.total / self.days if self.days else None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "unit": self.unit, "days": self.days,
                "total": _r(self.total), "per_day": _r(self.per_day)}


@dataclass(frozen=True)
class Insights:
    generated_at: datetime
    records: int
    episodes: EpisodeStats
    recurrence: Recurrence
    triggers: tuple[TriggerCount, ...]
    treatments: tuple[Relief, ...]
    adherence: Adherence
    medicines: tuple[MedicineCount, ...]
    habits: tuple[HabitAverage, ...]
    summary: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "generated_at": self.generated_at.isoformat(),
            "records": self.records,
            "episodes": self.episodes.to_dict(),
            "recurrence": self.recurrence.to_dict(),
            "triggers": [t.to_dict() for t in self.triggers],
            "treatments": [t.to_dict() for t in self.treatments],
            "adherence": self.adherence.to_dict(),
            "medicines": [m.to_dict() for m in self.medicines],
            "habits": [h.to_dict() for h in self.habits],
            "summary": list(self.summary),
        }
