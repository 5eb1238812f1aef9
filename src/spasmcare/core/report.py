"""The clinician's report: what the diary says about a period, gathered so
that a clinician can read it in two minutes. Facts the person recorded, never
advice. The PDF exporter (``spasmcare.exports.pdf_report``) lays it out; the
web app can show the same summary.

The records of the period come from ``Diary.within`` and the figures from
``spasmcare.core.insights`` and ``core.adherence``; this module adds what only
a report needs: the episode in question, pain now and its trend, and the
triage answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from itertools import chain
from typing import TypeVar

from spasmcare.core.adherence import Adherence, plan_adherence
from spasmcare.core.clock import parse_clock
from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    TreatmentSession,
)
from spasmcare.core.diary_terms import HABIT_UNITS
from spasmcare.core.errors import BadInput
from spasmcare.core.insights import (
    HabitAverage,
    Relief,
    TriggerCount,
    habit_averages,
    medicine_counts,
    treatment_relief,
    trigger_counts,
)
from spasmcare.core.knowledge import KnowledgeBase, Urgency

# Changes smaller than this on the 0-10 scale are within the noise of a
# self-reported score, so they count as "no better" rather than a trend.
TREND_POINTS = 2
RECENT_DAYS = 7        # "change over the last days"
RED_FLAG_TIERS = (Urgency.EMERGENCY, Urgency.URGENT)
TICK = timedelta(microseconds=1)
IMPACT_WORDS = {"none": "no impact on daily activities",
                "some": "some impact on daily activities",
                "unable": "unable to do daily activities"}

Timed = TypeVar("Timed", PainEntry, MedicineTaken, HabitLog)


class Trend(StrEnum):
    IMPROVING = "improving"
    NO_BETTER = "no better"
    WORSE = "worse"


@dataclass(frozen=True)
class Period:
    """Records with ``start <= time``, and ``time < end`` when ``end_excluded``
    (a range that was asked for) or any later time otherwise (up to now)."""

    start: datetime
    end: datetime
    end_excluded: bool

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - TICK).date() if self.end_excluded else self.end.date()

    def holds(self, at: datetime) -> bool:
        return self.start <= at and (at < self.end or not self.end_excluded)


@dataclass(frozen=True)
class EpisodeFacts:
    episode: Episode
    ongoing: bool          # not ended by the end of the period
    duration: timedelta    # to its end, or to the end of the period

    @property
    def where(self) -> str | None:
        """"lower back, left side", or None when neither was recorded."""
        e = self.episode
        parts = [f"{e.region.value} back" if e.region else None,
                 f"{e.side.value} side" if e.side else None]
        shown = [p for p in parts if p]
        return ", ".join(shown) if shown else None


@dataclass(frozen=True)
class PainFacts:
    """The pain scores of the episode in question when it has any, else of the
    whole period; ``trend`` is None with a single score."""

    of_episode: bool
    scores: tuple[PainEntry, ...]   # oldest first, never empty

    @property
    def first(self) -> PainEntry:
        return self.scores[0]

    @property
    def latest(self) -> PainEntry:
        return self.scores[-1]

    @property
    def highest(self) -> PainEntry:
        return max(self.scores, key=lambda p: p.pain)

    @property
    def lowest(self) -> PainEntry:
        return min(self.scores, key=lambda p: p.pain)

    @property
    def change(self) -> int:
        """Latest score minus the first: negative when the pain eased."""
        return self.latest.pain - self.first.pain

    @property
    def trend(self) -> Trend | None:
        if len(self.scores) < 2:
            return None
        if self.change <= -TREND_POINTS:
            return Trend.IMPROVING
        return Trend.WORSE if self.change >= TREND_POINTS else Trend.NO_BETTER

    @property
    def recent_change(self) -> int | None:
        """Latest score minus the earliest of the RECENT_DAYS before it; None
        when the latest is the only score in that window."""
        since = self.latest.at - timedelta(days=RECENT_DAYS)
        window = [p for p in self.scores if p.at >= since]
        return None if len(window) < 2 else self.latest.pain - window[0].pain

    @property
    def words(self) -> str:
        """The trend in one plain phrase, e.g. "improving: 8/10 at first, 4/10 now"."""
        if self.trend is None:
            return "one score so far: no trend yet"
        return f"{self.trend.value}: {self.first.pain}/10 at first, {self.latest.pain}/10 now"


@dataclass(frozen=True)
class TriageAnswer:
    episode_id: str
    onset: datetime
    finding: str
    question: str          # the finding's id when the knowledge base no longer has it
    tier: Urgency | None
    yes: bool              # "not sure" is recorded as yes

    @property
    def red_flag(self) -> bool:
        return self.yes and self.tier in RED_FLAG_TIERS


@dataclass(frozen=True)
class MedicineUse:
    name: str              # as first written; never a dose
    count: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class DetailRow:
    at: datetime
    kind: str              # "episode", "pain", "session", "medicine" or "habit"
    text: str


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    tz: tzinfo
    period: Period
    episode: EpisodeFacts | None
    episodes: tuple[Episode, ...]              # overlapping the period, oldest first
    pain: PainFacts | None
    triage: tuple[TriageAnswer, ...]           # newest episode first; yes, then tier
    triggers: tuple[TriggerCount, ...]
    treatments: tuple[Relief, ...]
    adherence: Adherence
    medicines: tuple[MedicineUse, ...]
    habits: tuple[HabitAverage, ...]           # those with anything logged
    pain_entries: tuple[PainEntry, ...]        # the records of the period, oldest first
    sessions: tuple[TreatmentSession, ...]
    medicines_taken: tuple[MedicineTaken, ...]
    habit_logs: tuple[HabitLog, ...]
    # The ids of records corrected after they were logged (the audit trail).
    edited: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.episodes or self.pain_entries or self.sessions
                    or self.medicines_taken or self.habit_logs)

    @property
    def edited_count(self) -> int:
        """How many of the period's records were corrected after they were logged."""
        return sum(r.id in self.edited for r in chain(
            self.episodes, self.pain_entries, self.sessions, self.medicines_taken,
            self.habit_logs))

    @property
    def red_flags(self) -> tuple[TriageAnswer, ...]:
        """Emergency or urgent warning signs answered yes (or not sure)."""
        return tuple(a for a in self.triage if a.red_flag)

    @property
    def rows(self) -> tuple[DetailRow, ...]:
        """Every record of the period in one time-ordered list."""
        rows = chain(
            (DetailRow(e.onset, "episode", _episode_text(e)) for e in self.episodes
             if self.period.holds(e.onset)),
            (DetailRow(p.at, "pain", _pain_text(p)) for p in self.pain_entries),
            (DetailRow(s.started_at, "session", _session_text(s)) for s in self.sessions),
            (DetailRow(m.at, "medicine", m.name) for m in self.medicines_taken),
            (DetailRow(h.at, "habit", f"{h.kind.value} {h.amount:g} {HABIT_UNITS[h.kind]}")
             for h in self.habit_logs),
        )
        return tuple(sorted(rows, key=lambda r: r.at))


