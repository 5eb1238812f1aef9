"""Validated FHIR resources back into the diary's records, one entry at a time
(``Records.add``), the episodes and references settled once every entry is
in (``Records.diary``). A resource arrives as JSON values holding what the
R4B model holds (``fhir_shapes.fit`` or a model's ``model_dump``). Anything
that cannot be placed in the diary is BadInput naming its entry (counted
from 1); see ``fhir_bundle_reader`` for why."""

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
from spasmcare.exports.fhir_terms import (
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
Resource = dict[str, Any]


class Records:
    """The diary's records as a Bundle's entries are added, in order."""

    def __init__(self) -> None:
        self.found: dict[str, list[Record]] = {name: [] for name in Diary.model_fields}
        self.conditions: dict[str, str] = {}  # fullUrl -> the episode's id
        self.episodes: list[tuple[int, Resource]] = []  # read once their evidence is in
        self.responses: dict[str, Resource] = {}  # by fullUrl
        self.answers: list[tuple[int, str | None, Resource]] = []  # each must be cited
        self.later: list[tuple[int, Resource, str, Record]] = []  # episode not yet seen
        self.cited: set[str] = set()
        self.readers: dict[str, Callable[[int, Resource], tuple[str, Record] | None]] = {
            "Observation": self.observation, "Procedure": self.session,
            "MedicationStatement": self.medicine}

    def add(self, number: int, url: str | None, resource: Resource) -> None:
        kind = resource["resourceType"]
        if kind == "Condition":
            if url:
                self.conditions[url] = _record_id(number, resource)
            self.episodes.append((number, resource))
        elif kind == "QuestionnaireResponse":
            if url:
                self.responses[url] = resource
            self.answers.append((number, url, resource))
        elif kind in self.readers:
            read = self.readers[kind](number, resource)
            if read is not None:
                self.found[read[0]].append(read[1])

    def diary(self) -> Diary:
        for number, condition in self.episodes:
            self.found["episodes"].append(self.episode(number, condition))
        for number, resource, name, record in self.later:
            episode = self._episode(number, resource, self._refs(resource), final=True)
            self.found[name].append(record.model_copy(update={"episode_id": episode}))
        for number, url, response in self.answers:
            if url not in self.cited:
                raise BadInput(f"{_entry(number, response)} is not the evidence of any "
                               "Condition, so it belongs to no episode")
        return Diary(**{name: by_time(records, TIME_FIELD[name])
                        for name, records in self.found.items()})

    def episode(self, number: int, c: Resource) -> Record:
        answers, urgency = self._triage(number, c)
        ext = _extensions(c)
        return _record(Episode, number, c, {
            "onset": c.get("onsetDateTime"), "ended_at": c.get("abatementDateTime"),
            "region": _region(number, c), "side": _value(ext, "side"),
            "triggers": tuple(ext.get("trigger", ())),
            "trigger_note": _text(c, ext, "trigger-note"), "triage_urgency": urgency,
            "triage_answers": answers, "note": _text(c, ext, "note")})

    def observation(self, number: int, o: Resource) -> tuple[str, Record] | None:
        code = o.get("code") or {}
        codes = {(c.get("system"), c.get("code")) for c in code.get("coding") or []}
        if PAIN_SCORE[:2] in codes:
            ext = _extensions(o)
            return self._owned("pain_entries", PainEntry, number, o, {
                "at": o.get("effectiveDateTime"), "pain": o.get("valueInteger"),
                "impact": _value(ext, "impact"), "severity": _value(ext, "severity"),
                "stiffness": _value(ext, "stiffness"), "mobility": _value(ext, "mobility"),
                "worse_next_morning": _value(ext, "worse-next-morning"),
                "note": _text(o, ext, "note")})
        kind = HABITS.get(code.get("text")) if code and not codes else None
        if kind is None:
            raise BadInput(f"{_entry(number, o)} is neither a pain score (LOINC "
                           f"{PAIN_SCORE[1]}) nor a SpasmCare habit")
        quantity = o.get("valueQuantity")
        if not quantity or quantity.get("value") is None \
                or quantity.get("unit") != HABIT_UNITS[kind]:
            raise BadInput(f"{_entry(number, o)}, a {kind.value} habit, needs a valueQuantity "
                           f"in {HABIT_UNITS[kind]}")
        return "habits", _record(HabitLog, number, o, {
            "at": o.get("effectiveDateTime"), "kind": kind, "amount": float(quantity["value"])})

    def session(self, number: int, p: Resource) -> tuple[str, Record] | None:
        kind = TREATMENTS.get((p.get("code") or {}).get("text"))
        completed = COMPLETED.get(p.get("status"))
        period = p.get("performedPeriod") or {}
        start, end = period.get("start"), period.get("end")
        if kind is None or completed is None or not isinstance(start, datetime) \
                or not isinstance(end, datetime):
            raise BadInput(f"{_entry(number, p)} is not a SpasmCare treatment session (one of "
                           f"its kinds as text, status {' or '.join(COMPLETED)}, and a "
                           "performedPeriod whose start and end are dates with times)")
        ext = _extensions(p)
        exact = _value(ext, "minutes")
        return self._owned("sessions", TreatmentSession, number, p, {
            "started_at": start, "kind": kind, "completed": completed,
            "minutes": minutes_between(start, end) if exact is None else float(exact),
            "pain_before": _value(ext, "pain-before"), "pain_after": _value(ext, "pain-after"),
            "note": _text(p, ext, "note")})

    def medicine(self, number: int, s: Resource) -> tuple[str, Record] | None:
        medicine = s.get("medicationCodeableConcept") or {}
        return self._owned("medicines", MedicineTaken, number, s, {
            "at": s.get("effectiveDateTime"), "name": medicine.get("text"),
            "note": _text(s, _extensions(s), "note")})

    def _owned(self, name: str, model: type[Record], number: int, resource: Resource,
               fields: dict[str, Any]) -> tuple[str, Record] | None:
        """A record that may belong to an episode: read now if its episode is
        known (as in our own Bundles, where episodes come first), or once
        every entry is in."""
        refs = self._refs(resource)
        episode = self._episode(number, resource, refs, final=False)
        if episode is _LATER:
            self.later.append((number, resource, name, _record(model, number, resource, fields)))
            return None
        return name, _record(model, number, resource, {**fields, "episode_id": episode})

    @staticmethod
    def _refs(resource: Resource) -> list[Resource] | None:
        key = "focus" if resource["resourceType"] == "Observation" else "reasonReference"
        refs: list[Resource] | None = resource.get(key)
        return refs

    def _episode(self, number: int, resource: Resource, refs: list[Resource] | None, *,
                 final: bool) -> Any:
        if not refs:
            return None
        ref = refs[0]
        reference, identifier = ref.get("reference"), ref.get("identifier")
        if len(refs) == 1 and reference in self.conditions:
            return self.conditions[reference]
        if len(refs) == 1 and reference is None and identifier is not None:
            return _uuid_hex(number, resource, identifier.get("value"))  # not exported
        if len(refs) == 1 and reference is not None and not final:
            return _LATER
        raise BadInput(f"{_entry(number, resource)} must refer to one Condition of this Bundle "
                       f"as its episode (got {reference or 'no reference'})")

    def _triage(self, number: int, c: Resource) -> tuple[dict[str, bool], object]:
        details = [d for evidence in c.get("evidence") or [] for d in evidence.get("detail") or []]
        if not details:
            return {}, None
        reference = details[0].get("reference")
        target = self.responses.get(reference) if reference else None
        if len(details) > 1 or target is None:
            raise BadInput(f"{_entry(number, c)} must cite exactly one QuestionnaireResponse "
                           "of this Bundle as its evidence (the triage answers)")
        self.cited.add(reference)
        answers: dict[str, bool] = {}
        for item in target.get("item") or []:
            values = [a.get("valueBoolean") for a in item.get("answer") or []]
            if len(values) != 1 or values[0] is None:
                raise BadInput(f"the triage answer {item.get('linkId')!r} cited by "
                               f"{_entry(number, c)} must be a single yes or no (valueBoolean)")
            answers[item.get("linkId")] = values[0]
        return answers, _value(_extensions(target), "triage-urgency")


_LATER = object()  # an episode reference to settle once every entry is in


def _entry(number: int, resource: Resource) -> str:
    return f"entry {number} ({resource['resourceType']}) of the FHIR Bundle"


def _record(model: type[Record], number: int, resource: Resource,
            fields: dict[str, Any]) -> Record:
    kept = {k: v for k, v in fields.items() if v is not None}
    try:
        return model.model_validate({"id": _record_id(number, resource), **kept})
    except ValidationError as err:
        raise BadInput(f"{_entry(number, resource)}: {describe(err)}") from None


def _record_id(number: int, resource: Resource) -> str:
    for identifier in resource.get("identifier") or []:
        if identifier.get("system") == UUID_SYSTEM:
            return _uuid_hex(number, resource, identifier.get("value"))
    raise BadInput(f"{_entry(number, resource)} has no {UUID_SYSTEM} identifier; SpasmCare "
                   "imports only its own FHIR exports")


def _uuid_hex(number: int, resource: Resource, value: str | None) -> str:
    try:
        if value is None or not value.startswith("urn:uuid:"):
            raise ValueError
        return uuid.UUID(value.removeprefix("urn:uuid:")).hex
    except ValueError:
        raise BadInput(f"{_entry(number, resource)} has the identifier {value!r}; expected "
                       "urn:uuid: and a UUID") from None


def _region(number: int, condition: Resource) -> Region | None:
    sites = condition.get("bodySite") or []
    if not sites:
        return None
    region = SITES.get(sites[0].get("text"))
    if len(sites) > 1 or region is None:
        raise BadInput(f"{_entry(number, condition)} has a body site SpasmCare does not know; "
                       f"it records {', '.join(SITES)}")
    return region


def _extensions(resource: Resource) -> dict[str, list[Any]]:
    """Our extensions' values by name (each read by the value[x] it uses)."""
    found: dict[str, list[Any]] = {}
    for e in resource.get("extension") or []:
        url = e.get("url")
        name = url.removeprefix(EXTENSION_BASE) if isinstance(url, str) else None
        if name in EXTENSION_VALUES and url != name:
            found.setdefault(name, []).append(e.get(EXTENSION_VALUES[name]))
    return found


def _value(extensions: dict[str, list[Any]], name: str) -> Any:
    values = extensions.get(name)
    return values[0] if values else None


def _text(resource: Resource, extensions: dict[str, list[Any]], name: str) -> str | None:
    """A note (``note`` in an Annotation, others in extensions), "" when marked empty."""
    if name in extensions.get("empty-text", ()):
        return ""
    notes = resource.get("note") or []
    text: str | None = _value(extensions, name) if name != "note" else \
        notes[0].get("text") if notes else None
    return text
