"""Timed sessions: lengths and advice from the care-plan rules, the limits on
what may be asked for, and a countdown derived from its start."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spasmcare.core.careplan import session_minutes
from spasmcare.core.diary import TreatmentSession, make
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import CarePlanRules, SessionKind, SessionRule
from spasmcare.core.loader import load_knowledge
from spasmcare.core.timing import MAX_MINUTES, TimerKind, remaining, timing

RULES = load_knowledge().careplan
RECOVERY_HOURS = next(p.starts_hours for p in RULES.phases if p.id == "recovery")


def rule(rule_id: str) -> SessionRule:
    return next(r for r in RULES.sessions if r.id == rule_id)


def with_ice_minutes(minutes: int) -> CarePlanRules:
    sessions = tuple(r.model_copy(update={"minutes": minutes}) if r.kind is SessionKind.ICE else r
                     for r in RULES.sessions)
    return RULES.model_copy(update={"sessions": sessions})


@pytest.mark.parametrize(
    ("kind", "hours", "rule_id"),
    [
        (TimerKind.ICE, None, "ice-acute"),
        (TimerKind.ICE, 10, "ice-acute"),
        (TimerKind.ICE, 100, "ice-acute"),  # no ice rule after the acute phase: the first one
        (TimerKind.HEAT, None, "heat-subacute"),
        (TimerKind.HEAT, 60, "heat-subacute"),
        (TimerKind.HEAT, 200, "heat-recovery"),
        (TimerKind.WALK, None, "walk-acute"),
        (TimerKind.WALK, 5, "walk-acute"),
        (TimerKind.WALK, 60, "walk-subacute"),
        (TimerKind.WALK, 240, "walk-recovery"),
    ],
)
def test_length_and_advice_come_from_the_rule(kind: TimerKind, hours: float | None,
                                              rule_id: str) -> None:
    expected = rule(rule_id)
    t = timing(kind, RULES, hours_since_onset=hours)
    assert t.rule == rule_id and t.kind is expected.kind
    minutes = session_minutes(expected, RULES, hours)  # a walk: its share of the day's walking
    assert t.seconds == minutes * 60
    assert t.instructions == expected.instructions.replace("{minutes}", str(minutes))
    assert t.safety == expected.safety and t.sources == expected.sources


def test_a_requested_length_replaces_the_rules() -> None:
    assert timing(TimerKind.HEAT, RULES, seconds=90).seconds == 90
    assert timing(TimerKind.WALK, RULES, seconds=29.6).seconds == 30
    assert timing(TimerKind.HEAT, RULES, seconds=25 * 60).seconds == 25 * 60  # only ice is capped


@pytest.mark.parametrize(("minutes", "refused"), [(20, False), (19.5, False), (21, True),
                                                  (25, True), (20.5, True)])
def test_ice_is_capped_at_the_ice_rules_minutes(minutes: float, refused: bool) -> None:
    if not refused:
        assert timing(TimerKind.ICE, RULES, seconds=minutes * 60).seconds == minutes * 60
        return
    with pytest.raises(BadInput) as err:
        timing(TimerKind.ICE, RULES, seconds=minutes * 60)
    message = str(err.value)
    assert "at most 20 minutes" in message and f"got {minutes:g} minutes" in message
    assert "frostbite" in message and "nerve damage" in message


def test_the_ice_cap_is_read_from_the_data() -> None:
    rules = with_ice_minutes(15)
    assert timing(TimerKind.ICE, rules, seconds=15 * 60).seconds == 15 * 60
    with pytest.raises(BadInput, match="at most 15 minutes"):
        timing(TimerKind.ICE, rules, seconds=16 * 60)


@pytest.mark.parametrize("kind", list(TimerKind))
@pytest.mark.parametrize(("seconds", "shown"), [(0, "0 minutes"), (-60, "-1 minutes"),
                                                (-1, "-1 seconds"), (0.4, "0.4 seconds"),
                                                (math.nan, "nan seconds")])
def test_no_timer_under_one_second(kind: TimerKind, seconds: float, shown: str) -> None:
    with pytest.raises(BadInput, match=f"at least one second \\(got {shown}\\)"):
        timing(kind, RULES, seconds=seconds)


def test_no_timer_longer_than_the_diary_records() -> None:
    with pytest.raises(BadInput, match=f"at most {MAX_MINUTES} minutes"):
        timing(TimerKind.WALK, RULES, seconds=(MAX_MINUTES + 1) * 60)
    assert timing(TimerKind.WALK, RULES, seconds=MAX_MINUTES * 60).seconds == MAX_MINUTES * 60
    now = datetime.now(UTC)
    make(TreatmentSession, now, started_at=now, kind="walk", minutes=MAX_MINUTES)


@pytest.mark.parametrize(
    ("days_into_recovery", "steps"),
    [(None, 0), (-5, 0), (0, 0), (1.99, 0), (2, 1), (4.5, 2), (7.9, 3), (100, None)],
)
def test_plank_hold_follows_the_progression(days_into_recovery: float | None,
                                            steps: int | None) -> None:
    plank = rule("strength-plank")
    p = plank.progression
    assert p is not None
    hours = None if days_into_recovery is None else RECOVERY_HOURS + days_into_recovery * 24
    expected = p.max_seconds if steps is None else p.start_seconds + steps * p.step_seconds
    t = timing(TimerKind.PLANK, RULES, hours_since_onset=hours)
    assert t.kind is SessionKind.STRENGTH and t.rule == plank.id
    assert t.seconds == expected
    assert f"hold for {expected} seconds" in t.instructions and "{" not in t.instructions
    assert t.safety == plank.safety


def test_a_requested_plank_length_is_the_hold() -> None:
    t = timing(TimerKind.PLANK, RULES, seconds=45)
    assert t.seconds == 45 and "hold for 45 seconds" in t.instructions


@pytest.mark.parametrize(
    ("start", "length", "now", "left"),
    [
        (100.0, 30, 100.0, 30.0),
        (100.0, 30, 110.5, 19.5),
        (100.0, 30, 130.0, 0.0),
        (100.0, 30, 500.0, 0.0),
        (100.0, 30, 99.0, 30.0),  # a clock read before the start: nothing done yet
    ],
)
def test_remaining(start: float, length: float, now: float, left: float) -> None:
    assert remaining(start, length, now) == pytest.approx(left)


@given(start=st.floats(0, 1e6), length=st.integers(1, 36000), elapsed=st.floats(0, 1e5),
       ticks=st.integers(0, 50))
def test_remaining_depends_only_on_the_start(start: float, length: int, elapsed: float,
                                             ticks: int) -> None:
    now = start + elapsed
    for _ in range(ticks):  # asking again, however often, changes nothing
        remaining(start, length, now)
    assert remaining(start, length, now) == pytest.approx(max(length - elapsed, 0), abs=1e-6)
