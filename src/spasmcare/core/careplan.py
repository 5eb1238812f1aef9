"""The care plan: which sessions to do when, hour by hour, for an episode.

The phases, session lengths, repeat intervals, gaps and daily caps are
knowledge-base data (``careplan.yaml``) with their sources; this module only
places sessions on the clock. Placement is greedy by priority: each rule's
sessions are put at the earliest free time in waking hours that respects the
rule's window, interval, gap and daily cap, and "break" sessions then fill any
hour with nothing in it, so that nobody sits for more than an hour.

A plan for the person's own episode also follows their diary (``done``): the
sessions they did count towards each rule's gaps and daily caps, the day is
planned from the end of the last one rather than from the moment of asking,
and so asking again later gives the same times until something new is done.
Walking grows from day to day (``walking`` in the rules), one length for all
of a day's walks, so that the day's total never falls when a phase changes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from spasmcare.core.checkin import Progress, clock_hours, progress
from spasmcare.core.clock import CLOCK_SKEW, hours_between, parse_clock
from spasmcare.core.diary import Episode, PainEntry, TreatmentSession
from spasmcare.core.diary_terms import TreatmentKind
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import CarePlanRules, SessionKind, SessionRule

if TYPE_CHECKING:
    from spasmcare.core.insights import Relief

MAX_DAYS = 28

# The diary's treatments that are sessions of the plan.
PLANNED = {TreatmentKind.ICE: SessionKind.ICE, TreatmentKind.HEAT: SessionKind.HEAT,
           TreatmentKind.WALK: SessionKind.WALK, TreatmentKind.STRETCH: SessionKind.STRETCH,
           TreatmentKind.STRENGTH: SessionKind.STRENGTH}


@dataclass(frozen=True)
class Done:
    """A session of the plan's kinds that the diary says was done."""

    kind: SessionKind
    start: datetime
    minutes: float

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)


def done_sessions(sessions: Sequence[TreatmentSession]) -> tuple[Done, ...]:
    """The diary's completed treatments that count as plan sessions."""
    return tuple(Done(PLANNED[s.kind], s.started_at, s.minutes) for s in sessions
                 if s.completed and s.kind in PLANNED)


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
    heading: str | None = None
    pathway: bool = False  # a change of course: shown first, as a warning
    lead: bool = False     # what the latest check-in changed: shown before the sessions

    def to_dict(self) -> dict[str, Any]:
        """The contract's shape; a heading leads the text."""
        head = {"topic": self.topic} if self.topic is not None else {}
        text = f"{self.heading}: {self.text}" if self.heading else self.text
        return {**head, "text": text, "sources": list(self.sources)}


