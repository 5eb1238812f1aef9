"""The care plan's invariants (CONTRACTS section 3), checked over random
onsets, nows, waking hours and time zones with Hypothesis."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.core.careplan import MAX_DAYS, Plan, build_plan
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import CarePlanRules, SessionKind
from spasmcare.core.loader import load_knowledge
from tests.contract import SESSION_KINDS

RULES = load_knowledge().careplan
UTC = UTC


def hours_after(onset: datetime, at: datetime) -> float:
    return (at - onset).total_seconds() / 3600


def in_waking_hours(start: datetime, end: datetime, wake: time, sleep: time) -> bool:
    """Whether [start, end] lies within one waking period of the local day."""
    for day in (start.date() - timedelta(days=1), start.date()):
        w = datetime.combine(day, wake, start.tzinfo)
        s = datetime.combine(day, sleep, start.tzinfo)
        if s <= w:
            s += timedelta(days=1)
        if w <= start and end <= s:
            return True
    return False


offsets = st.integers(-12 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))
clock = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[datetime, datetime, time, time, int]:
    tz = draw(offsets)
    onset = datetime(2026, 1, 1, tzinfo=tz) + timedelta(
        minutes=draw(st.integers(0, 60 * 24 * 365)))
    now = onset + timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
    wake, sleep = draw(clock), draw(clock)
    if wake == sleep:
        sleep = time((sleep.hour + 16) % 24, sleep.minute)
    return onset, now, wake, sleep, draw(st.integers(1, 3))


def plan_for(s: tuple[datetime, datetime, time, time, int],
             rules: CarePlanRules = RULES) -> Plan:
    onset, now, wake, sleep, days = s
    return build_plan(onset, now, rules, wake=wake, sleep=sleep, days=days)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_invariants_hold(s: tuple[datetime, datetime, time, time, int]) -> None:
    onset, now, wake, sleep, _ = s
    plan = plan_for(s)
    heat_gap = min(r.min_gap_hours for r in RULES.sessions if r.kind is SessionKind.HEAT)
    by_kind: dict[SessionKind, list[datetime]] = {}
    heat_per_day: dict[object, int] = {}
    for session in plan.sessions:
        assert session.kind.value in SESSION_KINDS
        assert session.start >= now
        assert session.start.utcoffset() == now.utcoffset()
        assert in_waking_hours(session.start, session.end, wake, sleep)
        assert session.sources and session.instructions
        phase = RULES.phase_at(hours_after(onset, session.start)).id
        if session.kind is SessionKind.HEAT:
            assert hours_after(onset, session.start) >= 48
            assert 15 <= session.minutes <= 20
            day = _waking_day(session.start, wake, sleep)
            heat_per_day[day] = heat_per_day.get(day, 0) + 1
        if session.kind is SessionKind.ICE:
            assert session.minutes <= 20
            assert phase == "acute"
        if session.kind is SessionKind.STRENGTH:
            assert phase != "acute"
        by_kind.setdefault(session.kind, []).append(session.start)
    assert all(n <= 4 for n in heat_per_day.values())
    for starts in by_kind.get(SessionKind.ICE, []), by_kind.get(SessionKind.HEAT, []):
        gaps = [hours_after(a, b) for a, b in itertools.pairwise(starts)]
        assert all(g >= 2 for g in gaps)
    heat = by_kind.get(SessionKind.HEAT, [])
    assert all(hours_after(a, b) >= heat_gap for a, b in itertools.pairwise(heat))
    ordered = sorted(plan.sessions, key=lambda x: x.start)
    assert all(a.end <= b.start for a, b in itertools.pairwise(ordered))
    assert plan.phase == RULES.phase_at(hours_after(onset, now)).id


def _waking_day(at: datetime, wake: time, sleep: time) -> object:
    """The date on which the waking period holding ``at`` began."""
    start = datetime.combine(at.date(), wake, at.tzinfo)
    return at.date() if at >= start else at.date() - timedelta(days=1)


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_nobody_sits_for_more_than_an_hour(s: tuple[datetime, datetime, time, time, int]) -> None:
    onset, now, wake, sleep, days = s
    plan = build_plan(onset, now, RULES, wake=wake, sleep=sleep, days=days)
    starts = [x.start for x in plan.sessions]
    for a, b in itertools.pairwise(starts):
        if in_waking_hours(a, b, wake, sleep):  # no night between them
            assert b - a <= timedelta(minutes=75), (a, b)


def _at(hours: float, clock_time: str = "09:00") -> Plan:
    now = datetime.fromisoformat(f"2026-11-21T{clock_time}:00+00:00")
    return build_plan(now - timedelta(hours=hours), now, RULES)


def test_acute_plan_has_ice_and_hourly_walks_and_no_heat_or_strength() -> None:
    plan = _at(2)
    kinds = [s.kind.value for s in plan.sessions]
    assert plan.phase == "acute"
    assert "ice" in kinds and kinds.count("walk") >= 4 and kinds.count("break") >= 6
    assert "heat" not in kinds and "strength" not in kinds and "stretch" not in kinds


def test_subacute_plan_swaps_ice_for_heat_and_adds_stretches() -> None:
    plan = _at(60)
    kinds = {s.kind.value for s in plan.sessions}
    assert plan.phase == "subacute"
    assert {"heat", "stretch", "walk"} <= kinds and "ice" not in kinds and "strength" not in kinds


def test_recovery_plan_has_strength_that_grows() -> None:
    early, later = _at(170), _at(170 + 24 * 10)
    assert early.phase == later.phase == "recovery"

    def hold(plan: Plan) -> int:
        text = next(s.instructions for s in plan.sessions if s.kind is SessionKind.STRENGTH)
        return int(text.split("hold for ")[1].split(" ")[0])

    assert hold(early) == 20
    assert 20 < hold(later) <= 60


def test_ice_sessions_carry_their_safety_points() -> None:
    ice = next(s for s in _at(1).sessions if s.kind is SessionKind.ICE)
    text = ice.to_dict()["instructions"].lower()
    assert "cloth" in text and "fall asleep" in text


def test_plan_carries_red_flag_guidance_and_evidence_notes() -> None:
    plan = _at(2).to_dict()
    assert plan["guidance"][0]["topic"] == "when-to-see-doctor"
    assert all(g["sources"] for g in plan["guidance"])
    notes = " ".join(n["text"] for n in plan["evidence_notes"])
    assert "popular practice" in notes
    assert all(n["sources"] for n in plan["evidence_notes"])


def test_json_shape_matches_the_contract() -> None:
    plan = _at(26).to_dict()
    assert set(plan) == {"phase", "hours_since_onset", "sessions", "guidance", "evidence_notes"}
    assert plan["hours_since_onset"] == 26.0
    assert set(plan["sessions"][0]) == {"kind", "start", "minutes", "instructions", "sources"}
    assert set(plan["guidance"][0]) == {"topic", "text", "sources"}
    assert set(plan["evidence_notes"][0]) == {"text", "sources"}


def test_after_bedtime_the_plan_starts_next_morning() -> None:
    plan = _at(5, "23:30")
    assert plan.sessions[0].start == datetime.fromisoformat("2026-11-22T07:00:00+00:00")


def test_night_shift_waking_hours_cross_midnight() -> None:
    now = datetime.fromisoformat("2026-11-21T21:00:00+00:00")
    plan = build_plan(now - timedelta(hours=3), now, RULES, wake=time(20), sleep=time(8))
    assert plan.sessions[-1].end <= datetime.fromisoformat("2026-11-22T08:00:00+00:00")
    assert any(s.start.hour < 8 for s in plan.sessions)


def test_more_days_list_more_sessions() -> None:
    now = datetime.fromisoformat("2026-11-21T09:00:00+00:00")
    one = build_plan(now, now, RULES, days=1)
    three = build_plan(now, now, RULES, days=3)
    assert len({s.start.date() for s in three.sessions}) == 3
    assert len({s.start.date() for s in one.sessions}) == 1


def test_timings_come_from_the_knowledge_base() -> None:
    """Move the switch to heat to 72 hours in the data: the plan follows."""
    phases = tuple(p.model_copy(update={"starts_hours": 72}) if p.id == "subacute" else p
                   for p in RULES.phases)
    sessions = tuple(
        r.model_copy(update={"until_hours": 72}) if r.id == "ice-acute"
        else r.model_copy(update={"from_hours": 72}) if r.kind is SessionKind.HEAT else r
        for r in RULES.sessions)
    rules = RULES.model_copy(update={"phases": phases, "sessions": sessions})
    now = datetime.fromisoformat("2026-11-21T09:00:00+00:00")
    plan = build_plan(now - timedelta(hours=60), now, rules)
    assert plan.phase == "acute"
    heat = [s for s in plan.sessions if s.kind is SessionKind.HEAT]
    assert all(hours_after(now - timedelta(hours=60), s.start) >= 72 for s in heat)
    assert any(s.kind is SessionKind.ICE for s in plan.sessions)


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"onset_after_now": True}, "after now"),
        ({"days": 0}, "days"),
        ({"days": MAX_DAYS + 1}, "days"),
        ({"wake": time(7), "sleep": time(7)}, "differ"),
    ],
)
def test_bad_plan_requests(kwargs: dict[str, object], fragment: str) -> None:
    now = datetime(2026, 11, 21, 9, tzinfo=UTC)
    onset = now + timedelta(hours=1) if kwargs.pop("onset_after_now", False) else now
    with pytest.raises(BadInput, match=fragment):
        build_plan(onset, now, RULES, **kwargs)  # type: ignore[arg-type]


def test_an_onset_a_moment_ahead_of_now_counts_as_now() -> None:
    now = datetime(2026, 11, 21, 9, tzinfo=UTC)
    plan = build_plan(now + timedelta(seconds=20), now, RULES)
    assert plan.phase == "acute" and plan.sessions[0].start >= now
    with pytest.raises(BadInput, match="after now"):
        build_plan(now + timedelta(minutes=5), now, RULES)


def test_hours_since_onset_are_real_hours_across_a_change_of_the_clocks() -> None:
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    onset = datetime(2026, 10, 24, 12, 0, tzinfo=london)  # BST; the clocks go back on the 25th
    now = datetime(2026, 10, 26, 11, 30, tzinfo=london)    # GMT: 48.5 real hours later
    plan = build_plan(onset, now, RULES)
    assert plan.hours_since_onset == 48.5
    assert plan.phase == "subacute"
    for session in plan.sessions:
        assert session.start.utcoffset() == timedelta(0)
