"""Correcting the diary: what a person may change in each kind of record, the
record a correction makes, and a change told in words for the audit trail.

The store keeps every edit and deletion with the record as it was before
(``spasmcare.store.diary``), so a mis-tap loses nothing and can be undone;
this module only decides what a correction may do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

from spasmcare.core.clock import said_date_time, said_minutes
from spasmcare.core.diary import (
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    Record,
    TreatmentSession,
    make,
)
from spasmcare.core.diary_terms import HABIT_UNITS
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import SeverityRules

R = TypeVar("R", bound=Record)

# What a kind of record is called: in messages, and as the word in paths
# (``/api/pain/{id}``, ``/diary/pain/{id}``) and the audit trail.
NAMES: dict[type[Record], str] = {
    Episode: "episode", PainEntry: "pain", TreatmentSession: "session",
    MedicineTaken: "medicine", HabitLog: "habit",
}
KINDS: dict[str, type[Record]] = {name: model for model, name in NAMES.items()}
SAID = {Episode: "episode", PainEntry: "pain entry", TreatmentSession: "session",
        MedicineTaken: "medicine", HabitLog: "habit"}

# The fields a person may change. The rest are the app's: the id, the
# severity (worked out from pain and impact), the triage's answers and
# urgency (a new check is a new episode), and which episode a record is in
# (the one going on at its time).
EDITABLE: dict[type[Record], tuple[str, ...]] = {
    Episode: ("onset", "ended_at", "region", "side", "triggers", "trigger_note", "note"),
    PainEntry: ("at", "pain", "impact", "stiffness", "mobility", "worse_next_morning", "note"),
    TreatmentSession: ("started_at", "kind", "minutes", "pain_before", "pain_after",
                       "completed", "note"),
    MedicineTaken: ("at", "name", "note"),
    HabitLog: ("at", "kind", "amount"),
}
# The field that says when a record happened.
WHEN = {Episode: "onset", PainEntry: "at", TreatmentSession: "started_at",
        MedicineTaken: "at", HabitLog: "at"}


def corrected(record: R, changes: Mapping[str, Any], now: datetime,
              severity: SeverityRules) -> R:
    """``record`` with ``changes`` made, checked as a new record is (``make``);
    a pain entry's severity follows its new pain and impact. A field that
    cannot be changed is refused in one sentence."""
    model = type(record)
    allowed = EDITABLE[model]
    refused = [name for name in changes if name not in allowed]
    if refused:
        raise BadInput(f"a {SAID[model]}'s {refused[0].replace('_', ' ')} cannot be changed; "
                       f"what can: {', '.join(f.replace('_', ' ') for f in allowed)}")
    emptied = [name for name, value in changes.items()
               if value is None and model.model_fields[name].is_required()]
    if emptied:
        raise BadInput(f"a {SAID[model]}'s {LABELS.get(emptied[0], emptied[0])} cannot be "
                       "emptied")
    fields = {**record.model_dump(), **changes}
    if model is PainEntry:
        fields["severity"] = severity.classify(fields["pain"], fields["impact"])
    return make(model, now, **fields)


@dataclass(frozen=True)
class Difference:
    name: str
    before: Any
    after: Any


def differences(before: Record, after: Record) -> list[Difference]:
    """The fields a person can see that differ between two versions of a record."""
    return [Difference(name, getattr(before, name), getattr(after, name))
            for name in type(before).model_fields
            if name != "id" and getattr(before, name) != getattr(after, name)]


def said_value(value: Any, now: datetime) -> str:
    """A field's value as a person reads it."""
    if value is None:
        return "none"
    if isinstance(value, datetime):
        return said_date_time(value, now)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (tuple, list)):
        return ", ".join(said_value(v, now) for v in value) or "none"
    return str(value)


# Fields by the words a person uses for them (the rest: the name, spaced).
LABELS = {"onset": "start", "ended_at": "end", "at": "time", "started_at": "start",
          "region": "where", "worse_next_morning": "worse next morning"}


def said_differences(found: list[Difference], now: datetime) -> str:
    """"pain 6 → 4; note added", or "nothing changed"."""
    parts = []
    for d in found:
        name = LABELS.get(d.name, d.name.replace("_", " "))
        if d.name == "episode_id":
            parts.append("moved to another episode" if d.after else "now outside any episode")
        elif d.before is None or d.before == ():
            parts.append(f"{name} {said_value(d.after, now)} added")
        elif d.after is None or d.after == ():
            parts.append(f"{name} removed")
        elif d.name in ("note", "trigger_note"):
            parts.append(f"{name} changed")
        else:
            parts.append(f"{name} {said_value(d.before, now)} → {said_value(d.after, now)}")
    return "; ".join(parts) or "nothing changed"


@dataclass(frozen=True)
class Change:
    """One entry of the audit trail: a record edited, deleted, or restored
    (an undone deletion), with the record before and after."""

    id: str
    made_at: datetime
    action: str                    # "edited", "deleted" or "restored"
    model: type[Record]
    record_id: str
    before: Record | None          # None: it was not there (restored)
    after: Record | None           # None: deleted
    undoes: str | None = None      # the change this one undid
    # What a deleted episode left outside any episode: kind name -> ids.
    detached: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def record(self) -> Record:
        """The record as it is after the change, or, deleted, as it was."""
        shown = self.after or self.before
        assert shown is not None
        return shown


def said_change(change: Change, now: datetime) -> str:
    """The change in a sentence: "Edited pain 6/10 at 14:05: pain 6 → 4"."""
    what = said_record(change.record, now)
    if change.action == "deleted":
        left = sum(len(ids) for ids in change.detached.values())
        kept = (f"; its {left} record{'s' if left != 1 else ''} stay in the diary, "
                "outside any episode") if left else ""
        return f"Deleted {what}{kept}."
    if change.action == "restored":
        return f"Undid the deletion: {what} is back."
    assert change.before is not None and change.after is not None
    told = said_differences(differences(change.before, change.after), now)
    return f"{'Undid the edit of' if change.undoes else 'Edited'} " \
           f"{said_record(change.before, now)}: {told}."


def said_record(record: Record, now: datetime) -> str:
    """A record in a few words: "pain 6/10 at Mon 3 Nov 14:05"."""
    when = said_date_time(getattr(record, WHEN[type(record)]), now)
    match record:
        case Episode():
            return f"the episode that began {when}"
        case PainEntry():
            return f"pain {record.pain}/10 at {when}"
        case TreatmentSession():
            return f"{record.kind.value} for {said_minutes(record.minutes)} at {when}"
        case MedicineTaken():
            return f"{record.name} at {when}"
        case HabitLog():
            return f"{record.kind.value} {record.amount:g} {HABIT_UNITS[record.kind]} at {when}"
    raise TypeError(type(record))

