"""The daily check-in and what it tells the care plan.

A check-in is a pain entry that says how the back moves (``mobility``) and,
the morning after activity, whether the back was worse (``worse_next_morning``).
From the episode's check-ins up to the moment of planning this module works
out which gated sessions may start (stretching, core work: ``CheckInRules`` in
the care plan's data), whether the latest check-in is a flare, and how many
steps the walking has been stepped back. The scheduler in ``careplan`` applies
it; the numbers are data with their sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from spasmcare.core.clock import hours_between
from spasmcare.core.diary import PainEntry
from spasmcare.core.knowledge import CheckInRules, Gate, SessionKind

GatedKind = Literal["stretch", "strength"]
GATED: dict[SessionKind, GatedKind] = {SessionKind.STRETCH: "stretch",
                                       SessionKind.STRENGTH: "strength"}


@dataclass(frozen=True)
class Progress:
    """What the check-ins say, as of the moment of planning."""

    latest: PainEntry | None      # the latest check-in still counting (not stale)
    flare: bool                   # the latest check-in is a flare
    flares: int                   # flares in the episode so far: the walking's steps back
    rules: CheckInRules | None
    strength_from: float | None = None  # hours since onset of the first check-in that opened
                                        # core work: a plank's hold grows from there
    latest_hours: float = 0.0     # hours since onset of the latest check-in

    def allows(self, kind: SessionKind, hours_since_onset: float) -> bool:
        """Whether a session of ``kind`` may take place ``hours_since_onset``
        after onset: ungated kinds always; gated ones by the clock without a
        recent check-in, otherwise by the latest check-in."""
        name = GATED.get(kind)
        if name is None or self.rules is None:
            return True
        gate = self.rules.gates[name]
        if self.latest is None:
            return hours_since_onset >= gate.clock_hours
        if kind is SessionKind.STRENGTH and self.flare:
            return False
        # A check-in opens a gate from when it was made, not earlier that day.
        return (hours_since_onset >= max(gate.from_hours, self.latest_hours)
                and _meets(self.latest, gate))

    def opens_at(self, kind: SessionKind) -> float | None:
        """Hours since onset from which a gated kind counts as begun (for a
        plank's growing hold), or None for an ungated kind."""
        name = GATED.get(kind)
        if name is None or self.rules is None or self.latest is None:
            return clock_hours(self.rules, kind)
        if kind is SessionKind.STRENGTH and self.strength_from is not None:
            return self.strength_from
        return self.rules.gates[name].from_hours

    def explain(self) -> str | None:
        """One or two sentences on what the latest check-in changed, or None
        when the plan is keeping to the clock."""
        if self.rules is None or self.latest is None:
            return None
        c, say = self.latest, self.rules.messages
        said = f"{c.at:%a %H:%M}, pain {c.pain}/10"
        if c.mobility is not None:
            said += ", " + say.moves[c.mobility]
        if c.worse_next_morning:
            said += ", " + say.worse
        parts = [said + "."]
        stretch, strength = self.rules.gates["stretch"], self.rules.gates["strength"]
        if self.flare:
            parts.append(say.flare)
        if not _meets(c, stretch):
            parts.append(say.stretch_waits.format(pain=stretch.pain_at_most))
        elif not _meets(c, strength):
            parts.append(say.strength_waits.format(pain=strength.pain_at_most))
        elif not self.flare:
            parts.append(say.settled)
        return " ".join(parts)


def clock_hours(rules: CheckInRules | None, kind: SessionKind) -> float | None:
    """Hours since onset from which the clock alone lets a gated kind start."""
    name = GATED.get(kind)
    return None if name is None or rules is None else rules.gates[name].clock_hours


def check_ins(entries: Sequence[PainEntry]) -> list[PainEntry]:
    """The pain entries that are check-ins, oldest first."""
    return sorted((e for e in entries if e.mobility is not None or
                   e.worse_next_morning is not None), key=lambda e: (e.at, e.id))


def progress(entries: Sequence[PainEntry], onset: datetime, now: datetime,
             rules: CheckInRules | None) -> Progress:
    """What the check-ins among ``entries`` made from ``onset`` up to ``now`` say."""
    if rules is None:
        return Progress(None, False, 0, None)
    found = [e.model_copy(update={"at": e.at.astimezone(now.tzinfo)})
             for e in check_ins(entries) if onset <= e.at <= now]
    flags = [_flare(c, found[i - 1] if i else None, rules) for i, c in enumerate(found)]
    latest = found[-1] if found else None
    if latest is not None and now - latest.at > timedelta(days=rules.stale_after_days):
        latest = None
    strength = rules.gates["strength"]
    opened = next((c for c, flare in zip(found, flags, strict=True)
                   if not flare and _meets(c, strength)
                   and hours_between(onset, c.at) >= strength.from_hours), None)
    return Progress(latest=latest, flare=bool(latest is not None and flags[-1]),
                    flares=sum(flags), rules=rules,
                    strength_from=None if opened is None else hours_between(onset, opened.at),
                    latest_hours=0.0 if latest is None else hours_between(onset, latest.at))


def _flare(c: PainEntry, before: PainEntry | None, rules: CheckInRules) -> bool:
    return bool(c.worse_next_morning) or (
        before is not None and c.pain - before.pain >= rules.flare_pain_rise)


def _meets(c: PainEntry, gate: Gate) -> bool:
    # A check-in that did not say how the back moves counts as "limited".
    return c.pain <= gate.pain_at_most and (c.mobility or "limited") in gate.mobility
