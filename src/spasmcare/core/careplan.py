"""The care plan: which sessions to do when, hour by hour, for an episode.

The phases, session lengths, repeat intervals, gaps and daily caps are
knowledge-base data (``careplan.yaml``) with their sources; this module only
places sessions on the clock. Placement is greedy by priority: each rule's
sessions are put at the earliest free time in waking hours that respects the
rule's window, interval, gap and daily cap, and "break" sessions then fill any
hour with nothing in it, so that nobody sits for more than an hour.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from spasmcare.core.clock import CLOCK_SKEW, hours_between, parse_clock
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import CarePlanRules, SessionKind, SessionRule

MAX_DAYS = 28


@dataclass(frozen=True)
class Session:
    kind: SessionKind
    start: datetime
    minutes: int
    instructions: str
    safety: tuple[str, ...]
    sources: tuple[str, ...]
    rule: str

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    def to_dict(self) -> dict[str, Any]:
        text = self.instructions
        if self.safety:
            text += " Safety: " + " ".join(self.safety)
        return {
            "kind": self.kind.value,
            "start": self.start.isoformat(),
            "minutes": self.minutes,
            "instructions": text,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Note:
    text: str
    sources: tuple[str, ...]
    topic: str | None = None

    def to_dict(self) -> dict[str, Any]:
        head = {"topic": self.topic} if self.topic is not None else {}
        return {**head, "text": self.text, "sources": list(self.sources)}


@dataclass(frozen=True)
class Plan:
    phase: str
    hours_since_onset: float
    sessions: tuple[Session, ...]
    guidance: tuple[Note, ...]
    evidence_notes: tuple[Note, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of CONTRACTS section 3."""
        return {
            "phase": self.phase,
            "hours_since_onset": self.hours_since_onset,
            "sessions": [s.to_dict() for s in self.sessions],
            "guidance": [g.to_dict() for g in self.guidance],
            "evidence_notes": [n.to_dict() for n in self.evidence_notes],
        }


def build_plan(
    onset: datetime,
    now: datetime,
    rules: CarePlanRules,
    *,
    wake: time | None = None,
    sleep: time | None = None,
    days: int = 1,
) -> Plan:
    """Sessions for ``days`` waking periods, starting with the one that contains
    ``now`` (or the next one, if ``now`` falls in sleeping hours). Both datetimes
    must carry a time zone; waking hours are read in the time zone of ``now``."""
    wake = wake or parse_clock(rules.default_wake, "wake")
    sleep = sleep or parse_clock(rules.default_sleep, "sleep")
    if onset.tzinfo is not None and now.tzinfo is not None and now < onset <= now + CLOCK_SKEW:
        now = onset  # recorded "just now" by a clock a moment ahead
    _check(onset, now, wake, sleep, days)
    hours = hours_between(onset, now)
    windows = _waking_windows(now, wake, sleep, days)
    sessions = _Scheduler(onset, now, rules).schedule(windows)
    phase = rules.phase_at(hours)
    kinds = {s.kind for s in sessions}
    return Plan(
        phase=phase.id,
        hours_since_onset=round(hours, 2),
        sessions=tuple(sessions),
        guidance=tuple(
            Note(g.text, g.sources, g.topic) for g in rules.guidance if phase.id in g.phases
        ),
        evidence_notes=tuple(
            Note(n.text, n.sources)
            for n in rules.evidence_notes
            if n.when_kind is None or n.when_kind in kinds
        ),
    )


def hold_seconds(rule: SessionRule, rules: CarePlanRules, hours_since_onset: float | None) -> int:
    """How long to hold a progressing exercise (a plank): the progression's
    start, plus a step for every ``every_days`` since the rule's window opened,
    up to its maximum. Without a progression, the session's whole length."""
    p = rule.progression
    if p is None:
        return rule.minutes * 60
    if hours_since_onset is None:
        return p.start_seconds
    opens = max(rule.from_hours,
                min(ph.starts_hours for ph in rules.phases if ph.id in rule.phases))
    days = max(hours_since_onset - opens, 0) / 24
    return min(p.max_seconds, p.start_seconds + math.floor(days / p.every_days) * p.step_seconds)


