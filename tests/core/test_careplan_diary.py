"""The plan follows the person: sessions they did move the next ones, asking
again later gives the same times, and the day's walking never falls. Checked
over random onsets, waking hours and diaries of done sessions with Hypothesis."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, time, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.core.careplan import Done, Plan, build_plan, walk_minutes
from spasmcare.core.diary import PainEntry
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


# --- the daily check-in -------------------------------------------------------


def check_in(at: datetime, pain: int, mobility: str | None = "limited",
             worse: bool | None = None) -> PainEntry:
    return PainEntry(at=at, pain=pain, severity="moderate", mobility=mobility,
                     worse_next_morning=worse)


def kinds_on(onset: datetime, now: datetime, felt: list[PainEntry]) -> set[str]:
    p = build_plan(onset, now, RULES, wake=WAKE, sleep=SLEEP, done=[], check_ins=felt)
    return {s.kind.value for s in p.sessions}


ONSET = datetime(2026, 5, 4, 8, 0, tzinfo=TZ)


def test_without_check_ins_the_clock_decides() -> None:
    assert "stretch" not in kinds_on(ONSET, ONSET + timedelta(hours=30), [])
    assert "stretch" in kinds_on(ONSET, ONSET + timedelta(hours=50), [])
    assert "strength" not in kinds_on(ONSET, ONSET + timedelta(days=5), [])
    assert "strength" in kinds_on(ONSET, ONSET + timedelta(days=8), [])


def test_a_settled_check_in_starts_stretches_early_and_core_work_after_three_days() -> None:
    now = ONSET + timedelta(hours=27)
    assert "stretch" in kinds_on(ONSET, now, [check_in(now - timedelta(hours=1), 4)])
    day4 = ONSET + timedelta(days=3, hours=3)
    felt = [check_in(day4 - timedelta(hours=1), 2, "full")]
    assert {"stretch", "strength"} <= kinds_on(ONSET, day4, felt)


def test_a_back_that_has_not_settled_holds_stretches_and_core_work_past_day_seven() -> None:
    day10 = ONSET + timedelta(days=10)
    felt = [check_in(day10 - timedelta(hours=2), 7, "very-limited")]
    kinds = kinds_on(ONSET, day10, felt)
    assert "stretch" not in kinds and "strength" not in kinds and "walk" in kinds
    p = build_plan(ONSET, day10, RULES, wake=WAKE, sleep=SLEEP, done=[], check_ins=felt)
    assert p.guidance[0].heading == "Your check-in" and "Stretches start once" in p.guidance[0].text


def test_a_flare_pauses_core_work_and_steps_the_walking_back() -> None:
    day9 = ONSET + timedelta(days=9)
    good = [check_in(day9 - timedelta(days=1), 2, "full")]
    flare = [*good, check_in(day9 - timedelta(hours=1), 3, "full", worse=True)]
    calm = build_plan(ONSET, day9, RULES, wake=WAKE, sleep=SLEEP, done=[], check_ins=good)
    worse = build_plan(ONSET, day9, RULES, wake=WAKE, sleep=SLEEP, done=[], check_ins=flare)
    assert "strength" in {s.kind.value for s in calm.sessions}
    assert "strength" not in {s.kind.value for s in worse.sessions}
    assert worse.lengths[SessionKind.WALK] < calm.lengths[SessionKind.WALK]
    walks = [s.minutes * 60 for s in worse.sessions if s.kind is SessionKind.WALK]
    assert walks and set(walks) == {worse.lengths[SessionKind.WALK]}
    assert "flare" in worse.guidance[0].text
    # a jump of two points since the check-in before is a flare too
    jump = [*good, check_in(day9 - timedelta(hours=1), 4, "full")]
    assert "strength" not in kinds_on(ONSET, day9, jump)


def test_a_stale_check_in_hands_back_to_the_clock() -> None:
    day12 = ONSET + timedelta(days=12)
    old = [check_in(day12 - timedelta(days=4), 8, "very-limited")]
    assert {"stretch", "strength"} <= kinds_on(ONSET, day12, old)


@settings(max_examples=120, deadline=None)
@given(diaries(), st.lists(st.tuples(st.integers(0, 60 * 24 * 10), st.integers(0, 10),
                                     st.sampled_from(["full", "limited", "very-limited"]),
                                     st.sampled_from([None, False, True])), max_size=6))
def test_check_ins_never_break_the_plans_invariants(
        case: tuple[datetime, datetime, list[Done]],
        felt: list[tuple[int, int, str, bool | None]]) -> None:
    onset, now, done = case
    entries = [check_in(onset + timedelta(minutes=m), pain, mob, worse)
               for m, pain, mob, worse in felt]
    p = build_plan(onset, now, RULES, wake=WAKE, sleep=SLEEP, days=2, done=done,
                   check_ins=entries)
    for s in p.sessions:
        assert s.start >= now
        phase = RULES.phase_at(hours(onset, s.start)).id
        if s.kind is SessionKind.STRENGTH:
            assert phase != "acute"
        if s.kind is SessionKind.HEAT:
            assert hours(onset, s.start) >= 48
        if s.kind is SessionKind.STRETCH:
            assert hours(onset, s.start) >= 24
    # the same diary, asked again later, plans the same sessions
    cut = now + timedelta(minutes=20)
    entries = [e for e in entries if e.at <= now]
    first = build_plan(onset, now, RULES, wake=WAKE, sleep=SLEEP, days=2, done=done,
                       check_ins=entries)
    later = build_plan(onset, cut, RULES, wake=WAKE, sleep=SLEEP, done=done, check_ins=entries)
    horizon = later.sessions[-1].start if later.sessions else cut
    assert list(later.sessions) == [s for s in first.sessions if cut <= s.start <= horizon]


def test_a_diary_in_utc_is_planned_and_shown_in_the_local_time_zone() -> None:
    from zoneinfo import ZoneInfo

    new_york = ZoneInfo("America/New_York")
    now = datetime(2026, 12, 3, 9, 26, tzinfo=new_york)
    onset = now - timedelta(hours=30)
    done = [Done(SessionKind.ICE, (now - timedelta(minutes=40)).astimezone(UTC), 20)]
    felt = [PainEntry(at=(now - timedelta(minutes=5)).astimezone(UTC), pain=4,
                      severity="moderate", mobility="limited")]
    p = build_plan(onset, now, RULES, wake=WAKE, sleep=SLEEP, done=done, check_ins=felt)
    assert p.sessions and {s.start.utcoffset() for s in p.sessions} == {now.utcoffset()}
    assert p.done[0].start.utcoffset() == now.utcoffset()
    assert p.guidance[0].text.startswith("Thu 09:21, pain 4/10")


def test_a_planks_hold_grows_from_the_check_in_that_opened_core_work() -> None:
    day20 = ONSET + timedelta(days=20)
    late = [check_in(day20 - timedelta(hours=1), 2, "full")]  # settled only on day 20
    p = build_plan(ONSET, day20, RULES, wake=WAKE, sleep=SLEEP, done=[], check_ins=late)
    start = RULES.sessions[[r.kind for r in RULES.sessions].index(SessionKind.STRENGTH)]
    assert start.progression is not None
    assert p.lengths[SessionKind.STRENGTH] == start.progression.start_seconds


def test_a_session_planned_earlier_and_not_done_is_offered_as_missed() -> None:
    onset = datetime(2026, 5, 4, 8, 0, tzinfo=TZ)
    now = datetime(2026, 5, 5, 10, 17, tzinfo=TZ)  # nothing done today yet
    p = plan(onset, now, [])
    ice = [s for s in p.missed if s.kind is SessionKind.ICE]
    assert len(ice) == 1 and ice[0].start < now
    assert all(s.start >= now for s in p.sessions)
    # doing it now moves the next ice on, and it is no longer missed
    done = [Done(SessionKind.ICE, now, 20)]
    after = plan(onset, now + timedelta(minutes=25), done)
    assert not [s for s in after.missed if s.kind is SessionKind.ICE]
    next_ice = next(s.start for s in after.sessions if s.kind is SessionKind.ICE)
    assert next_ice >= now + timedelta(hours=2)
    # the contract's form, without a diary, has nothing missed
    assert build_plan(onset, now, RULES, wake=WAKE, sleep=SLEEP).missed == ()


def test_a_check_in_opens_stretches_from_when_it_was_made() -> None:
    now = datetime(2026, 5, 5, 15, 3, tzinfo=TZ)          # 31 h in: the clock says not yet
    onset = now - timedelta(hours=31)
    felt = [check_in(now - timedelta(minutes=3), 5, "limited")]
    p = build_plan(onset, now, RULES, wake=WAKE, sleep=SLEEP, done=[], check_ins=felt)
    stretches = [s.start for s in p.sessions if s.kind is SessionKind.STRETCH]
    assert stretches and stretches[0] >= felt[0].at
    assert not [s for s in p.missed if s.kind is SessionKind.STRETCH]
    # planned on from the check-in: nothing before it is listed as missed
    assert all(s.start >= felt[0].at for s in p.missed)
