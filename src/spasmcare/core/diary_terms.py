"""The diary's vocabulary: the choices a record offers. Kept apart from the
records themselves so that command-line signatures can name them without
building the record models at every start."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["HABIT_LIMITS", "HABIT_UNITS", "HabitKind", "Mobility", "Region", "Side",
           "TreatmentKind", "Trigger"]


class Region(StrEnum):
    UPPER = "upper"
    MIDDLE = "middle"
    LOWER = "lower"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    CENTRE = "centre"
    BOTH = "both"


class Trigger(StrEnum):
    LIFTING = "lifting"
    SUDDEN_MOVEMENT = "sudden-movement"
    PROLONGED_SITTING = "prolonged-sitting"
    SPORT = "sport"
    STRESS = "stress"
    POOR_SLEEP = "poor-sleep"
    DEHYDRATION = "dehydration"
    OTHER = "other"


class Mobility(StrEnum):
    FULL = "full"
    LIMITED = "limited"
    VERY_LIMITED = "very-limited"


class TreatmentKind(StrEnum):
    ICE = "ice"
    HEAT = "heat"
    CONTRAST = "contrast"
    WALK = "walk"
    STRETCH = "stretch"
    STRENGTH = "strength"
    MASSAGE = "massage"
    OTHER = "other"


class HabitKind(StrEnum):
    """Prevention habits, each counted in its own unit (see ``HABIT_UNITS``)."""

    WATER = "water"
    WALK = "walk"
    PLANK = "plank"
    BREAKS = "breaks"


HABIT_UNITS = {HabitKind.WATER: "glasses", HabitKind.WALK: "minutes",
               HabitKind.PLANK: "seconds", HabitKind.BREAKS: "breaks"}
HABIT_LIMITS = {HabitKind.WATER: 40, HabitKind.WALK: 1440, HabitKind.PLANK: 3600,
                HabitKind.BREAKS: 100}
