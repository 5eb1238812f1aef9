"""What a diary says: how often spasms come and how long they last, what came
before them, which treatments eased the pain, how closely the care plan was
followed, medicines taken and prevention habits.

Facts about the diary only, never advice. Every figure carries the number of
records behind it, and figures drawn from too few records say so.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import chain, pairwise
from typing import Any

from spasmcare.core.adherence import Adherence, plan_adherence
from spasmcare.core.clock import parse_clock
from spasmcare.core.diary import Diary, Episode, HabitLog, MedicineTaken, TreatmentSession
from spasmcare.core.diary_terms import HABIT_UNITS, HabitKind, TreatmentKind, Trigger
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import CarePlanRules

MIN_SPAN_DAYS = 90     # a yearly rate from a shorter diary would be mostly chance
RECUR_DAYS = 365       # "came back within a year", counted inclusively
MIN_SESSIONS = 5       # fewer scored sessions than this: too few to tell
HABIT_DAYS = 30
DAY = timedelta(days=1)
YEAR_DAYS = 365.25


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


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
class MedicineCount:
    name: str             # as first written
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count}


@dataclass(frozen=True)
class HabitAverage:
    """A habit over the window: its total and its average on the days it
    was logged. A day with nothing logged is not logged, not a day of none:
    it does not pull the average down."""

    kind: HabitKind
    total: float
    days: int             # the days of the window the diary covers
    days_logged: int = 0  # the days of those with this habit logged

    @property
    def unit(self) -> str:
        return HABIT_UNITS[self.kind]

    @property
    def per_day(self) -> float | None:
        return self.total / self.days_logged if self.days_logged else None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "unit": self.unit, "days": self.days,
                "days_logged": self.days_logged, "total": _r(self.total),
                "per_day": _r(self.per_day)}


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


# --- computing them --------------------------------------------------------------


@dataclass(frozen=True)
class Tallies:
    """The counts insights take from the sessions and medicines, which in a
    long diary are too many to read: the store keeps them as it writes
    (``spasmcare.store.summaries``), and ``of`` counts them from a diary."""

    records: int
    logged: Mapping[TreatmentKind, int]                 # sessions of each kind
    reliefs: Mapping[TreatmentKind, Mapping[int, int]]  # relief -> sessions, by kind
    medicines: Mapping[str, int]                        # casefolded name -> times taken
    shown: Mapping[str, str]                            # casefolded name -> as first written

    @classmethod
    def of(cls, sessions: Sequence[TreatmentSession] = (),
           medicines: Sequence[MedicineTaken] = (), records: int = 0) -> Tallies:
        logged: Counter[TreatmentKind] = Counter()
        reliefs: dict[TreatmentKind, Counter[int]] = defaultdict(Counter)
        for s in sessions:
            logged[s.kind] += 1
            if (relief := s.relief) is not None:
                reliefs[s.kind][relief] += 1
        taken: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for m in sorted(medicines, key=lambda m: m.at):
            key = m.name.casefold()
            taken[key] += 1
            shown.setdefault(key, m.name)
        return cls(records, logged, reliefs, taken, shown)


def compute(diary: Diary, now: datetime, rules: CarePlanRules, *,
            wake: time | None = None, sleep: time | None = None,
            began: datetime | None = None, records: int | None = None) -> Insights:
    """Insights from ``diary`` as of ``now`` (aware; its time zone decides where
    days begin and end). ``wake`` and ``sleep`` are the person's waking hours,
    the care plan's defaults when not given.

    ``diary`` needs its episodes, sessions and medicines, and habits of the
    last 30 days; pain entries are not read. A caller that passes only those
    gives ``began`` (the time of the diary's first record) and ``records``
    (how many it holds in all); otherwise both are taken from ``diary``."""
    if now.tzinfo is None:
        raise BadInput("now must carry a time zone")
    first = began if began is not None else min(
        chain((e.onset for e in diary.episodes), (p.at for p in diary.pain_entries),
              (s.started_at for s in diary.sessions), (m.at for m in diary.medicines),
              (h.at for h in diary.habits)), default=None)
    tallies = Tallies.of(diary.sessions, diary.medicines,
                         diary.count() if records is None else records)
    episodes = sorted(diary.episodes, key=lambda e: e.onset)
    adherence = plan_adherence(episodes, diary.sessions, now, rules,
                               wake or parse_clock(rules.default_wake, "wake"),
                               sleep or parse_clock(rules.default_sleep, "sleep"))
    return assemble(now, episodes, tallies, adherence, diary.habits, first)


def assemble(now: datetime, episodes: Sequence[Episode], tallies: Tallies,
             adherence: Adherence, habits: Sequence[HabitLog],
             first: datetime | None) -> Insights:
    """Insights from their parts: ``episodes`` oldest first, ``habits`` of the
    last HABIT_DAYS at least, ``first`` the time of the diary's first record."""
    result = Insights(
        generated_at=now,
        records=tallies.records,
        episodes=episode_stats(episodes, first, now),
        recurrence=recurrence(episodes),
        triggers=trigger_counts(episodes),
        treatments=relief_figures(tallies.logged, tallies.reliefs),
        adherence=adherence,
        medicines=medicine_figures(tallies.medicines, tallies.shown),
        habits=habit_averages(habits, first, now),
        summary=(),
    )
    return replace(result, summary=summarise(result))


def episode_stats(episodes: Sequence[Episode], first: datetime | None,
                  now: datetime) -> EpisodeStats:
    """``episodes`` oldest first; ``first`` is the time of the diary's first record."""
    span = max(_days(now - first), 0.0) if first else 0.0
    tz = now.tzinfo
    return EpisodeStats(
        count=len(episodes),
        open=sum(e.open for e in episodes),
        first_onset=episodes[0].onset.astimezone(tz) if episodes else None,
        last_onset=episodes[-1].onset.astimezone(tz) if episodes else None,
        span_days=span,
        per_year=len(episodes) / (span / YEAR_DAYS) if span >= MIN_SPAN_DAYS else None,
        durations_days=tuple(_days(e.ended_at - e.onset) for e in episodes
                             if e.ended_at is not None),
    )


def recurrence(episodes: Sequence[Episode]) -> Recurrence:
    """How soon each episode followed the one before (``episodes`` oldest first)."""
    gaps = [_days(b.onset - a.onset) for a, b in pairwise(episodes)]
    return Recurrence(later_episodes=len(gaps),
                      within_year=sum(g <= RECUR_DAYS for g in gaps),
                      median_gap_days=statistics.median(gaps) if gaps else None)


def trigger_counts(episodes: Sequence[Episode]) -> tuple[TriggerCount, ...]:
    """Triggers that came before at least one episode, most frequent first
    (ties in the order the diary lists triggers)."""
    counts = Counter(t for e in episodes for t in e.triggers)
    order = list(Trigger)
    ranked = sorted(counts, key=lambda t: (-counts[t], order.index(t)))
    return tuple(TriggerCount(t, counts[t], counts[t] / len(episodes)) for t in ranked)


def treatment_relief(sessions: Sequence[TreatmentSession]) -> tuple[Relief, ...]:
    """Each kind of treatment logged, the best average relief first; figures
    from too few sessions come after those with enough."""
    tallies = Tallies.of(sessions=sessions)
    return relief_figures(tallies.logged, tallies.reliefs)


def relief_figures(logged: Mapping[TreatmentKind, int],
                   reliefs: Mapping[TreatmentKind, Mapping[int, int]]) -> tuple[Relief, ...]:
    """``treatment_relief`` from the counts: sessions logged by kind, and for
    each kind how many sessions eased the pain by each amount."""
    items = []
    for kind in TreatmentKind:
        if not logged.get(kind):
            continue
        counts = {r: n for r, n in reliefs.get(kind, {}).items() if n}
        scored = sum(counts.values())
        items.append(Relief(kind, logged[kind], scored,
                            _mean(counts) if scored else None,
                            _median(counts) if scored else None))
    return tuple(sorted(items, key=lambda r: (r.too_few, r.mean is None, -(r.mean or 0.0),
                                              -r.sessions)))


def _mean(counts: Mapping[int, int]) -> float:
    """``statistics.fmean`` of the whole numbers that ``counts`` tallies: their
    sum is exact, so it is the same float."""
    return sum(v * n for v, n in counts.items()) / sum(counts.values())


def _median(counts: Mapping[int, int]) -> float:
    """``statistics.median`` of the whole numbers that ``counts`` tallies,
    without listing them: the middle one, or the mean of the middle two."""
    total = sum(counts.values())
    wanted = (total - 1) // 2, total // 2   # positions of the middle values
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and wanted[len(found)] < seen:
            found.append(value)
    return found[0] if total % 2 else (found[0] + found[1]) / 2


def medicine_counts(medicines: Sequence[MedicineTaken]) -> tuple[MedicineCount, ...]:
    """How often each medicine was taken; names that differ only in case are one."""
    tallies = Tallies.of(medicines=medicines)
    return medicine_figures(tallies.medicines, tallies.shown)


def medicine_figures(counts: Mapping[str, int],
                     shown: Mapping[str, str]) -> tuple[MedicineCount, ...]:
    """``medicine_counts`` from the counts by casefolded name, each shown as first written."""
    return tuple(MedicineCount(shown[k], n)
                 for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n)


def habit_averages(habits: Sequence[HabitLog], first: datetime | None,
                   now: datetime) -> tuple[HabitAverage, ...]:
    """Averages over the days logged of the last HABIT_DAYS local dates,
    today included. Days before the diary began do not count, so a new diary
    is not diluted, and nor do days the habit was not logged."""
    today = now.date()
    since = today - timedelta(days=HABIT_DAYS - 1)
    if first is not None:
        since = max(since, first.astimezone(now.tzinfo).date())
    days = (today - since).days + 1 if first is not None else 0
    cutoff = datetime.combine(since, time(0), now.tzinfo)
    totals: dict[HabitKind, float] = defaultdict(float)
    dates: dict[HabitKind, set[date]] = defaultdict(set)
    for h in habits:
        if cutoff <= h.at <= now:
            totals[h.kind] += h.amount
            dates[h.kind].add(h.at.astimezone(now.tzinfo).date())
    return tuple(HabitAverage(kind, totals[kind], days, len(dates[kind])) for kind in HabitKind)


# --- in words ----------------------------------------------------------------------

TRIGGER_WORDS = {Trigger.OTHER: "Other triggers"}
HABIT_WORDS = {HabitKind.WATER: " of water", HabitKind.WALK: " of walking",
               HabitKind.PLANK: " of plank", HabitKind.BREAKS: ""}


def _when(at: datetime) -> str:
    return f"{at.day} {at:%B %Y}"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def summarise(insights: Insights) -> tuple[str, ...]:
    """Plain sentences about what the diary holds: facts, not advice."""
    if not insights.records:
        return ("Nothing is in your diary yet: insights appear once you record episodes, "
                "pain scores and treatment sessions.",)
    lines = []
    ep, rec = insights.episodes, insights.recurrence
    if ep.first_onset is None:
        lines.append("No episodes recorded yet.")
    else:
        still = f"; {ep.open} {'is' if ep.open == 1 else 'are'} still open" if ep.open else ""
        lines.append(f"You recorded {_n(ep.count, 'episode')} since {_when(ep.first_onset)}"
                     f"{still}.")
        lines.append(f"That is about {ep.per_year:.1f} a year." if ep.per_year is not None
                     else f"{(ep.per_year_note or '').capitalize()}.")
    if (d := ep.durations_days):
        lines.append(f"The one episode that ended lasted {d[0]:.1f} days." if len(d) == 1 else
                     f"Ended episodes lasted {statistics.median(d):.1f} days at the median "
                     f"(shortest {min(d):.1f}, longest {max(d):.1f}).")
    if rec.median_gap_days is not None:
        lines.append(f"{rec.within_year} of the {rec.later_episodes} episodes after the first "
                     f"began within a year of the one before; the median gap between onsets "
                     f"was {rec.median_gap_days:.0f} days.")
    for t in insights.triggers[:3]:
        label = TRIGGER_WORDS.get(t.trigger, t.trigger.value.replace("-", " ").capitalize())
        of = "your only episode" if ep.count == 1 else f"{t.episodes} of your {ep.count} episodes"
        lines.append(f"{label} came before {of}.")
    lines += [f"{r.kind.value.capitalize()}: {r.verdict}." for r in insights.treatments]
    adh = insights.adherence
    if adh.days_planned:
        lines.append(f"You followed the care plan on {adh.days_followed} of "
                     f"{_n(adh.days_planned, 'planned day')}.")
    if insights.medicines:
        lines.append("Medicines taken: " + ", ".join(f"{m.name} {_times(m.count)}"
                                                     for m in insights.medicines) + ".")
    habits = [h for h in insights.habits if h.total and h.per_day is not None]
    if habits:
        lines.append(f"Over the last {_n(habits[0].days, 'day')}: " + ", ".join(
            f"{h.per_day:.1f} {h.unit}{HABIT_WORDS[h.kind]} a day on the "
            f"{_n(h.days_logged, 'day')} logged" for h in habits) + ".")
    return tuple(lines)
