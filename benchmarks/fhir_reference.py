"""The plain reference for ``fhir_cost.py``: the FHIR export and import done
with nothing but sqlite3 and json, as the floor a FHIR export of the same
rows could cost in Python.

    python fhir_reference.py export DIARY.sqlite3 OUT.fhir.json
    python fhir_reference.py import IN.fhir.json DIARY.sqlite3

The export reads every row, maps it to the resource SpasmCare writes for it
(the same elements, codes and extensions, in the Bundle's shape) and writes
the Bundle with ``json.dump``; the import parses the Bundle with
``json.load``, maps each resource back to a row and inserts them in one
transaction. It checks nothing and keeps no counts: it is a yardstick, not
an implementation. Triage answers are written without their question text,
which would need the knowledge base (the ten-year diary has none).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

EXT = "https://spasmcare.example/fhir/StructureDefinition/"
UUID_SYSTEM = "urn:ietf:rfc:3986"
SNOMED = "http://snomed.info/sct"
SURVEY = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                      "code": "survey", "display": "Survey"}]}
PAIN = {"coding": [{"system": "http://loinc.org", "code": "72514-3",
                    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}]}
CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
SITES = {"lower": ("1141985005", "lower back"), "middle": ("77568009", "middle back"),
         "upper": ("77568009", "upper back")}
TREATMENTS = {"ice": "Cold pack (ice) on the back", "heat": "Heat on the back",
              "contrast": "Ice and heat in turn", "walk": "Gentle walk",
              "stretch": "Stretching", "strength": "Strengthening exercise",
              "massage": "Massage", "other": "Other self-care"}
HABITS = {"water": "Water drunk (prevention habit)", "walk": "Walking (prevention habit)",
          "plank": "Plank hold (prevention habit)",
          "breaks": "Breaks from sitting (prevention habit)"}
UNITS = {"water": "glasses", "walk": "minutes", "plank": "seconds", "breaks": "breaks"}
UCUM = {"walk": "min", "plank": "s"}


def urn(record_id: str) -> str:
    return f"urn:uuid:{uuid.UUID(record_id)}"


def when(text: str | None) -> str | None:
    return None if text is None else \
        datetime.fromisoformat(text).replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


def ext(**values: tuple[str, object]) -> list[dict[str, Any]]:
    return [{"url": EXT + name.replace("_", "-"), kind: value}
            for name, (kind, value) in values.items() if value is not None]


def clean(resource: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if v not in (None, [], {})}


def export(db: str, out: str) -> None:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    patient = "urn:uuid:" + str(uuid.uuid4())
    me = {"reference": patient}
    entries: list[dict[str, Any]] = [{"fullUrl": patient, "resource": {
        "resourceType": "Patient", "text": {"status": "additional", "div": "<div/>"}}}]
    episodes: dict[str, str | None] = {}

    def add(record_id: str, resource: dict[str, Any]) -> None:
        ident = [{"system": UUID_SYSTEM, "value": urn(record_id)}]
        entries.append({"fullUrl": urn(record_id),
                        "resource": clean({**resource, "identifier": ident})})

    def reason(episode_id: str | None) -> list[dict[str, str]] | None:
        return [{"reference": urn(episode_id)}] if episode_id else None

    for r in conn.execute("SELECT * FROM episodes ORDER BY onset, id"):
        episodes[r["id"]] = r["region"]
        site = SITES.get(r["region"])
        add(r["id"], {
            "resourceType": "Condition",
            "extension": ext(side=("valueCode", r["side"]),
                             trigger_note=("valueString", r["trigger_note"] or None))
            + [{"url": EXT + "trigger", "valueCode": t} for t in json.loads(r["triggers"])],
            "clinicalStatus": {"coding": [{"system": CLINICAL,
                                           "code": "active" if r["ended_at"] is None
                                           else "resolved"}]},
            "code": {"coding": [{"system": SNOMED, "code": "45326000"}]},
            "bodySite": [{"coding": [{"system": SNOMED, "code": site[0]}], "text": site[1]}]
            if site else None,
            "subject": me, "onsetDateTime": when(r["onset"]),
            "abatementDateTime": when(r["ended_at"]),
            "note": [{"text": r["note"]}] if r["note"] else None})
    for r in conn.execute("SELECT * FROM pain_entries ORDER BY at, id"):
        site = SITES.get(episodes.get(r["episode_id"]) or "")
        add(r["id"], {
            "resourceType": "Observation",
            "extension": ext(impact=("valueCode", r["impact"]),
                             severity=("valueCode", r["severity"]),
                             stiffness=("valueInteger", r["stiffness"]),
                             mobility=("valueCode", r["mobility"])),
            "status": "final", "category": [SURVEY], "code": PAIN, "subject": me,
            "focus": reason(r["episode_id"]), "effectiveDateTime": when(r["at"]),
            "performer": [me], "valueInteger": r["pain"],
            "bodySite": {"coding": [{"system": SNOMED, "code": site[0]}], "text": site[1]}
            if site else None,
            "note": [{"text": r["note"]}] if r["note"] else None})
    for r in conn.execute("SELECT * FROM treatment_sessions ORDER BY started_at, id"):
        start = datetime.fromisoformat(r["started_at"]).replace(tzinfo=UTC)
        end = start + timedelta(minutes=r["minutes"])
        add(r["id"], {
            "resourceType": "Procedure",
            "extension": ext(pain_before=("valueInteger", r["pain_before"]),
                             pain_after=("valueInteger", r["pain_after"])),
            "status": "completed" if r["completed"] else "stopped",
            "code": {"text": TREATMENTS[r["kind"]]}, "subject": me,
            "performedPeriod": {"start": when(r["started_at"]),
                                "end": end.isoformat().replace("+00:00", "Z")},
            "performer": [{"actor": me}], "reasonReference": reason(r["episode_id"]),
            "note": [{"text": r["note"]}] if r["note"] else None})
    for r in conn.execute("SELECT * FROM medicines ORDER BY at, id"):
        add(r["id"], {
            "resourceType": "MedicationStatement", "status": "completed",
            "medicationCodeableConcept": {"text": r["name"]}, "subject": me,
            "effectiveDateTime": when(r["at"]), "informationSource": me,
            "reasonReference": reason(r["episode_id"]),
            "note": [{"text": r["note"]}] if r["note"] else None})
    for r in conn.execute("SELECT * FROM habit_logs ORDER BY at, id"):
        unit = {"system": "http://unitsofmeasure.org", "code": UCUM[r["kind"]]} \
            if r["kind"] in UCUM else {}
        add(r["id"], {
            "resourceType": "Observation", "status": "final", "category": [SURVEY],
            "code": {"text": HABITS[r["kind"]]}, "subject": me,
            "effectiveDateTime": when(r["at"]), "performer": [me],
            "valueQuantity": {"value": r["amount"], "unit": UNITS[r["kind"]], **unit}})
    bundle = {"resourceType": "Bundle", "type": "collection",
              "timestamp": datetime.now(UTC).isoformat(), "entry": entries}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(bundle, fh, indent=1, ensure_ascii=False)


def _id(resource: dict[str, Any]) -> str:
    return uuid.UUID(resource["identifier"][0]["value"].removeprefix("urn:uuid:")).hex


def _at(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _ext(resource: dict[str, Any], name: str) -> Any:
    for e in resource.get("extension", []):
        if e["url"] == EXT + name:
            return next(v for k, v in e.items() if k.startswith("value"))
    return None


def _episode(resource: dict[str, Any], key: str) -> str | None:
    refs = resource.get(key)
    return uuid.UUID(refs[0]["reference"].removeprefix("urn:uuid:")).hex if refs else None


def _note(resource: dict[str, Any]) -> str | None:
    return resource["note"][0]["text"] if resource.get("note") else None


def import_(path: str, db: str) -> None:
    with open(path, encoding="utf-8") as fh:
        bundle = json.load(fh)
    conn = sqlite3.connect(db)
    person = conn.execute("SELECT id FROM people WHERE handle = 'local'").fetchone()
    if person is None:
        person = (uuid.uuid4().hex,)
        conn.execute("INSERT INTO people (id, created_at, handle) VALUES (?, ?, 'local')",
                     (person[0], datetime.now(UTC).replace(tzinfo=None).isoformat(" ")))
    me = person[0]
    treatments = {text: kind for kind, text in TREATMENTS.items()}
    habits = {text: kind for kind, text in HABITS.items()}
    sites = {text: region for region, (_, text) in SITES.items()}
    rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in (
        "episodes", "pain_entries", "treatment_sessions", "medicines", "habit_logs")}
    for entry in bundle["entry"]:
        r = entry["resource"]
        kind = r["resourceType"]
        if kind == "Condition":
            site = r.get("bodySite")
            rows["episodes"].append((
                _id(r), me, _at(r["onsetDateTime"]), sites[site[0]["text"]] if site else None,
                _ext(r, "side"), json.dumps([e["valueCode"] for e in r.get("extension", [])
                                             if e["url"] == EXT + "trigger"]),
                _ext(r, "trigger-note"), "{}",
                _at(r["abatementDateTime"]) if "abatementDateTime" in r else None, _note(r)))
        elif kind == "Observation" and "coding" in r["code"]:
            rows["pain_entries"].append((
                _id(r), me, _episode(r, "focus"), _at(r["effectiveDateTime"]),
                r["valueInteger"], _ext(r, "impact"), _ext(r, "severity"),
                _ext(r, "stiffness"), _ext(r, "mobility"), _note(r)))
        elif kind == "Observation":
            rows["habit_logs"].append((_id(r), me, _at(r["effectiveDateTime"]),
                                       habits[r["code"]["text"]], r["valueQuantity"]["value"]))
        elif kind == "Procedure":
            period = r["performedPeriod"]
            start, end = (datetime.fromisoformat(period[k]) for k in ("start", "end"))
            rows["treatment_sessions"].append((
                _id(r), me, _episode(r, "reasonReference"), _at(period["start"]),
                treatments[r["code"]["text"]], (end - start) / timedelta(minutes=1),
                _ext(r, "pain-before"), _ext(r, "pain-after"), r["status"] == "completed",
                _note(r)))
        elif kind == "MedicationStatement":
            name = r["medicationCodeableConcept"]["text"]
            rows["medicines"].append((
                _id(r), me, _episode(r, "reasonReference"), _at(r["effectiveDateTime"]), name,
                _note(r), name.casefold()))
    columns = {
        "episodes": "id, person_id, onset, region, side, triggers, trigger_note, "
                    "triage_answers, ended_at, note",
        "pain_entries": "id, person_id, episode_id, at, pain, impact, severity, stiffness, "
                        "mobility, note",
        "treatment_sessions": "id, person_id, episode_id, started_at, kind, minutes, "
                              "pain_before, pain_after, completed, note",
        "medicines": "id, person_id, episode_id, at, name, note, name_key",
        "habit_logs": "id, person_id, at, kind, amount"}
    with conn:
        for table, values in rows.items():
            marks = ", ".join("?" * len(columns[table].split(", ")))
            conn.executemany(f"INSERT INTO {table} ({columns[table]}) VALUES ({marks})", values)
    conn.close()


if __name__ == "__main__":
    command, source, target = sys.argv[1:4]
    export(source, target) if command == "export" else import_(source, target)
