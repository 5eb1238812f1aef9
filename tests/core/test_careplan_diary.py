"""The plan follows the person: sessions they did move the next ones, asking
again later gives the same times, and the day's walking never falls. Checked
over random onsets, waking hours and diaries of done sessions with Hypothesis."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime, time, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.core.careplan import Done, Plan, build_plan, walk_minutes
from spasmcare.core.knowledge import SessionKind
from spasmcare.core.loader import load_knowledge

RULES = load_knowledge().careplan
TZ = timezone(timedelta(hours=1))
WAKE, SLEEP = time(7), time(23)
DONE_KINDS = [SessionKind.ICE, SessionKind.HEAT, SessionKind.WALK, SessionKind.STRETCH,
              SessionKind.STRENGTH]


def hours(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 3600


def waking_day(at: datetime, wake: time = WAKE) -> object:
    return at.date() if at.time() >= wake else at.date() - timedelta(days=1)


@st.composite
def diaries(draw: st.DrawFn) -> tuple[datetime, datetime, list[Done]]:
    """An onset, a moment to plan at up to ten days later, and sessions done
    between them (any kind, any time, as a person's diary may hold)."""
    onset = datetime(2026, 5, 1, tzinfo=TZ) + timedelta(minutes=5 * draw(st.integers(0, 2000)))
    now = onset + timedelta(minutes=draw(st.integers(0, 60 * 24 * 10)))
    span = int(hours(onset, now) * 60)
    done = [Done(draw(st.sampled_from(DONE_KINDS)), onset + timedelta(minutes=m),
                 draw(st.sampled_from([5, 15, 20])))
            for m in draw(st.lists(st.integers(0, span), max_size=12))]
    return onset, now, done


def plan(onset: datetime, now: datetime, done: list[Done], days: int = 1) -> Plan:
    return build_plan(onset, now, RULES, wake=WAKE, sleep=SLEEP, days=days, done=done)


@settings(max_examples=250, deadline=None)
@given(diaries())
def test_done_sessions_count_towards_the_gaps_and_the_daily_caps(
        case: tuple[datetime, datetime, list[Done]]) -> None:
    onset, now, done = case
    p = plan(onset, now, done, days=2)
    past = [d for d in done if d.start <= now]
    for s in p.sessions:
        assert s.start >= now
        if s.kind is SessionKind.ICE:
            # no ice sooner than two hours after the last one done
            assert all(hours(d.start, s.start) >= 2 for d in past if d.kind is SessionKind.ICE)
        if s.kind is SessionKind.HEAT:
            assert hours(onset, s.start) >= 48
        if s.kind is SessionKind.STRENGTH:
            assert RULES.phase_at(hours(onset, s.start)).id != "acute"
    # heat at most four a day, what was done included
    heat = Counter(waking_day(d.start) for d in past if d.kind is SessionKind.HEAT
                   and WAKE <= d.start.time() < SLEEP)
    planned = Counter(waking_day(s.start) for s in p.sessions if s.kind is SessionKind.HEAT)
    for day, n in planned.items():
        assert n + heat.get(day, 0) <= 4, day
    ordered = sorted(p.sessions, key=lambda x: x.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(ordered))


@settings(max_examples=150, deadline=None)
@given(diaries(), st.integers(1, 60 * 20))
def test_asking_again_later_gives_the_same_sessions(
        case: tuple[datetime, datetime, list[Done]], minutes: int) -> None:
    onset, now, done = case
    later = now + timedelta(minutes=minutes)
    first, second = plan(onset, now, done, days=3), plan(onset, later, done, days=2)
    still_ahead = [s for s in first.sessions if s.start >= later]
    horizon = second.sessions[-1].start if second.sessions else later
    assert [s for s in second.sessions if s.start <= horizon] == [
        s for s in still_ahead if s.start <= horizon]


def test_an_ice_done_moves_the_next_ice() -> None:
    onset = datetime(2026, 5, 4, 8, 0, tzinfo=TZ)
    now = onset + timedelta(hours=3)
    before = plan(onset, now, [])
    ice = Done(SessionKind.ICE, now - timedelta(minutes=30), 20)
    after = plan(onset, now, [ice])
    next_ice = next(s.start for s in after.sessions if s.kind is SessionKind.ICE)
    assert next_ice >= ice.start + timedelta(hours=2)
    assert [s.start for s in before.sessions] != [s.start for s in after.sessions]
    assert after.done == (ice,)
    assert not any(s.start < now for s in after.sessions)


def test_a_fifth_heat_is_never_planned() -> None:
    onset = datetime(2026, 5, 1, 8, 0, tzinfo=TZ)
    day = datetime(2026, 5, 4, 7, 0, tzinfo=TZ)
    done = [Done(SessionKind.HEAT, day + timedelta(hours=3 * k), 20) for k in range(4)]
    p = plan(onset, day + timedelta(hours=10), done)
    assert not [s for s in p.sessions if s.kind is SessionKind.HEAT]
    assert len(p.done) == 4


def test_a_plan_without_a_diary_still_starts_from_now() -> None:
    # The contract's form (`plan --onset --now`): no diary, planned from now.
    onset = datetime(2026, 5, 4, 8, 0, tzinfo=TZ)
    now = onset + timedelta(hours=5, minutes=2)
    p = build_plan(onset, now, RULES, wake=WAKE, sleep=SLEEP)
    assert p.sessions[0].start == now.replace(minute=5)


def daily_walking(p: Plan, wake: time) -> dict[object, int]:
    totals: Counter[object] = Counter()
    for s in p.sessions:
        if s.kind is SessionKind.WALK:
            totals[waking_day(s.start, wake)] += s.minutes
    return dict(totals)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 23 * 12), st.sampled_from([(time(7), time(23)), (time(6), time(22)),
                                                 (time(8, 30), time(23, 30))]))
def test_the_days_walking_never_falls(onset_slot: int, hours_awake: tuple[time, time]) -> None:
    wake, sleep = hours_awake
    onset = datetime(2026, 6, 1, tzinfo=TZ) + timedelta(minutes=5 * onset_slot)
    first_morning = datetime.combine(onset.date() + timedelta(days=1), wake, TZ)
    p = build_plan(onset, first_morning, RULES, wake=wake, sleep=sleep, days=24)
    totals = [n for _, n in sorted(daily_walking(p, wake).items())]
    assert len(totals) == 24
    assert all(a <= b for a, b in itertools.pairwise(totals)), totals
    assert totals[-1] >= 20 and totals[-1] > totals[0]


def test_walking_grows_by_ten_to_twenty_percent_every_few_days() -> None:
    growth = RULES.walking
    assert growth is not None and 10 <= growth.growth_percent <= 20 and growth.every_days <= 4
    days = [walk_minutes(RULES, 24 * d) for d in range(30)]
    steps = [b / a - 1 for a, b in itertools.pairwise(days) if b != a]
    assert steps and all(0.05 <= s <= 0.25 for s in steps), steps
    assert max(d for d in days if d is not None) == growth.max_daily_minutes
