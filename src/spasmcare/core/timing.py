"""Timed sessions: how long an ice, heat, plank or walking session lasts and
what to do during it, read from the care plan's session rules.

A countdown is always worked out from when it started (``remaining``), never
from a counter that ticks, so a slow or suspended terminal cannot stretch it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from spasmcare.core.careplan import hold_seconds, ice_limit_minutes, session_minutes
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import CarePlanRules, SessionKind, SessionRule


class TimerKind(StrEnum):
    ICE = "ice"
    HEAT = "heat"
    PLANK = "plank"
    WALK = "walk"


SESSION_KINDS = {TimerKind.ICE: SessionKind.ICE, TimerKind.HEAT: SessionKind.HEAT,
                 TimerKind.PLANK: SessionKind.STRENGTH, TimerKind.WALK: SessionKind.WALK}

# The longest session the diary records (TreatmentSession.minutes): a timer
# that could not be saved at the end would waste the session.
MAX_MINUTES = 600
# Shorter than this, a stopped timer is a slip of the finger, not a session.
MIN_RECORD_SECONDS = 5


@dataclass(frozen=True)
class Timing:
    kind: SessionKind
    seconds: int
    instructions: str
    safety: tuple[str, ...]
    sources: tuple[str, ...]
    rule: str


def timing(
    kind: TimerKind,
    rules: CarePlanRules,
    *,
    seconds: float | None = None,
    hours_since_onset: float | None = None,
    planned: Mapping[SessionKind, int] | None = None,
) -> Timing:
    """The length, instructions and safety points of one timed session.

    The rule is the one for ``kind`` in the phase ``hours_since_onset`` falls in
    (the first phase when there is no episode), or else the first rule of that
    kind. The length is ``seconds`` when given, rounded to whole seconds; by
    default the plan's length today when ``planned`` (``Plan.lengths``) has
    one, else the rule's minutes, or for a plank the hold its progression has
    reached. Raises BadInput for a length under one second, ice for longer than
    the ice rules allow, or anything longer than the diary can record."""
    session_kind = SESSION_KINDS[kind]
    rule = _rule(session_kind, rules, hours_since_onset)
    if seconds is None and planned and session_kind in planned:
        length = planned[session_kind]  # the plan's own length today (Plan.lengths)
    elif seconds is None:
        length = session_minutes(rule, rules, hours_since_onset) * 60
        if rule.progression is not None:
            length = hold_seconds(rule, rules, hours_since_onset)
    else:
        length = _check_length(session_kind, seconds, rules)
    return Timing(
        kind=session_kind,
        seconds=length,
        instructions=(rule.instructions.replace("{hold_seconds}", str(length))
                      .replace("{minutes}", str(math.ceil(length / 60)))),
        safety=rule.safety,
        sources=rule.sources,
        rule=rule.id,
    )


def remaining(started_at_monotonic: float, length_seconds: float, now_monotonic: float) -> float:
    """Seconds left of a countdown of ``length_seconds`` begun at
    ``started_at_monotonic``: never negative, never more than the length."""
    elapsed = max(now_monotonic - started_at_monotonic, 0.0)
    return max(length_seconds - elapsed, 0.0)


def _rule(kind: SessionKind, rules: CarePlanRules, hours: float | None) -> SessionRule:
    phase = rules.phases[0].id if hours is None else rules.phase_at(max(hours, 0)).id
    of_kind = [r for r in rules.sessions if r.kind is kind]
    if not of_kind:
        raise BadInput(f"the care plan has no {kind.value} sessions")
    return next((r for r in of_kind if phase in r.phases), of_kind[0])


def _check_length(kind: SessionKind, seconds: float, rules: CarePlanRules) -> int:
    if not math.isfinite(seconds) or round(seconds) < 1:
        raise BadInput(f"a timer must run for at least one second (got {_length(seconds)})")
    length = round(seconds)
    if kind is SessionKind.ICE:
        limit = ice_limit_minutes(rules)
        if length > limit * 60:
            raise BadInput(f"ice for at most {limit} minutes at a time: longer risks frostbite "
                           f"or nerve damage (got {_length(seconds)})")
    if length > MAX_MINUTES * 60:
        raise BadInput(f"a timer can run for at most {MAX_MINUTES} minutes "
                       f"(got {_length(seconds)})")
    return length


def _length(seconds: float) -> str:
    if not math.isfinite(seconds) or (abs(seconds) < 60 and seconds % 60):
        return f"{seconds:g} seconds"
    minutes = seconds / 60
    return f"{minutes:g} minute" + ("" if minutes == 1 else "s")
