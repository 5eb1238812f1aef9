"""The FHIR R4 export: the diary as a Bundle of type ``collection``, written
entry by entry (``write``), so that a ten-year diary never stands in memory as
one Bundle.

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
whose URLs all start with ``EXTENSION_BASE`` (``fhir_terms``): extensions
rather than Observation components, because a component needs a code and
there is no standard code for them. Two more keep the round trip exact:
``minutes`` when a session's length does not fit performedPeriod to the
microsecond, and ``empty-text`` for a note that is "", which FHIR strings
cannot be.

The resources are plain JSON values written in the R4B models' element order
and serialised by pydantic-core, the serialiser the ``fhir.resources`` models
use themselves, so the file is what those models would write, byte for byte,
without building 40,000 of them. The tests hold it to that: every resource of
any diary validates against its R4B model, the whole Bundle serialises back
to the same bytes, and a fixed diary gives golden bytes. What the records
may hold (stripped, non-blank notes; aware times) is what keeps every value
valid R4.
"""

from __future__ import annotations

import decimal
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any

from pydantic_core import to_json

from spasmcare.core.diary import (
    Diary,
    Episode,
    HabitLog,
    MedicineTaken,
    PainEntry,
    TreatmentSession,
)
from spasmcare.core.diary_terms import HABIT_UNITS, Region
from spasmcare.exports.fhir_terms import (
    ACTIVE,
    EXTENSION_BASE,
    EXTENSION_VALUES,
    HABIT_TEXT,
    HABIT_UCUM,
    MUSCLE_SPASM,
    PAIN_SCORE,
    REGION_SITES,
    RESOLVED,
    SESSION_STATUS,
    SNOMED,
    SURVEY,
    TREATMENT_TEXT,
    UCUM,
    UNCONFIRMED,
    UUID_SYSTEM,
    by_time,
    minutes_between,
)

PATIENT_TEXT = ("The person who kept this SpasmCare diary. The diary holds no identifying "
                "details; everything in this Bundle is reported by that person.")
EMPTY_TEXT = (" The diary had no records when it was exported, so the Bundle holds only "
              "this Patient.")
CHUNK_BYTES = 256 * 1024  # entries are handed on in pieces of about this size
ENTRY_INDENT = "  "  # an entry of Bundle.entry, indented one space a level


def dumps(diary: Diary, exported_at: datetime) -> bytes:
    """The whole Bundle at once (``write``, joined)."""
    return b"".join(write(diary, exported_at))


def write(diary: Diary, exported_at: datetime) -> Iterator[bytes]:
    """The Bundle as UTF-8 pieces of about CHUNK_BYTES, in order: the same bytes
    whatever the diary's size, one entry at a time in memory."""
    pending: list[bytes] = []
    size = 0
    for piece in _pieces(diary, exported_at):
        pending.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield b"".join(pending)
            pending, size = [], 0
    yield b"".join(pending)


def _pieces(diary: Diary, exported_at: datetime) -> Iterator[bytes]:
    yield (b'{\n "resourceType": "Bundle",\n "type": "collection",\n "timestamp": '
           + to_json(exported_at) + b',\n "entry": [\n')
    separator = b""
    for url, resource in entries(diary, exported_at):
        text = to_json({"fullUrl": url, "resource": resource}, indent=1).decode()
        # No JSON string holds a raw line break, so each break starts a line.
        yield separator + (ENTRY_INDENT + text.replace("\n", "\n" + ENTRY_INDENT)).encode()
        separator = b",\n"
    yield b"\n ]\n}"


