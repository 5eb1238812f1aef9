"""The FHIR R4 export: the diary as a Bundle of type ``collection``, built and
validated with the ``fhir.resources`` R4B models, and read back by ``loads``.

What goes where:

- one Patient with no identifying data (the diary holds none);
- an episode is a Condition (SNOMED CT muscle spasm), its triage answers a
  QuestionnaireResponse that the Condition cites as evidence;
- a pain entry is an Observation (LOINC 72514-3, category ``survey``) whose
  ``focus`` is the episode's Condition; a habit is an Observation with a text
  code and a Quantity;
- a treatment session is a Procedure, a medicine taken a MedicationStatement
  (the name as typed, never a dose), both giving the episode as their reason.

Record ids are kept as ``urn:uuid`` identifiers and fullUrls. Fields FHIR has
no element for (side, triggers, trigger note, impact, severity, stiffness,
mobility, pain before and after a session, the triage urgency) are extensions
whose URLs all start with ``EXTENSION_BASE`` (``EXTENSION_VALUES`` lists them):
extensions rather than Observation components, because a component needs a
code and there is no standard code for them. Two more keep the round trip
exact: ``minutes`` when a session's length does not fit performedPeriod to the
microsecond, and ``empty-text`` for a note that is "", which FHIR strings
cannot be.

``loads`` (the details are in ``fhir_bundle_reader``) reads only Bundles in
this shape: a resource it cannot place in the diary is rejected, naming the
entry, rather than skipped, because an import that quietly drops part of a
file looks as if it restored everything.

fhir.resources takes about a third of a second to import, so it is imported
when first needed; ``is_bundle`` never needs it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from html import escape
from types import SimpleNamespace
from typing import Any, TypeGuard

from pydantic import ValidationError

from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    TreatmentSession,
)
from spasmcare.core.diary_terms import HABIT_UNITS, HabitKind, Region, TreatmentKind
from spasmcare.core.documents import MAX_IMPORT_RECORDS, VALIDATE_AT_ONCE
from spasmcare.core.errors import BadInput

# Our own extensions. spasmcare.example is reserved (RFC 2606): no one else can
# own it, and the definitions are in this module rather than on a web site.
EXTENSION_BASE = "https://spasmcare.example/fhir/StructureDefinition/"
EXTENSION_VALUES = {  # extension name -> the value[x] element it uses
    "side": "valueCode", "trigger": "valueCode", "trigger-note": "valueString",
    "triage-urgency": "valueCode", "impact": "valueCode", "severity": "valueCode",
    "stiffness": "valueInteger", "mobility": "valueCode", "pain-before": "valueInteger",
    "pain-after": "valueInteger", "worse-next-morning": "valueBoolean",
    # the exact minutes, only when performedPeriod cannot hold them to the microsecond
    "minutes": "valueDecimal",
    # FHIR strings may not be empty, but a note may be: names the note that was ""
    "empty-text": "valueCode",
}

UUID_SYSTEM = "urn:ietf:rfc:3986"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"

PAIN_SCORE = (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
MUSCLE_SPASM = (SNOMED, "45326000", "Muscle spasm")
SURVEY = (OBSERVATION_CATEGORY, "survey", "Survey")
ACTIVE = (CONDITION_CLINICAL, "active", "Active")
RESOLVED = (CONDITION_CLINICAL, "resolved", "Resolved")
# Self-reported, never confirmed by a clinician through this app.
UNCONFIRMED = (CONDITION_VERIFICATION, "unconfirmed", "Unconfirmed")

REGION_SITES = {  # region -> SNOMED CT body site and the words shown with it
    Region.LOWER: ("1141985005", "lower back"),
    Region.MIDDLE: ("77568009", "middle back"),
    Region.UPPER: ("77568009", "upper back"),
}
TREATMENT_TEXT = {
    TreatmentKind.ICE: "Cold pack (ice) on the back",
    TreatmentKind.HEAT: "Heat on the back",
    TreatmentKind.CONTRAST: "Ice and heat in turn",
    TreatmentKind.WALK: "Gentle walk",
    TreatmentKind.STRETCH: "Stretching",
    TreatmentKind.STRENGTH: "Strengthening exercise",
    TreatmentKind.MASSAGE: "Massage",
    TreatmentKind.OTHER: "Other self-care",
}
HABIT_TEXT = {
    HabitKind.WATER: "Water drunk (prevention habit)",
    HabitKind.WALK: "Walking (prevention habit)",
    HabitKind.PLANK: "Plank hold (prevention habit)",
    HabitKind.BREAKS: "Breaks from sitting (prevention habit)",
}
HABIT_UCUM = {HabitKind.WALK: "min", HabitKind.PLANK: "s"}
SESSION_STATUS = {True: "completed", False: "stopped"}

PATIENT_TEXT = ("The person who kept this SpasmCare diary. The diary holds no identifying "
                "details; everything in this Bundle is reported by that person.")
EMPTY_TEXT = (" The diary had no records when it was exported, so the Bundle holds only "
              "this Patient.")
IMPORTED = ("Patient", "Condition", "QuestionnaireResponse", "Observation", "Procedure",
            "MedicationStatement")


def is_bundle(document: object) -> TypeGuard[dict[str, Any]]:
    """Whether a parsed JSON document is a FHIR Bundle (rather than a JSON export)."""
    return isinstance(document, dict) and document.get("resourceType") == "Bundle"


# --- writing ----------------------------------------------------------------------


def dumps(diary: Diary, exported_at: datetime) -> bytes:
    m = models()
    patient_url = _url(uuid.uuid5(uuid.NAMESPACE_URL, f"{EXTENSION_BASE}Patient/"
                                  f"{exported_at.isoformat()}").hex)
    text = PATIENT_TEXT + ("" if diary.count() else EMPTY_TEXT)
    entries: list[tuple[str, Any]] = [(patient_url, m.Patient(text=_narrative(text)))]
    episodes = {e.id: e for e in diary.episodes}
    writer = _Writer(patient_url, episodes)
    for episode in by_time(diary.episodes, "onset"):
        entries.extend(writer.episode(episode))
    for kind, attr, write in (("pain_entries", "at", writer.pain),
                              ("sessions", "started_at", writer.session),
                              ("medicines", "at", writer.medicine),
                              ("habits", "at", writer.habit)):
        entries.extend((_url(r.id), write(r)) for r in by_time(getattr(diary, kind), attr))
    bundle = m.Bundle(type="collection", timestamp=exported_at,
                      entry=[m.BundleEntry(fullUrl=url, resource=r) for url, r in entries])
    document: str = bundle.model_dump_json(indent=1)
    return document.encode()


class _Writer:
    def __init__(self, patient_url: str, episodes: dict[str, Episode]) -> None:
        self.patient = {"reference": patient_url}
        self.episodes = episodes
        self.m = models()

    def episode(self, e: Episode) -> list[tuple[str, Any]]:
        triage = None
        if e.triage_answers or e.triage_urgency is not None:
            triage = (_url(uuid.uuid5(uuid.UUID(e.id), "triage").hex), self.triage(e))
        condition = self.m.Condition(
            identifier=[_identifier(e.id)],
            clinicalStatus=_concept(ACTIVE if e.open else RESOLVED),
            verificationStatus=_concept(UNCONFIRMED),
            code=_concept(MUSCLE_SPASM, "Back muscle spasm"),
            bodySite=_listed(_body_site(e.region)), subject=self.patient, asserter=self.patient,
            onsetDateTime=e.onset, abatementDateTime=e.ended_at,
            evidence=[{"detail": [{"reference": triage[0]}]}] if triage else None,
            note=_note(e.note),
            extension=_extensions(("side", e.side), *(("trigger", t) for t in e.triggers),
                                  ("trigger-note", e.trigger_note or None),
                                  *_empty(note=e.note, **{"trigger-note": e.trigger_note})),
        )
        return [(_url(e.id), condition), *([triage] if triage else [])]

    def triage(self, e: Episode) -> Any:
        from spasmcare.core.loader import load_knowledge

        questions = {f.id: f.question for f in load_knowledge().triage.findings}
        items = [{"linkId": key, "text": questions.get(key), "answer": [{"valueBoolean": yes}]}
                 for key, yes in e.triage_answers.items()]
        return self.m.QuestionnaireResponse(
            status="completed", subject=self.patient, source=self.patient, item=items or None,
            extension=_extensions(("triage-urgency", e.triage_urgency)))

    def pain(self, p: PainEntry) -> Any:
        episode = self.episodes.get(p.episode_id) if p.episode_id else None
        return self.m.Observation(
            identifier=[_identifier(p.id)], status="final", category=[_concept(SURVEY)],
            code=_concept(PAIN_SCORE), subject=self.patient, performer=[self.patient],
            focus=self._episode(p.episode_id), effectiveDateTime=p.at, valueInteger=p.pain,
            bodySite=_body_site(episode.region if episode else None), note=_note(p.note),
            extension=_extensions(("impact", p.impact), ("severity", p.severity),
                                  ("stiffness", p.stiffness), ("mobility", p.mobility),
                                  ("worse-next-morning", p.worse_next_morning),
                                  *_empty(note=p.note)))

    def session(self, s: TreatmentSession) -> Any:
        end = _after(s.started_at, s.minutes)
        exact = minutes_between(s.started_at, end) == s.minutes
        return self.m.Procedure(
            identifier=[_identifier(s.id)], status=SESSION_STATUS[s.completed],
            code={"text": TREATMENT_TEXT[s.kind]}, subject=self.patient,
            performer=[{"actor": self.patient}], reasonReference=self._episode(s.episode_id),
            performedPeriod={"start": s.started_at, "end": end}, note=_note(s.note),
            extension=_extensions(("pain-before", s.pain_before), ("pain-after", s.pain_after),
                                  ("minutes", None if exact else s.minutes),
                                  *_empty(note=s.note)))

    def medicine(self, t: MedicineTaken) -> Any:
        return self.m.MedicationStatement(
            identifier=[_identifier(t.id)], status="completed",
            medicationCodeableConcept={"text": t.name}, subject=self.patient,
            informationSource=self.patient, effectiveDateTime=t.at,
            reasonReference=self._episode(t.episode_id), note=_note(t.note),
            extension=_extensions(*_empty(note=t.note)))

    def habit(self, h: HabitLog) -> Any:
        unit = {"system": UCUM, "code": HABIT_UCUM[h.kind]} if h.kind in HABIT_UCUM else {}
        return self.m.Observation(
            identifier=[_identifier(h.id)], status="final", category=[_concept(SURVEY)],
            code={"text": HABIT_TEXT[h.kind]}, subject=self.patient, performer=[self.patient],
            effectiveDateTime=h.at,
            valueQuantity={"value": h.amount, "unit": HABIT_UNITS[h.kind], **unit})

    def _episode(self, episode_id: str | None) -> list[dict[str, Any]] | None:
        if episode_id is None:
            return None
        if episode_id in self.episodes:
            return [{"reference": _url(episode_id)}]
        # Not in this export: a logical reference still names it.
        return [{"type": "Condition", "identifier": _identifier(episode_id)}]


def _url(record_id: str) -> str:
    return f"urn:uuid:{uuid.UUID(record_id)}"


def _identifier(record_id: str) -> dict[str, str]:
    return {"system": UUID_SYSTEM, "value": _url(record_id)}


def _concept(code: tuple[str, str, str], text: str | None = None) -> dict[str, Any]:
    system, value, display = code
    return {"coding": [{"system": system, "code": value, "display": display}], "text": text}


def _body_site(region: Region | None) -> dict[str, Any] | None:
    if region is None:
        return None
    code, words = REGION_SITES[region]
    return {"coding": [{"system": SNOMED, "code": code}], "text": words}


def _listed(item: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    return [item] if item is not None else None


def _note(text: str | None) -> list[dict[str, str]] | None:
    return [{"text": text}] if text else None


def _empty(**notes: str | None) -> Iterable[tuple[str, str]]:
    return (("empty-text", name) for name, text in notes.items() if text == "")


def _extensions(*fields: tuple[str, object]) -> list[dict[str, Any]] | None:
    found = [{"url": EXTENSION_BASE + name, EXTENSION_VALUES[name]: value}
             for name, value in fields if value is not None]
    return found or None


def _narrative(text: str) -> dict[str, str]:
    return {"status": "additional",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></div>'}


def _after(start: datetime, minutes: float) -> datetime:
    # Computed in UTC so that a daylight-saving change cannot bend the duration.
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)


def minutes_between(start: datetime, end: datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)) / timedelta(minutes=1)


def by_time(records: Iterable[Any], attr: str) -> list[Any]:
    return sorted(records, key=lambda r: (getattr(r, attr), r.id))


@cache
def models() -> SimpleNamespace:
    from fhir.resources.R4B import (
        bundle,
        condition,
        medicationstatement,
        observation,
        patient,
        procedure,
        questionnaireresponse,
    )

    return SimpleNamespace(
        Bundle=bundle.Bundle, BundleEntry=bundle.BundleEntry, Patient=patient.Patient,
        Condition=condition.Condition, Observation=observation.Observation,
        Procedure=procedure.Procedure,
        MedicationStatement=medicationstatement.MedicationStatement,
        QuestionnaireResponse=questionnaireresponse.QuestionnaireResponse)


# --- reading ----------------------------------------------------------------------


def loads(data: bytes) -> Diary:
    """Read a Bundle written by ``dumps``; BadInput saying what is wrong with a
    damaged or foreign one."""
    from spasmcare.core.documents import parse_json

    return from_document(parse_json(data, "the file (not a FHIR Bundle)"))


def from_document(document: object) -> Diary:
    """The diary in a Bundle already parsed from JSON."""
    from spasmcare.exports.fhir_bundle_reader import read_bundle

    if not is_bundle(document):
        raise BadInput('the file is not a FHIR Bundle (no "resourceType": "Bundle")')
    _check_resource_types(document)
    entries = document.get("entry")
    if not isinstance(entries, list) or not entries:
        entries = [entries]  # validated once as it is, to say what is wrong with it
    elif len(entries) > MAX_IMPORT_RECORDS:
        raise BadInput(f"the FHIR Bundle holds {len(entries):,} entries; an import may hold "
                       f"at most {MAX_IMPORT_RECORDS:,}")
    # Validated a slice at a time, stopping at the first slice with a problem:
    # validating a huge Bundle whole collects an error for every bad entry,
    # which is how a crafted file exhausts memory.
    bundle = None
    read: list[Any] = []
    for start in range(0, len(entries), VALIDATE_AT_ONCE):
        part = entries[start:start + VALIDATE_AT_ONCE]
        try:
            slice_ = models().Bundle.model_validate(
                {**document, "entry": part if part != [None] else None})
        except ValidationError as err:
            raise BadInput(f"the FHIR Bundle is not valid R4: {_invalid(err, start)}") from None
        except (KeyError, TypeError):  # what fhir.resources raises for an unknown contained type
            raise BadInput("the FHIR Bundle is not valid R4: it holds a resource whose "
                           "resourceType R4 does not have") from None
        bundle = bundle or slice_
        read += slice_.entry or []
    assert bundle is not None
    if bundle.type != "collection":
        raise BadInput(f"the FHIR Bundle is of type {bundle.type!r}; SpasmCare exports and "
                       "imports type 'collection'")
    return read_bundle(read)


def _check_resource_types(document: dict[str, Any]) -> None:
    # Before validation, which fails with a KeyError on a type R4 does not have,
    # and to name the entry that SpasmCare cannot import.
    entries = document.get("entry")
    patients = 0
    for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if resource is not None and kind not in IMPORTED:
            raise BadInput(f"entry {number} of the FHIR Bundle is a resource of type {kind}, "
                           f"which a SpasmCare diary cannot hold; it imports {', '.join(IMPORTED)}")
        if kind == "Patient":
            patients += 1
            _check_patient(number, resource, patients)


# What would identify the person. The diary keeps none of it, so an import
# that carries it is refused rather than silently losing it.
IDENTIFYING = {"identifier": "an identifier (such as an NHS number)", "name": "a name",
               "telecom": "a phone number or email", "address": "an address",
               "birthDate": "a date of birth", "photo": "a photo", "contact": "a contact",
               "generalPractitioner": "a GP"}


def _check_patient(number: int, patient: dict[str, Any], seen: int) -> None:
    if seen > 1:
        raise BadInput(f"entry {number} of the FHIR Bundle is a second Patient; a SpasmCare "
                       "diary is one person's, so nothing was imported")
    held = [what for key, what in IDENTIFYING.items() if patient.get(key)]
    if held:
        raise BadInput(f"entry {number} of the FHIR Bundle, the Patient, carries "
                       f"{', '.join(held)}, which SpasmCare does not keep; remove it (or import "
                       "a Bundle SpasmCare exported) so that nothing is silently dropped. "
                       "Nothing was imported")


def _invalid(err: ValidationError, offset: int = 0) -> str:
    """The first problem, with the entry counted from 1 as everywhere else
    (``offset`` entries came before the slice that was validated)."""
    first = err.errors()[0]
    loc = list(first["loc"])
    place = ""
    if loc[:1] == ["entry"] and len(loc) > 1 and isinstance(loc[1], int):
        place = f"entry {loc[1] + 1 + offset}: "
        loc = loc[3:] if loc[2:3] == ["resource"] else loc[2:]
    field = ".".join(str(p) for p in loc)
    shown = first.get("input")
    got = f" (got {shown!r})" if field and not isinstance(shown, dict | list) else ""
    message = " ".join(first["msg"].removeprefix("Value error, ").split())  # some span lines
    return f"{place}{field}: {message}{got}" if field else f"{place}{message}"
