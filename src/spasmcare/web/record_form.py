"""The form that corrects a diary record: its fields for each kind of record,
as data, what the form shows for a record, and the changes a posted form
asks for. Only the fields whose text differs from what the form showed
change (a time shown to the minute keeps its seconds when left alone), and
every problem names its field (``FieldError``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from spasmcare.core.clock import parse_instant
from spasmcare.core.diary import (
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    Record,
    TreatmentSession,
)
from spasmcare.core.diary_terms import (
    HABIT_UNITS,
    HabitKind,
    Region,
    Side,
    TreatmentKind,
    Trigger,
)
from spasmcare.core.errors import BadInput
from spasmcare.web.form_fields import FieldError, choice, number, whole_number

IMPACTS = (("none", "Not really"), ("some", "Some things"), ("unable", "Can't do much"))
MOVES = (("full", "Freely"), ("limited", "Stiffly"), ("very-limited", "Hardly at all"))
YES_NO = (("yes", "Yes"), ("no", "No"))


def _named(terms: type[Enum]) -> tuple[tuple[str, str], ...]:
    return tuple((t.value, str(t.value).replace("-", " ").capitalize()) for t in terms)


@dataclass(frozen=True)
class FormField:
    name: str                    # the record's field
    label: str
    input: str                   # time, score, number, choice, yesno, check, many, text, line
    required: bool = False
    options: tuple[tuple[str, str], ...] = ()
    high: float = 0              # a number's largest value
    hint: str | None = None


NOTE = FormField("note", "Note", "text")
FIELDS: dict[type[Record], tuple[FormField, ...]] = {
    PainEntry: (
        FormField("at", "When", "time", required=True),
        FormField("pain", "Pain, 0 (none) to 10 (worst)", "score", required=True),
        FormField("impact", "Does it stop you doing things?", "choice", options=IMPACTS),
        FormField("stiffness", "Stiffness, 0 to 10", "score"),
        FormField("mobility", "How does your back move?", "choice", options=MOVES),
        FormField("worse_next_morning", "Worse this morning after yesterday's activity?",
                  "yesno", options=YES_NO),
        NOTE,
    ),
    TreatmentSession: (
        FormField("started_at", "Started", "time", required=True),
        FormField("kind", "What", "choice", required=True, options=_named(TreatmentKind)),
        FormField("minutes", "Minutes", "number", required=True, high=600),
        FormField("pain_before", "Pain before, 0 to 10", "score"),
        FormField("pain_after", "Pain after, 0 to 10", "score"),
        FormField("completed", "Done to the end (not stopped early)", "check"),
        NOTE,
    ),
    MedicineTaken: (
        FormField("at", "When", "time", required=True),
        FormField("name", "Medicine, as on the pack", "line", required=True),
        NOTE,
    ),
    HabitLog: (
        FormField("at", "When", "time", required=True),
        FormField("kind", "Habit", "choice", required=True, options=_named(HabitKind)),
        FormField("amount", "How much", "number", required=True, high=3600,
                  hint=", ".join(f"{k.value}: {u}" for k, u in HABIT_UNITS.items())),
    ),
    Episode: (
        FormField("onset", "Began", "time", required=True),
        FormField("ended_at", "Ended (empty: still going on)", "time"),
        FormField("region", "Where", "choice", options=_named(Region)),
        FormField("side", "Side", "choice", options=_named(Side)),
        FormField("triggers", "What set it off", "many", options=_named(Trigger)),
        FormField("trigger_note", "More about what set it off", "text"),
        NOTE,
    ),
}


def shown(record: Record, field: FormField, now: datetime) -> Any:
    """What the form shows for ``field`` of ``record``: text, or for ``many``
    the values ticked."""
    value = getattr(record, field.name)
    if field.input == "many":
        return [str(v) for v in value]
    if value is None:
        return ""
    if field.input == "time":
        return value.astimezone(now.tzinfo).strftime("%Y-%m-%dT%H:%M")
    if field.input == "yesno":
        return "yes" if value else "no"
    if field.input == "check":
        return "on" if value else ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def values(record: Record, now: datetime) -> dict[str, Any]:
    return {f.name: shown(record, f, now) for f in FIELDS[type(record)]}


def read_changes(form: Any, record: Record, now: datetime) -> dict[str, Any]:
    """The changes the posted form asks for: the fields whose text differs
    from what the form showed for ``record``, read as the record's values."""
    changes: dict[str, Any] = {}
    for field in FIELDS[type(record)]:
        if field.input == "many":
            ticked = [str(v) for v in form.getlist(field.name)]
            if sorted(ticked) != sorted(shown(record, field, now)):
                allowed = [v for v, _ in field.options]
                changes[field.name] = tuple(dict.fromkeys(
                    choice(v, field.name, field.label, allowed) for v in ticked))
            continue
        text = str(form.get(field.name) or "").strip()
        if text != shown(record, field, now):
            changes[field.name] = _read(field, text, now)
    return changes


def _read(field: FormField, text: str, now: datetime) -> Any:
    if not text:
        if field.required:
            raise FieldError(field.name, f"{_label(field)} cannot be left empty.")
        return False if field.input == "check" else None
    if field.input == "time":
        try:
            return parse_instant(text, _label(field), now.tzinfo)
        except BadInput as err:
            raise FieldError(field.name, str(err)) from None
    if field.input == "score":
        return whole_number(text, field.name, _label(field), 0, 10)
    if field.input == "number":
        return number(text, field.name, _label(field), 0, field.high)
    if field.input in ("choice", "yesno"):
        value = choice(text, field.name, _label(field), [v for v, _ in field.options])
        return value == "yes" if field.input == "yesno" else value
    if field.input == "check":
        return True
    return text


def _label(field: FormField) -> str:
    return field.label.split(",")[0].split(" (")[0]



# The kinds a person adds from the diary page (an episode begins with the
# warning-sign check instead), with the words of the page that adds one.
NEW: dict[type[Record], tuple[str, str]] = {
    PainEntry: ("How your back is", "Pain, stiffness and how it moves, now or earlier."),
    TreatmentSession: ("Something you did for it",
                       "Ice, heat, a walk, a stretch or a massage, with or without a timer."),
    MedicineTaken: ("A medicine you took",
                    "Its name as on the pack. SpasmCare never suggests doses: follow the "
                    "label or ask your pharmacist."),
    HabitLog: ("A prevention habit", "Water, walking, planks or breaks from sitting."),
}


def blank(model: type[Record], now: datetime) -> dict[str, Any]:
    """What the form shows for a new record: now for its time, the rest empty
    (a session is done to the end unless said otherwise)."""
    shown: dict[str, Any] = {}
    for field in FIELDS[model]:
        if field.input == "time":
            shown[field.name] = now.strftime("%Y-%m-%dT%H:%M")
        elif field.input == "check":
            shown[field.name] = "on"
        else:
            shown[field.name] = [] if field.input == "many" else ""
    return shown


def read_new(form: Any, model: type[Record], now: datetime) -> dict[str, Any]:
    """The fields of a new record from the posted form (FieldError naming the
    first problem); the time typed to the minute is taken as it is."""
    fields: dict[str, Any] = {}
    for field in FIELDS[model]:
        if field.input == "many":
            fields[field.name] = tuple(dict.fromkeys(
                choice(v, field.name, field.label, [o for o, _ in field.options])
                for v in form.getlist(field.name)))
            continue
        value = _read(field, str(form.get(field.name) or "").strip(), now)
        if value is not None:
            fields[field.name] = value
    return fields