@dataclass(frozen=True)
class Plan:
    phase: str
    hours_since_onset: float
    sessions: tuple[Session, ...]
    guidance: tuple[Note, ...]
    evidence_notes: tuple[Note, ...]
    done: tuple[Done, ...] = ()
    # Following the diary, the latest session of each kind planned earlier
    # today and not done (nothing was recorded after it): it can still be done
    # now, and doing it moves what follows. Not in ``sessions``, which start
    # from now.
    missed: tuple[Session, ...] = ()
    # Today's length, in seconds, of a walk and of a plank hold: the timers use
    # them, so that a timer started from the plan runs as long as the plan says.
    lengths: Mapping[SessionKind, int] = field(default_factory=dict)
    last_check_in: datetime | None = None  # the latest check-in still counting

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
    done: Sequence[Done] | None = None,
    check_ins: Sequence[PainEntry] = (),
    helped: Sequence[Relief] = (),
) -> Plan:
    """Sessions for ``days`` waking periods, starting with the one that contains
    ``now`` (or the next one, if ``now`` falls in sleeping hours). Both datetimes
    must carry a time zone; waking hours are read in the time zone of ``now``.

    Without ``done`` the plan starts at ``now``. With it (the person's own
    episode, even with nothing done yet) the current waking period is planned
    from its start, or from the end of the last session done in it, and only
    the sessions from ``now`` on are listed; the done ones are in ``done``.
    The check-ins among ``check_ins`` (see ``checkin``) gate stretching and core
    work and step the walking back after a flare. ``helped`` (the diary's
    relief by treatment) personalises the flare-up plan."""
    wake = wake or parse_clock(rules.default_wake, "wake")
    sleep = sleep or parse_clock(rules.default_sleep, "sleep")
    if onset.tzinfo is not None and now.tzinfo is not None and now < onset <= now + CLOCK_SKEW:
        now = onset  # recorded "just now" by a clock a moment ahead
    _check(onset, now, wake, sleep, days)
    hours = hours_between(onset, now)
    windows = waking_windows(now, wake, sleep, days)
    # The diary's times come back in UTC: everything is planned and shown in
    # the time zone of now.
    history = None if done is None else tuple(sorted(
        (Done(d.kind, d.start.astimezone(now.tzinfo), d.minutes) for d in done if d.start <= now),
        key=lambda d: d.start))
    # Following the diary, the waking period before this one is planned too
    # (and not listed): it carries into this one across a short night just as
    # today's carries into tomorrow, so a plan made tomorrow gives tomorrow the
    # same sessions as one made today.
    planned = windows if history is None else [
        w for w in waking_windows(now, wake, sleep, days, before=1) if w[1] > onset]
    state = progress(check_ins, onset, now, rules.check_in)
    scheduler = _Scheduler(onset, now, rules, history, state)
    sessions = scheduler.schedule(planned)
    phase = rules.phase_at(hours)
    kinds = {s.kind for s in sessions}
    first_start, first_end = windows[0]
    return Plan(
        phase=phase.id,
        hours_since_onset=round(hours, 2),
        sessions=tuple(sessions),
        guidance=_guidance(rules, phase.id, hours, state, helped),
        evidence_notes=tuple(
            Note(n.text, n.sources)
            for n in rules.evidence_notes
            if n.when_kind is None or n.when_kind in kinds
        ),
        done=tuple(d for d in history or () if first_start <= d.start < first_end),
        missed=scheduler.missed(first_start),
        lengths=_lengths(rules, hours_between(onset, max(first_start, onset)), hours, state),
        last_check_in=state.latest.at if state.latest is not None else None,
    )


def _lengths(rules: CarePlanRules, day_hours: float, hours: float,
             state: Progress) -> dict[SessionKind, int]:
    """Today's walk and plank hold, in seconds, as the scheduler gives them."""
    found: dict[SessionKind, int] = {}
    phase = rules.phase_at(day_hours).id
    walk = next((r for r in rules.sessions if r.kind is SessionKind.WALK and phase in r.phases),
                None)
    if walk is not None:
        found[SessionKind.WALK] = session_minutes(walk, rules, day_hours, state.flares) * 60
    plank = next((r for r in rules.sessions if r.kind is SessionKind.STRENGTH), None)
    if plank is not None:
        found[SessionKind.STRENGTH] = hold_seconds(plank, rules, hours,
                                                   state.opens_at(SessionKind.STRENGTH))
    return found


def _guidance(rules: CarePlanRules, phase: str, hours: float, state: Progress,
              helped: Sequence[Relief]) -> tuple[Note, ...]:
    """The notes for this moment: a change of course first, then what the
    latest check-in changed, then the rest."""
    notes = [Note(g.text + (" " + what_helped(helped, rules) if g.adds else ""), g.sources, g.topic,
                  g.heading, g.pathway) for g in rules.guidance if g.shown_at(phase, hours / 24)]
    said = state.explain()
    if said is not None and state.rules is not None:
        notes.insert(0, Note(said, state.rules.sources, "staying-active",
                             state.rules.messages.heading, lead=True))
    return tuple(sorted(notes, key=lambda n: not n.pathway))


def what_helped(helped: Sequence[Relief], rules: CarePlanRules) -> str:
    """A sentence on the treatments that eased this person's pain, from the
    diary's relief figures (enough sessions, at least a point on average)."""
    if rules.check_in is None:
        return ""
    say = rules.check_in.messages
    best = [r for r in helped if not r.too_few and r.mean is not None and r.mean >= 1][:3]
    if not best:
        return say.nothing_helped_yet
    return say.helped.format(said="; ".join(f"{r.kind.value} ({r.verdict})" for r in best))