def build_report(diary: Diary, *, now: datetime, kb: KnowledgeBase, tz: tzinfo,
                 since: datetime | None = None, until: datetime | None = None,
                 wake: time | None = None, sleep: time | None = None,
                 edited: Iterable[str] = ()) -> Report:
    """The report on the records made in [since, until) (from the first record,
    and up to now, when not given) as of ``now``. Times are shown in ``tz``;
    ``wake`` and ``sleep`` are the person's waking hours for the plan check
    (the care plan's defaults when not given); ``edited``, the ids of records
    corrected after they were logged, to mark them. BadInput for times without a
    time zone, a range that ends before it starts or one that starts in the
    future."""
    for name, value in (("now", now), ("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise BadInput(f"{name} must carry a time zone")
    if since is not None and until is not None and until <= since:
        raise BadInput(f"the range is inverted: it ends ({until.isoformat()}) before it "
                       f"starts ({since.isoformat()})")
    if since is not None and since > now:
        raise BadInput(f"the range starts in the future ({since.isoformat()}); give a start "
                       "date on or before today")
    now = now.astimezone(tz)
    first = min(_times(diary), default=now)
    period = Period((since or min(first, now)).astimezone(tz), (until or now).astimezone(tz),
                    end_excluded=until is not None)
    as_of = min(now, period.end)

    kept = diary.within(since, until)
    episodes = sorted(kept.episodes, key=lambda e: e.onset)
    pain, taken, habits = _sorted(kept.pain_entries), _sorted(kept.medicines), _sorted(kept.habits)
    sessions = sorted(kept.sessions, key=lambda s: s.started_at)
    current = _episode_in_question(episodes, as_of)
    rules = kb.careplan
    return Report(
        generated_at=now, tz=tz, period=period, episode=current, episodes=tuple(episodes),
        pain=_pain_facts(pain, current),
        triage=_triage(episodes, kb),
        triggers=trigger_counts(episodes),
        treatments=treatment_relief(sessions),
        # Sessions from before the period count too: an episode that began
        # just before it was followed (or not) with them.
        adherence=plan_adherence(episodes, [s for s in diary.sessions if s.started_at <= as_of],
                                 as_of, rules,
                                 wake or parse_clock(rules.default_wake, "wake"),
                                 sleep or parse_clock(rules.default_sleep, "sleep")),
        medicines=_medicine_uses(taken),
        habits=tuple(h for h in habit_averages(habits, period.start if habits else None, as_of)
                     if h.total),
        pain_entries=tuple(pain), sessions=tuple(sessions), medicines_taken=tuple(taken),
        habit_logs=tuple(habits), edited=frozenset(edited),
    )


def _sorted(records: Sequence[Timed]) -> list[Timed]:
    return sorted(records, key=lambda r: r.at)


def _times(diary: Diary) -> chain[datetime]:
    return chain((e.onset for e in diary.episodes), (p.at for p in diary.pain_entries),
                 (s.started_at for s in diary.sessions), (m.at for m in diary.medicines),
                 (h.at for h in diary.habits))


def _episode_in_question(episodes: Sequence[Episode], as_of: datetime) -> EpisodeFacts | None:
    """The latest episode still going at the end of the period, else the latest."""
    def facts(e: Episode) -> EpisodeFacts:
        ongoing = e.ended_at is None or e.ended_at > as_of
        return EpisodeFacts(e, ongoing, max((as_of if ongoing else e.ended_at or as_of)
                                            - e.onset, timedelta(0)))

    candidates = [facts(e) for e in episodes if e.onset <= as_of]
    return max(candidates, key=lambda f: (f.ongoing, f.episode.onset), default=None)


def _pain_facts(pain: Sequence[PainEntry], episode: EpisodeFacts | None) -> PainFacts | None:
    own = [p for p in pain if episode and p.episode_id == episode.episode.id]
    if own:
        return PainFacts(True, tuple(own))
    return PainFacts(False, tuple(pain)) if pain else None


def _triage(episodes: Sequence[Episode], kb: KnowledgeBase) -> tuple[TriageAnswer, ...]:
    known = {f.id: (i, f) for i, f in enumerate(kb.triage.findings)}
    answers = []
    for e in reversed(episodes):
        found = []
        for finding_id, yes in e.triage_answers.items():
            order, f = known.get(finding_id, (len(known), None))
            answer = TriageAnswer(e.id, e.onset, finding_id, f.question if f else finding_id,
                                  f.tier if f else None, yes)
            rank = f.tier.rank if f else -1
            found.append(((not yes, -rank, order, finding_id), answer))
        answers += [a for _, a in sorted(found, key=lambda pair: pair[0])]
    return tuple(answers)


def _medicine_uses(taken: Sequence[MedicineTaken]) -> tuple[MedicineUse, ...]:
    times: dict[str, list[datetime]] = defaultdict(list)
    for m in taken:
        times[m.name.casefold()].append(m.at)
    return tuple(MedicineUse(c.name, c.count, min(times[c.name.casefold()]),
                             max(times[c.name.casefold()])) for c in medicine_counts(taken))


def _episode_text(e: Episode) -> str:
    parts = ["episode began"]
    if e.region or e.side:
        parts.append(", ".join(v.value for v in (e.region, e.side) if v))
    if e.triggers:
        parts.append("after " + ", ".join(t.value.replace("-", " ") for t in e.triggers))
    if e.note:
        parts.append(e.note)
    return "; ".join(parts)


def _pain_text(p: PainEntry) -> str:
    parts = [f"pain {p.pain}/10, {p.severity}"]
    if p.impact is not None:
        parts.append(IMPACT_WORDS[p.impact])
    if p.stiffness is not None:
        parts.append(f"stiffness {p.stiffness}/10")
    if p.mobility is not None:
        parts.append(f"mobility {p.mobility.value.replace('-', ' ')}")
    if p.note:
        parts.append(p.note)
    return "; ".join(parts)


def _session_text(s: TreatmentSession) -> str:
    parts = [f"{s.kind.value} {s.minutes:g} min"]
    if s.pain_before is not None and s.pain_after is not None:
        parts.append(f"pain {s.pain_before} to {s.pain_after}")
    if not s.completed:
        parts.append("not completed")
    if s.note:
        parts.append(s.note)
    return "; ".join(parts)
