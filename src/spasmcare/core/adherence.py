"""How closely the care plan was followed: for each of an episode's first two
weeks, whether at least half of the sessions the plan set for that day were
done. Part of the diary's insights (``spasmcare.core.insights``)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from spasmcare.core.careplan import build_plan, change_hours
from spasmcare.core.clock import hours_between
from spasmcare.core.diary import Episode, TreatmentSession
from spasmcare.core.knowledge import CarePlanRules, SessionKind

PLAN_DAYS = 14         # the plan is checked over an episode's first two weeks
DAY = timedelta(days=1)


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
                "share": None if share is None else round(share, 3),
                "episodes": [e.to_dict() for e in self.episodes]}



# The sessions an episode's adherence reads: those begun from a day before
# its onset to PLAN_DAYS + 1 days after. A write of a session in this window
# changes the figure; nothing else does but the episode itself.
WINDOW = (-DAY, (PLAN_DAYS + 1) * DAY)
# From this long after its onset an episode's figure no longer changes with
# the clock: its last possible planned day (at most two days after the onset's
# date, plus PLAN_DAYS - 1, ending by the next midnight) is over, with an hour
# to spare for a change of clocks.
SETTLED_AFTER = (PLAN_DAYS + 4) * DAY


def settled(episode: Episode, now: datetime) -> bool:
    """Whether the episode's adherence is final: it depends no more on ``now``."""
    return now >= episode.onset + SETTLED_AFTER


def plan_adherence(episodes: Sequence[Episode], sessions: Sequence[TreatmentSession],
                   now: datetime, rules: CarePlanRules, wake: time, sleep: time,
                   known: Mapping[str, EpisodeAdherence] | None = None) -> Adherence:
    """For each whole past day of each episode's first PLAN_DAYS waking periods
    (up to its end), whether at least half the sessions the plan set for that
    day were done: a completed session of the same kind, begun the same day.
    Breaks are not counted; nobody logs getting up.

    ``known`` holds figures already worked out, by episode id (a cache of
    settled episodes); ``sessions`` need only cover the WINDOW of the others."""
    tz = now.tzinfo
    assert tz is not None
    days, plans = _Days(tz, wake, sleep), _DayPlans(rules, wake, sleep)
    # Sessions are sorted once and only those near an episode are put into
    # days: in a long diary most of them are far from any episode.
    ordered = sorted((s for s in sessions if s.completed), key=lambda s: s.started_at)
    starts = [s.started_at for s in ordered]
    results = []
    for episode in episodes:
        if known and (found := known.get(episode.id)) is not None:
            results.append(found)
            continue
        onset = episode.onset.astimezone(tz)
        end = episode.ended_at
        done: dict[date, Counter[str]] = defaultdict(Counter)
        for s in ordered[bisect_left(starts, onset + WINDOW[0]):
                         bisect_left(starts, onset + WINDOW[1])]:
            done[days.of(s.started_at)][s.kind.value] += 1
        first = days.of(onset)
        if days.window(first)[1] <= onset:  # began after bedtime: day one is tomorrow
            first += DAY
        planned_days = followed = 0
        for day in (first + k * DAY for k in range(PLAN_DAYS)):
            start, stop = days.window(day)
            if stop > now or (end is not None and start >= end):
                break
            planned = Counter(kind for kind, at in plans.sessions(onset, max(start, onset), stop)
                              if end is None or at < end)
            if not planned:
                continue
            logged = done.get(day, Counter())
            hits = sum(min(n, logged[kind]) for kind, n in planned.items())
            planned_days += 1
            if 2 * hits >= planned.total():
                followed += 1
        results.append(EpisodeAdherence(episode.id, onset, planned_days, followed))
    return Adherence(tuple(results))


class _Days:
    """Waking periods in the person's time zone, and the day a moment belongs to."""

    def __init__(self, tz: tzinfo, wake: time, sleep: time) -> None:
        self.tz, self.wake, self.sleep = tz, wake, sleep
        since_midnight = timedelta(hours=wake.hour, minutes=wake.minute)
        night = (since_midnight - timedelta(hours=sleep.hour, minutes=sleep.minute)) % DAY
        # Days turn in the middle of the night, so that a session just after
        # midnight counts for the evening before and an early one for the morning.
        self.turn = since_midnight - night / 2

    def of(self, at: datetime) -> date:
        return (at.astimezone(self.tz) - self.turn).date()

    def window(self, day: date) -> tuple[datetime, datetime]:
        start = datetime.combine(day, self.wake, self.tz)
        stop = datetime.combine(day, self.sleep, self.tz)
        return start, stop if stop > start else stop + DAY


class _DayPlans:
    """The plan's sessions (not breaks) from ``now`` to the end of its waking
    period, as (kind, start).

    One plan costs milliseconds and a long diary asks for hundreds. The
    scheduler reads the onset only by comparing hours since it with the
    rules' thresholds (``change_hours``: phase starts, each rule's window,
    the walking's growth steps), and reads
    the clock wall-time by wall-time. So two days that start at the same time
    of day and lie, all day long, between the same two thresholds get the same
    plan, moved by whole days: it is built once.
    """

    def __init__(self, rules: CarePlanRules, wake: time, sleep: time) -> None:
        self.rules, self.wake, self.sleep = rules, wake, sleep
        self.thresholds = change_hours(rules, (PLAN_DAYS + 2) * 24)
        self.cache: dict[tuple[time, int], tuple[tuple[str, timedelta], ...]] = {}

    def sessions(self, onset: datetime, now: datetime,
                 stop: datetime) -> list[tuple[str, datetime]]:
        """``stop`` is when the waking period of ``now`` ends."""
        regime = bisect_right(self.thresholds, hours_between(onset, now))
        steady = bisect_right(self.thresholds, hours_between(onset, stop)) == regime
        key = (now.time(), regime)
        found = self.cache.get(key) if steady else None
        if found is None:
            plan = build_plan(onset, now, self.rules, wake=self.wake, sleep=self.sleep, days=1)
            found = tuple((s.kind.value, s.start - now) for s in plan.sessions
                          if s.kind is not SessionKind.BREAK)
            if steady:
                self.cache[key] = found
        return [(kind, now + offset) for kind, offset in found]