def ice_limit_minutes(rules: CarePlanRules) -> int:
    """The longest ice session the knowledge base allows."""
    return max(r.minutes for r in rules.sessions if r.kind is SessionKind.ICE)


def _check(onset: datetime, now: datetime, wake: time, sleep: time, days: int) -> None:
    if onset.tzinfo is None or now.tzinfo is None:
        raise BadInput("onset and now must carry a time zone")
    if onset > now:
        raise BadInput(f"the onset ({onset.isoformat()}) is after now ({now.isoformat()}); "
                       "give the time the spasm began, which cannot be in the future")
    if wake == sleep:
        raise BadInput("wake and sleep times must differ")
    if not 1 <= days <= MAX_DAYS:
        raise BadInput(f"days must be a whole number from 1 to {MAX_DAYS} (got {days})")


Window = tuple[datetime, datetime]


def _waking_windows(now: datetime, wake: time, sleep: time, days: int) -> list[Window]:
    tz = now.tzinfo

    def window(day: date) -> Window:
        start = datetime.combine(day, wake, tz)
        end = datetime.combine(day, sleep, tz)
        return start, end if end > start else end + timedelta(days=1)

    first = next(
        d for d in (now.date() + timedelta(days=k) for k in (-1, 0, 1)) if window(d)[1] > now
    )
    return [window(first + timedelta(days=k)) for k in range(days)]