def episode_plan(episode: Episode, sessions: Sequence[TreatmentSession], now: datetime,
                 rules: CarePlanRules, *, wake: time, sleep: time, days: int = 1,
                 check_ins: Sequence[PainEntry] = (), helped: Sequence[Relief] = ()) -> Plan:
    """The plan for one of the person's episodes, following what their diary
    says they did and how they said they were (its pain entries). The CLI, the
    web pages, the API and the calendar all plan an episode through here, so
    they give the same sessions at the same moment."""
    onset = episode.onset.astimezone(now.tzinfo)
    mine = [s for s in sessions if s.episode_id in (None, episode.id)]
    felt = [p for p in check_ins if p.episode_id in (None, episode.id)]
    return build_plan(onset, now, rules, wake=wake, sleep=sleep, days=days,
                      done=done_sessions(mine), check_ins=felt, helped=helped)


def walk_minutes(rules: CarePlanRules, hours_since_onset: float,
                 steps_back: int = 0) -> int | None:
    """The day's walking, in whole minutes, for a day that starts
    ``hours_since_onset`` after onset, less ``steps_back`` growth steps (one
    per flare); rounded up so that every phase's walks share it out in whole
    minutes. None when the rules set no growth."""
    growth = rules.walking
    if growth is None:
        return None
    steps = max(math.floor(max(hours_since_onset, 0) / 24 / growth.every_days) - steps_back, 0)
    total = min(growth.max_daily_minutes,
                growth.start_daily_minutes * (1 + growth.growth_percent / 100) ** steps)
    share = math.lcm(*(r.max_per_day for r in rules.sessions if r.kind is SessionKind.WALK))
    return math.ceil(round(total, 6) / share) * share


