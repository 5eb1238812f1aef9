"""The vocabulary of the FHIR Bundle, shared by the side that writes it
(``fhir_bundle``) and the side that reads it (``fhir_bundle_reader``): our
extension URLs, the code systems and codes, the words that stand for the
diary's kinds, and the two conversions both sides must agree on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from spasmcare.core.diary_terms import HabitKind, Region, TreatmentKind

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

# The resource types a SpasmCare diary can hold.
IMPORTED = ("Patient", "Condition", "QuestionnaireResponse", "Observation", "Procedure",
            "MedicationStatement")


def minutes_between(start: datetime, end: datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)) / timedelta(minutes=1)


def by_time(records: Iterable[Any], attr: str) -> list[Any]:
    return sorted(records, key=lambda r: (getattr(r, attr), r.id))
