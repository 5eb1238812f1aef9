"""Reading the entries of a validated FHIR Bundle, written by ``fhir_bundle.dumps``,
back into the diary's records. Anything that cannot be placed in the diary is
BadInput naming its entry (counted from 1); see ``fhir_bundle`` for why."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    Record,
    TreatmentSession,
    describe,
)
from spasmcare.core.diary_terms import HABIT_UNITS, Region
from spasmcare.core.errors import BadInput
from spasmcare.exports.fhir_bundle import (
    EXTENSION_BASE,
    EXTENSION_VALUES,
    HABIT_TEXT,
    PAIN_SCORE,
    REGION_SITES,
    SESSION_STATUS,
    TREATMENT_TEXT,
    UUID_SYSTEM,
    by_time,
    minutes_between,
)

TIME_FIELD = {"episodes": "onset", "pain_entries": "at", "sessions": "started_at",
              "medicines": "at", "habits": "at"}
HABITS = {text: kind for kind, text in HABIT_TEXT.items()}
TREATMENTS = {text: kind for kind, text in TREATMENT_TEXT.items()}
COMPLETED = {status: done for done, status in SESSION_STATUS.items()}
SITES = {words: region for region, (_, words) in REGION_SITES.items()}

Read = tuple[str, Record]  # the Diary field a record goes in, and the record


def read_bundle(entries: list[Any]) -> Diary:
    """The diary held in ``entries`` (``Bundle.entry`` of R4B models)."""
    return _Reader(entries).diary()


class _Reader:
    def __init__(self, entries: list[Any]) -> None:
        self.entries = [(n, e.fullUrl, e.resource) for n, e in enumerate(entries, start=1)
                        if e.resource is not None]
        self.by_url = {url: r for _, url, r in self.entries if url}
        self.conditions = {url: _record_id(n, r) for n, url, r in self.entries
                           if url and r.get_resource_type() == "Condition"}
        self.cited: set[str] = set()

    def diary(self) -> Diary:
        found: dict[str, list[Record]] = {name: [] for name in Diary.model_fields}
        readers: dict[str, Callable[[int, Any], Read]] = {
            "Condition": self.episode, "Observation": self.observation,
            "Procedure": self.session, "MedicationStatement": self.medicine}
        for number, _, resource in self.entries:
            read = readers.get(resource.get_resource_type())
            if read is not None:
                name, record = read(number, resource)
                found[name].append(record)
        for number, url, resource in self.entries:
            if resource.get_resource_type() == "QuestionnaireResponse" and url not in self.cited:
                raise BadInput(f"{_entry(number, resource)} is not the evidence of any "
                               "Condition, so it belongs to no episode")
        return Diary(**{name: by_time(records, TIME_FIELD[name])
                        for name, records in found.items()})

    def episode(self, number: int, c: Any) -> Read:
        answers, urgency = self._triage(number, c)
        return "episodes", _record(Episode, number, c, {
            "onset": c.onsetDateTime, "ended_at": c.abatementDateTime,
            "region": _region(number, c), "side": _value(c, "side"),
            "triggers": tuple(_values(c, "trigger")), "trigger_note": _text(c, "trigger-note"),
            "triage_urgency": urgency, "triage_answers": answers, "note": _text(c, "note")})

    def observation(self, number: int, o: Any) -> Read:
        codes = {(c.system, c.code) for c in (o.code.coding if o.code else None) or []}
        if PAIN_SCORE[:2] in codes:
            return "pain_entries", _record(PainEntry, number, o, {
                "at": o.effectiveDateTime, "episode_id": self._episode(number, o, o.focus),
                "pain": o.valueInteger, "impact": _value(o, "impact"),
                "severity": _value(o, "severity"), "stiffness": _value(o, "stiffness"),
                "mobility": _value(o, "mobility"),
                "worse_next_morning": _value(o, "worse-next-morning"), "note": _text(o, "note")})
        kind = HABITS.get(o.code.text) if o.code and not codes else None
        if kind is None:
            raise BadInput(f"{_entry(number, o)} is neither a pain score (LOINC "
                           f"{PAIN_SCORE[1]}) nor a SpasmCare habit")
        quantity = o.valueQuantity
        if quantity is None or quantity.value is None or quantity.unit != HABIT_UNITS[kind]:
            raise BadInput(f"{_entry(number, o)}, a {kind.value} habit, needs a valueQuantity "
                           f"in {HABIT_UNITS[kind]}")
        return "habits", _record(HabitLog, number, o, {
            "at": o.effectiveDateTime, "kind": kind, "amount": float(quantity.value)})

    def session(self, number: int, p: Any) -> Read:
        kind = TREATMENTS.get(p.code.text) if p.code else None
        completed = COMPLETED.get(p.status)
        period = p.performedPeriod
        start, end = (period.start, period.end) if period else (None, None)
        if kind is None or completed is None or not isinstance(start, datetime) \
                or not isinstance(end, datetime):
            raise BadInput(f"{_entry(number, p)} is not a SpasmCare treatment session (one of "
                           f"its kinds as text, status {' or '.join(COMPLETED)}, and a "
                           "performedPeriod whose start and end are dates with times)")
        exact = _value(p, "minutes")
        return "sessions", _record(TreatmentSession, number, p, {
            "started_at": start, "kind": kind, "completed": completed,
            "minutes": minutes_between(start, end) if exact is None else float(exact),
            "episode_id": self._episode(number, p, p.reasonReference),
            "pain_before": _value(p, "pain-before"), "pain_after": _value(p, "pain-after"),
            "note": _text(p, "note")})

    def medicine(self, number: int, s: Any) -> Read:
        medicine = s.medicationCodeableConcept
        return "medicines", _record(MedicineTaken, number, s, {
            "at": s.effectiveDateTime, "name": medicine.text if medicine else None,
            "episode_id": self._episode(number, s, s.reasonReference), "note": _text(s, "note")})

    def _triage(self, number: int, c: Any) -> tuple[dict[str, bool], object]:
        details = [d for evidence in c.evidence or [] for d in evidence.detail or []]
        if not details:
            return {}, None
        target = self.by_url.get(details[0].reference)
        if len(details) > 1 or target is None or \
                target.get_resource_type() != "QuestionnaireResponse":
            raise BadInput(f"{_entry(number, c)} must cite exactly one QuestionnaireResponse "
                           "of this Bundle as its evidence (the triage answers)")
        self.cited.add(details[0].reference)
        answers: dict[str, bool] = {}
        for item in target.item or []:
            values = [a.valueBoolean for a in item.answer or []]
            if len(values) != 1 or values[0] is None:
                raise BadInput(f"the triage answer {item.linkId!r} cited by "
                               f"{_entry(number, c)} must be a single yes or no (valueBoolean)")
            answers[item.linkId] = values[0]
        return answers, _value(target, "triage-urgency")

    def _episode(self, number: int, resource: Any, refs: list[Any] | None) -> str | None:
        if not refs:
            return None
        ref = refs[0]
        if len(refs) == 1 and ref.reference in self.conditions:
            return self.conditions[ref.reference]
        if len(refs) == 1 and ref.reference is None and ref.identifier is not None:
            return _uuid_hex(number, resource, ref.identifier.value)  # an episode not exported
        raise BadInput(f"{_entry(number, resource)} must refer to one Condition of this Bundle "
                       f"as its episode (got {ref.reference or 'no reference'})")


def _entry(number: int, resource: Any) -> str:
    return f"entry {number} ({resource.get_resource_type()}) of the FHIR Bundle"


def _record(model: type[Record], number: int, resource: Any, fields: dict[str, Any]) -> Record:
    kept = {k: v for k, v in fields.items() if v is not None}
    try:
        return model.model_validate({"id": _record_id(number, resource), **kept})
    except ValidationError as err:
        raise BadInput(f"{_entry(number, resource)}: {describe(err)}") from None


def _record_id(number: int, resource: Any) -> str:
    for identifier in resource.identifier or []:
        if identifier.system == UUID_SYSTEM:
            return _uuid_hex(number, resource, identifier.value)
    raise BadInput(f"{_entry(number, resource)} has no {UUID_SYSTEM} identifier; SpasmCare "
                   "imports only its own FHIR exports")


def _uuid_hex(number: int, resource: Any, value: str | None) -> str:
    try:
        if value is None or not value.startswith("urn:uuid:"):
            raise ValueError
        return uuid.UUID(value.removeprefix("urn:uuid:")).hex
    except ValueError:
        raise BadInput(f"{_entry(number, resource)} has the identifier {value!r}; expected "
                       "urn:uuid: and a UUID") from None


def _region(number: int, condition: Any) -> Region | None:
    sites = condition.bodySite or []
    if not sites:
        return None
    region = SITES.get(sites[0].text)
    if len(sites) > 1 or region is None:
        raise BadInput(f"{_entry(number, condition)} has a body site SpasmCare does not know; "
                       f"it records {', '.join(SITES)}")
    return region


def _values(resource: Any, name: str) -> list[Any]:
    return [getattr(e, EXTENSION_VALUES[name]) for e in resource.extension or []
            if e.url == EXTENSION_BASE + name]


def _value(resource: Any, name: str) -> Any:
    values = _values(resource, name)
    return values[0] if values else None


def _text(resource: Any, name: str) -> str | None:
    """A note (``note`` in an Annotation, others in extensions), "" when marked empty."""
    if name in _values(resource, "empty-text"):
        return ""
    notes = resource.note or []
    text: str | None = _value(resource, name) if name != "note" else \
        notes[0].text if notes else None
    return text