def session_minutes(rule: SessionRule, rules: CarePlanRules, day_hours: float | None,
                    steps_back: int = 0) -> int:
    """How long one of ``rule``'s sessions lasts on a day that starts
    ``day_hours`` after onset: a walk is its share of the day's walking (never
    shorter than the rule's minutes); anything else, the rule's minutes."""
    if rule.kind is not SessionKind.WALK or day_hours is None:
        return rule.minutes
    total = walk_minutes(rules, day_hours, steps_back)
    return rule.minutes if total is None else max(rule.minutes, total // rule.max_per_day)


def change_hours(rules: CarePlanRules, until_hours: float) -> list[float]:
    """Every number of hours since onset, up to ``until_hours``, at which the
    rules can change what the plan holds: phase starts, each rule's window, and
    each step of the walking's growth."""
    hours = {p.starts_hours for p in rules.phases}
    for r in rules.sessions:
        hours |= {r.from_hours} | ({r.until_hours} if r.until_hours is not None else set())
    if rules.check_in is not None:
        hours |= {g.clock_hours for g in rules.check_in.gates.values()}
    if rules.walking is not None:
        step = rules.walking.every_days * 24
        hours |= {k * step for k in range(1, int(until_hours // step) + 1)}
    return sorted(h for h in hours if h <= until_hours)


def hold_seconds(rule: SessionRule, rules: CarePlanRules, hours_since_onset: float | None,
                 opens_at: float | None = None) -> int:
    """How long to hold a progressing exercise (a plank): the progression's
    start, plus a step for every ``every_days`` since the rule's window opened
    (``opens_at``, or by default when the clock alone would open it), up to
    its maximum. Without a progression, the session's whole length."""
    p = rule.progression
    if p is None:
        return rule.minutes * 60
    if hours_since_onset is None:
        return p.start_seconds
    opens = max(rule.from_hours,
                min(ph.starts_hours for ph in rules.phases if ph.id in rule.phases))
    if opens_at is not None:
        opens = max(opens, opens_at)
    elif (clock := clock_hours(rules.check_in, rule.kind)) is not None:
        opens = max(opens, clock)
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


def waking_windows(now: datetime, wake: time, sleep: time, days: int,
                   before: int = 0) -> list[Window]:
    """The waking period that holds ``now`` (or the next) and the ``days - 1``
    after it, preceded by ``before`` earlier ones."""
    tz = now.tzinfo

    def window(day: date) -> Window:
        start = datetime.combine(day, wake, tz)
        end = datetime.combine(day, sleep, tz)
        return start, end if end > start else end + timedelta(days=1)

    first = next(
        d for d in (now.date() + timedelta(days=k) for k in (-1, 0, 1)) if window(d)[1] > now
    )
    return [window(first + timedelta(days=k)) for k in range(-before, days)]


class _Scheduler:
    def __init__(self, onset: datetime, now: datetime, rules: CarePlanRules,
                 done: Sequence[Done] | None = None, state: Progress | None = None) -> None:
        self.onset = onset
        self.now = now
        self.rules = rules
        self.done = done
        self.state = state or progress((), onset, now, rules.check_in)
        self.placed: list[Session] = []
        self.last_start: dict[SessionKind, datetime] = {}
        self.day_hours = 0.0  # hours since onset when the current waking period starts
        # Where a rule can start to apply: what the rules change at (phase
        # starts, windows, growth steps) and when the latest check-in was made.
        self.boundaries = sorted({*change_hours(rules, self._hours(now) + 24 * (MAX_DAYS + 3)),
                                  self.state.latest_hours})
        for d in done or ():
            self.last_start[d.kind] = d.start  # done is in time order

    def schedule(self, windows: list[Window]) -> list[Session]:
        ordered = sorted(self.rules.sessions, key=lambda r: r.priority)
        fillers = [r for r in ordered if r.kind is SessionKind.BREAK]
        for start, end in windows:
            self.day_hours = self._hours(max(start, self.onset))
            day_counts: Counter[tuple[str, str]] = Counter()
            start = self._first_free(start, end, day_counts)
            for rule in ordered:
                if rule.kind is not SessionKind.BREAK:
                    self._place_rule(rule, start, end, day_counts)
            for rule in fillers:
                self._fill_breaks(rule, start, end, day_counts)
        return sorted((s for s in self.placed if s.start >= self.now), key=lambda s: s.start)

    def missed(self, since: datetime) -> tuple[Session, ...]:
        """The latest session of each kind (breaks aside) placed from ``since``
        and before now: planned after the last one done, so not done."""
        if self.done is None:
            return ()
        latest: dict[SessionKind, Session] = {}
        for s in sorted(self.placed, key=lambda s: s.start):
            if since <= s.start < self.now and s.kind is not SessionKind.BREAK:
                latest[s.kind] = s
        return tuple(sorted(latest.values(), key=lambda s: s.start))

    def _first_free(self, start: datetime, end: datetime,
                    day_counts: Counter[tuple[str, str]]) -> datetime:
        """Where planning of a waking period begins: at ``now`` for a plan
        without a diary; otherwise at the period's start, or after the last
        session done in it (they also count towards the day's caps), or after
        the latest check-in in it: something new was recorded then."""
        if self.done is None:
            return max(start, self._ceil(self.now))
        begin = max(start, self._ceil(self.onset))
        checked = self.state.latest.at if self.state.latest is not None else None
        if checked is not None and start <= checked < end:
            begin = max(begin, self._ceil(checked))
        for d in self.done:
            if start <= d.start < end:
                day_counts["kind", d.kind] += 1
                rule = next((r for r in self.rules.sessions
                             if r.kind is d.kind and self._valid_at(r, d.start)), None)
                if rule is not None:
                    day_counts["rule", rule.id] += 1
                begin = max(begin, self._ceil(d.end + self._buffer))
        return begin

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
            slot = self._free_slot(valid_from, self._minutes(rule), end)
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
            minutes=self._minutes(rule),
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
        hold = hold_seconds(rule, self.rules, self._hours(at), self.state.opens_at(rule.kind))
        return (rule.instructions.replace("{hold_seconds}", str(hold))
                .replace("{minutes}", str(self._minutes(rule))))

    def _minutes(self, rule: SessionRule) -> int:
        return session_minutes(rule, self.rules, self.day_hours, self.state.flares)

    def _hours(self, at: datetime) -> float:
        return hours_between(self.onset, at)

    def _valid_at(self, rule: SessionRule, at: datetime) -> bool:
        # A day's walks all follow the rule of the day's start, so that the
        # day's walking is one share-out of its total.
        h = self.day_hours if rule.kind is SessionKind.WALK else self._hours(at)
        if h < rule.from_hours or (rule.until_hours is not None and h >= rule.until_hours):
            return False
        if not self.state.allows(rule.kind, h):
            return False
        return self.rules.phase_at(h).id in rule.phases

    def _next_valid(self, rule: SessionRule, t: datetime) -> datetime | None:
        """The first time at or after ``t`` when ``rule`` applies, or None."""
        if self._valid_at(rule, t):
            return t
        if rule.kind is SessionKind.WALK:
            return None  # not today's walking rule
        h = self._hours(t)
        if rule.until_hours is not None and h >= rule.until_hours:
            return None
        for b in self.boundaries:
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