class _Scheduler:
    def __init__(self, onset: datetime, now: datetime, rules: CarePlanRules) -> None:
        self.onset = onset
        self.now = now
        self.rules = rules
        self.placed: list[Session] = []
        self.last_start: dict[SessionKind, datetime] = {}

    def schedule(self, windows: list[Window]) -> list[Session]:
        ordered = sorted(self.rules.sessions, key=lambda r: r.priority)
        fillers = [r for r in ordered if r.kind is SessionKind.BREAK]
        for start, end in windows:
            start = max(start, self._ceil(self.now))
            day_counts: Counter[tuple[str, str]] = Counter()
            for rule in ordered:
                if rule.kind is not SessionKind.BREAK:
                    self._place_rule(rule, start, end, day_counts)
            for rule in fillers:
                self._fill_breaks(rule, start, end, day_counts)
        return sorted(self.placed, key=lambda s: s.start)

    # -- one rule in one waking window ---------------------------------------

    def _place_rule(self, rule: SessionRule, start: datetime, end: datetime,
                    day_counts: Counter[tuple[str, str]]) -> None:
        gap = timedelta(hours=rule.min_gap_hours)
        t = start
        last = self.last_start.get(rule.kind)
        if last is not None:
            t = max(t, self._ceil(last + gap))
        while self._room(rule, day_counts):
            valid_from = self._next_valid(rule, t)
            if valid_from is None:
                return
            slot = self._free_slot(valid_from, rule.minutes, end)
            if slot is None:
                return
            if not self._valid_at(rule, slot):
                t = slot  # pushed out of the rule's window: look for its next one
                continue
            self._add(rule, slot, day_counts)
            t = self._ceil(slot + timedelta(hours=rule.every_hours))

    def _fill_breaks(self, rule: SessionRule, start: datetime, end: datetime,
                     day_counts: Counter[tuple[str, str]]) -> None:
        """Put a short break wherever more than ``every_hours`` would pass
        without any session getting the person up."""
        limit = timedelta(hours=rule.every_hours)
        length = timedelta(minutes=rule.minutes)
        last_up = start
        for nxt in [s.start for s in self._in(start, end)] + [end]:
            while nxt - last_up > limit and self._room(rule, day_counts):
                t = self._floor(last_up + limit)
                if t + length > end or (nxt < end and t + length + self._buffer > nxt):
                    break  # the next session, or bedtime, comes first
                if not self._valid_at(rule, t) or self._overlaps(t, length):
                    break
                self._add(rule, t, day_counts)
                last_up = t
            last_up = max(last_up, nxt)

    # -- helpers ----------------------------------------------------------------

    @property
    def _buffer(self) -> timedelta:
        return timedelta(minutes=self.rules.buffer_minutes)

    def _add(self, rule: SessionRule, at: datetime, day_counts: Counter[tuple[str, str]]) -> None:
        self.placed.append(Session(
            kind=rule.kind,
            start=at,
            minutes=rule.minutes,
            instructions=self._instructions(rule, at),
            safety=rule.safety,
            sources=rule.sources,
            rule=rule.id,
        ))
        self.last_start[rule.kind] = at
        day_counts["rule", rule.id] += 1
        day_counts["kind", rule.kind] += 1

    def _room(self, rule: SessionRule, day_counts: Counter[tuple[str, str]]) -> bool:
        """Whether ``rule`` may place another session today: its own cap, and
        the kind's cap (the largest of its rules') across a change of phase."""
        kind_cap = max(r.max_per_day for r in self.rules.sessions if r.kind is rule.kind)
        return (day_counts["rule", rule.id] < rule.max_per_day
                and day_counts["kind", rule.kind] < kind_cap)

    def _instructions(self, rule: SessionRule, at: datetime) -> str:
        hold = hold_seconds(rule, self.rules, self._hours(at))
        return rule.instructions.replace("{hold_seconds}", str(hold))

    def _hours(self, at: datetime) -> float:
        return hours_between(self.onset, at)

    def _valid_at(self, rule: SessionRule, at: datetime) -> bool:
        h = self._hours(at)
        if h < rule.from_hours or (rule.until_hours is not None and h >= rule.until_hours):
            return False
        return self.rules.phase_at(h).id in rule.phases

    def _next_valid(self, rule: SessionRule, t: datetime) -> datetime | None:
        """The first time at or after ``t`` when ``rule`` applies, or None."""
        if self._valid_at(rule, t):
            return t
        h = self._hours(t)
        if rule.until_hours is not None and h >= rule.until_hours:
            return None
        boundaries = sorted({rule.from_hours, *(p.starts_hours for p in self.rules.phases)})
        for b in boundaries:
            if b > h:
                later = self.onset.astimezone(UTC) + timedelta(hours=b)
                candidate = self._ceil(later.astimezone(self.now.tzinfo))
                if self._valid_at(rule, candidate):
                    return candidate
        return None

    def _free_slot(self, t: datetime, minutes: int, end: datetime) -> datetime | None:
        length = timedelta(minutes=minutes)
        while t + length <= end:
            clash = self._overlaps(t, length)
            if clash is None:
                return t
            t = self._ceil(clash.end + self._buffer)
        return None

    def _overlaps(self, t: datetime, length: timedelta) -> Session | None:
        for s in self.placed:
            if t < s.end + self._buffer and s.start < t + length + self._buffer:
                return s
        return None

    def _in(self, start: datetime, end: datetime) -> list[Session]:
        return sorted((s for s in self.placed if start <= s.start < end), key=lambda s: s.start)

    def _floor(self, t: datetime) -> datetime:
        return self._ceil(t) if self._ceil(t) == t else self._ceil(t) - timedelta(
            minutes=self.rules.slot_minutes)

    def _ceil(self, t: datetime) -> datetime:
        """``t`` rounded up to the next whole slot (5 minutes, say)."""
        step = self.rules.slot_minutes * 60
        seconds = t.minute * 60 + t.second + t.microsecond / 1e6
        up = math.ceil(seconds / step) * step
        return t.replace(minute=0, second=0, microsecond=0) + timedelta(seconds=up)