def entries(diary: Diary, exported_at: datetime) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each entry's fullUrl and resource (as JSON values), in the Bundle's order:
    the Patient, the episodes by onset (each followed by its triage answers),
    then pain entries, sessions, medicines and habits, each by time."""
    patient_url = _url(uuid.uuid5(uuid.NAMESPACE_URL, f"{EXTENSION_BASE}Patient/"
                                  f"{exported_at.isoformat()}").hex)
    text = PATIENT_TEXT + ("" if diary.count() else EMPTY_TEXT)
    yield patient_url, {"resourceType": "Patient", "text": _narrative(text)}
    writer = _Writer(patient_url, {e.id: e for e in diary.episodes})
    for episode in by_time(diary.episodes, "onset"):
        yield from writer.episode(episode)
    for kind, attr, resource in (("pain_entries", "at", writer.pain),
                                 ("sessions", "started_at", writer.session),
                                 ("medicines", "at", writer.medicine),
                                 ("habits", "at", writer.habit)):
        for record in by_time(getattr(diary, kind), attr):
            yield _url(record.id), resource(record)


class _Writer:
    """Each record as its resource, the elements in the R4B models' order and
    those without a value left out, as the models write them."""

    def __init__(self, patient_url: str, episodes: dict[str, Episode]) -> None:
        self.patient = {"reference": patient_url}
        self.episodes = episodes
        self.questions: dict[str, str] | None = None

    def episode(self, e: Episode) -> Iterator[tuple[str, dict[str, Any]]]:
        triage = None
        if e.triage_answers or e.triage_urgency is not None:
            triage = (_url(uuid.uuid5(uuid.UUID(e.id), "triage").hex), self.triage(e))
        yield _url(e.id), _kept({
            "resourceType": "Condition",
            "extension": _extensions(("side", e.side), *(("trigger", t) for t in e.triggers),
                                     ("trigger-note", e.trigger_note or None),
                                     *_empty(note=e.note, **{"trigger-note": e.trigger_note})),
            "identifier": [_identifier(e.id)],
            "clinicalStatus": _concept(ACTIVE if e.open else RESOLVED),
            "verificationStatus": _concept(UNCONFIRMED),
            "code": _concept(MUSCLE_SPASM, "Back muscle spasm"),
            "bodySite": _listed(_body_site(e.region)), "subject": self.patient,
            "onsetDateTime": e.onset, "abatementDateTime": e.ended_at,
            "asserter": self.patient,
            "evidence": [{"detail": [{"reference": triage[0]}]}] if triage else None,
            "note": _note(e.note)})
        if triage:
            yield triage

    def triage(self, e: Episode) -> dict[str, Any]:
        if self.questions is None:
            from spasmcare.core.loader import load_knowledge

            self.questions = {f.id: f.question for f in load_knowledge().triage.findings}
        items = [_kept({"linkId": key, "text": self.questions.get(key),
                        "answer": [{"valueBoolean": yes}]})
                 for key, yes in e.triage_answers.items()]
        return _kept({"resourceType": "QuestionnaireResponse",
                      "extension": _extensions(("triage-urgency", e.triage_urgency)),
                      "status": "completed", "subject": self.patient, "source": self.patient,
                      "item": items or None})

    def pain(self, p: PainEntry) -> dict[str, Any]:
        episode = self.episodes.get(p.episode_id) if p.episode_id else None
        return _kept({
            "resourceType": "Observation",
            "extension": _extensions(("impact", p.impact), ("severity", p.severity),
                                     ("stiffness", p.stiffness), ("mobility", p.mobility),
                                     ("worse-next-morning", p.worse_next_morning),
                                     *_empty(note=p.note)),
            "identifier": [_identifier(p.id)], "status": "final",
            "category": [_concept(SURVEY)], "code": _concept(PAIN_SCORE),
            "subject": self.patient, "focus": self._episode(p.episode_id),
            "effectiveDateTime": p.at, "performer": [self.patient], "valueInteger": p.pain,
            "note": _note(p.note), "bodySite": _body_site(episode.region if episode else None)})

    def session(self, s: TreatmentSession) -> dict[str, Any]:
        end = _after(s.started_at, s.minutes)
        exact = minutes_between(s.started_at, end) == s.minutes
        return _kept({
            "resourceType": "Procedure",
            "extension": _extensions(("pain-before", s.pain_before),
                                     ("pain-after", s.pain_after),
                                     ("minutes", None if exact else _decimal(s.minutes)),
                                     *_empty(note=s.note)),
            "identifier": [_identifier(s.id)], "status": SESSION_STATUS[s.completed],
            "code": {"text": TREATMENT_TEXT[s.kind]}, "subject": self.patient,
            "performedPeriod": {"start": s.started_at, "end": end},
            "performer": [{"actor": self.patient}],
            "reasonReference": self._episode(s.episode_id), "note": _note(s.note)})

    def medicine(self, t: MedicineTaken) -> dict[str, Any]:
        return _kept({
            "resourceType": "MedicationStatement", "extension": _extensions(*_empty(note=t.note)),
            "identifier": [_identifier(t.id)], "status": "completed",
            "medicationCodeableConcept": {"text": t.name}, "subject": self.patient,
            "effectiveDateTime": t.at, "informationSource": self.patient,
            "reasonReference": self._episode(t.episode_id), "note": _note(t.note)})

    def habit(self, h: HabitLog) -> dict[str, Any]:
        unit = {"system": UCUM, "code": HABIT_UCUM[h.kind]} if h.kind in HABIT_UCUM else {}
        return {
            "resourceType": "Observation", "identifier": [_identifier(h.id)],
            "status": "final", "category": [_concept(SURVEY)],
            "code": {"text": HABIT_TEXT[h.kind]}, "subject": self.patient,
            "effectiveDateTime": h.at, "performer": [self.patient],
            "valueQuantity": {"value": _decimal(h.amount), "unit": HABIT_UNITS[h.kind], **unit}}

    def _episode(self, episode_id: str | None) -> list[dict[str, Any]] | None:
        if episode_id is None:
            return None
        if episode_id in self.episodes:
            return [{"reference": _url(episode_id)}]
        # Not in this export: a logical reference still names it.
        return [{"type": "Condition", "identifier": _identifier(episode_id)}]


def _kept(element: dict[str, Any]) -> dict[str, Any]:
    """``element`` without the entries that have no value, which FHIR leaves out."""
    return {key: value for key, value in element.items() if value is not None}


def _url(record_id: str) -> str:
    return f"urn:uuid:{uuid.UUID(record_id)}"


def _identifier(record_id: str) -> dict[str, str]:
    return {"system": UUID_SYSTEM, "value": _url(record_id)}


def _concept(code: tuple[str, str, str], text: str | None = None) -> dict[str, Any]:
    system, value, display = code
    return _kept({"coding": [{"system": system, "code": value, "display": display}],
                  "text": text})


def _body_site(region: Region | None) -> dict[str, Any] | None:
    if region is None:
        return None
    code, words = REGION_SITES[region]
    return {"coding": [{"system": SNOMED, "code": code}], "text": words}


def _listed(item: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    return [item] if item is not None else None


def _note(text: str | None) -> list[dict[str, str]] | None:
    return [{"text": text}] if text else None


def _empty(**notes: str | None) -> Iterator[tuple[str, str]]:
    return (("empty-text", name) for name, text in notes.items() if text == "")


def _extensions(*fields: tuple[str, object]) -> list[dict[str, Any]] | None:
    found = [{"url": EXTENSION_BASE + name, EXTENSION_VALUES[name]: value}
             for name, value in fields if value is not None]
    return found or None


def _decimal(number: float) -> float | int:
    """A FHIR decimal as the R4B models write it: read from the number's
    shortest form, and an integer only when that form has no fraction."""
    value = decimal.Decimal(str(number))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0 and value == value.to_integral_value():
        return int(value)
    return float(value)


def _narrative(text: str) -> dict[str, str]:
    return {"status": "additional",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></div>'}


def _after(start: datetime, minutes: float) -> datetime:
    # Computed in UTC so that a daylight-saving change cannot bend the duration.
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)
