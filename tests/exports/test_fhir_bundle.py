"""The FHIR R4 Bundle export: its structure, validation by the R4B models, the
round trip back to the same diary, and the messages for damaged or foreign files."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.core.diary import Diary, Episode
from spasmcare.core.errors import BadInput
from spasmcare.core.loader import load_knowledge
from spasmcare.exports import diary_json
from spasmcare.exports.fhir_bundle import dumps
from spasmcare.exports.fhir_bundle_reader import is_bundle, loads
from spasmcare.exports.fhir_terms import EXTENSION_BASE
from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore
from tests.diaries import NOW, canonical, sample_diary
from tests.exports.fhir_diaries import diaries, long_diary, rich_diary

LOINC_PAIN = {"system": "http://loinc.org", "code": "72514-3"}
SURVEY = "http://terminology.hl7.org/CodeSystem/observation-category"
SNOMED = "http://snomed.info/sct"


def bundle_of(diary: Diary) -> dict[str, Any]:
    return json.loads(dumps(diary, NOW))


def resources(document: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in document["entry"] if e["resource"]["resourceType"] == kind]


def extension(resource: dict[str, Any], name: str) -> list[object]:
    return [next(v for k, v in e.items() if k.startswith("value"))
            for e in resource.get("extension", []) if e["url"] == EXTENSION_BASE + name]


def uuid_of(record_id: str) -> str:
    return f"urn:uuid:{record_id[:8]}-{record_id[8:12]}-{record_id[12:16]}-" \
           f"{record_id[16:20]}-{record_id[20:]}"


def references(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


# --- structure --------------------------------------------------------------------


def test_the_sample_diary_becomes_one_resource_per_record() -> None:
    document = bundle_of(sample_diary())
    assert document["resourceType"] == "Bundle"
    assert document["type"] == "collection"
    assert document["timestamp"] == "2026-11-21T18:00:00Z"
    assert Counter(e["resource"]["resourceType"] for e in document["entry"]) == {
        "Patient": 1, "Condition": 2, "QuestionnaireResponse": 1, "Observation": 4,
        "Procedure": 2, "MedicationStatement": 1}


def test_pain_entries_are_loinc_survey_observations_with_the_episode_body_site() -> None:
    diary = sample_diary()
    document = bundle_of(diary)
    pain = [o for o in resources(document, "Observation") if "coding" in o["code"]]
    assert len(pain) == 2
    for observation, entry in zip(pain, diary.pain_entries, strict=True):
        assert [{k: c[k] for k in ("system", "code")} for c in observation["code"]["coding"]] \
            == [LOINC_PAIN]
        assert observation["category"][0]["coding"][0]["system"] == SURVEY
        assert observation["category"][0]["coding"][0]["code"] == "survey"
        assert isinstance(observation["valueInteger"], int)
        assert observation["valueInteger"] == entry.pain
        assert datetime.fromisoformat(observation["effectiveDateTime"]) == entry.at
        assert observation["focus"] == [{"reference": uuid_of(entry.episode_id or "")}]
    lower, middle = (o["bodySite"] for o in pain)
    assert lower == {"coding": [{"system": SNOMED, "code": "1141985005"}], "text": "lower back"}
    assert middle == {"coding": [{"system": SNOMED, "code": "77568009"}], "text": "middle back"}
    assert extension(pain[0], "stiffness") == [7]
    assert extension(pain[0], "mobility") == ["very-limited"]


def test_episodes_are_muscle_spasm_conditions() -> None:
    diary = sample_diary()
    ended, current = resources(bundle_of(diary), "Condition")
    for condition in (ended, current):
        assert condition["code"]["coding"][0]["system"] == SNOMED
        assert condition["code"]["coding"][0]["code"] == "45326000"
    assert ended["abatementDateTime"] == "2026-10-26T18:00:00Z"
    assert ended["clinicalStatus"]["coding"][0]["code"] == "resolved"
    assert "abatementDateTime" not in current
    assert current["clinicalStatus"]["coding"][0]["code"] == "active"
    assert ended["bodySite"][0]["coding"][0]["code"] == "1141985005"
    assert current["bodySite"][0]["coding"][0]["code"] == "77568009"
    assert ended["note"] == [{"text": "first one"}]
    assert extension(ended, "trigger") == ["lifting", "stress"]
    assert extension(ended, "side") == ["left"]


def test_triage_answers_are_a_questionnaire_response_cited_by_the_condition() -> None:
    document = bundle_of(sample_diary())
    (response,) = resources(document, "QuestionnaireResponse")
    assert response["status"] == "completed"
    fever = load_knowledge().triage.finding("fever").question
    assert response["item"] == [{"linkId": "fever", "text": fever,
                                 "answer": [{"valueBoolean": False}]}]
    assert extension(response, "triage-urgency") == ["self-care"]
    url = next(e["fullUrl"] for e in document["entry"] if e["resource"] is not None
               and e["resource"]["resourceType"] == "QuestionnaireResponse")
    first = resources(document, "Condition")[0]
    assert first["evidence"] == [{"detail": [{"reference": url}]}]


def test_sessions_are_procedures_with_their_period_and_status() -> None:
    ice, walk = resources(bundle_of(sample_diary()), "Procedure")
    assert ice["status"] == "completed"
    assert walk["status"] == "stopped"
    assert ice["code"] == {"text": "Cold pack (ice) on the back"}  # text alone: no sure code
    assert walk["performedPeriod"] == {"start": "2026-11-21T01:00:00Z",
                                       "end": "2026-11-21T01:05:30Z"}
    assert (extension(ice, "pain-before"), extension(ice, "pain-after")) == ([8], [6])
    assert "minutes" not in json.dumps(ice)  # the period holds 20 minutes exactly


def test_medicines_keep_the_name_as_typed_and_never_a_dose() -> None:
    (statement,) = resources(bundle_of(sample_diary()), "MedicationStatement")
    assert statement["medicationCodeableConcept"] == {"text": "Ibuprofen"}
    assert "dosage" not in statement
    assert statement["effectiveDateTime"] == "2026-10-22T19:00:00Z"
    assert statement["reasonReference"][0]["reference"].startswith("urn:uuid:")


def test_habits_are_observations_with_their_amount_and_unit() -> None:
    habits = [o for o in resources(bundle_of(sample_diary()), "Observation")
              if "coding" not in o["code"]]
    assert {h["code"]["text"]: h["valueQuantity"] for h in habits} == {
        "Water drunk (prevention habit)": {"value": 7.0, "unit": "glasses"},
        "Plank hold (prevention habit)": {"value": 25.0, "unit": "seconds",
                                          "system": "http://unitsofmeasure.org", "code": "s"}}


def test_every_reference_resolves_inside_the_bundle() -> None:
    document = bundle_of(sample_diary())
    urls = [e["fullUrl"] for e in document["entry"]]
    assert len(set(urls)) == len(urls)
    found = list(references(document))
    assert len(found) > 20
    assert set(found) <= set(urls)


def test_records_keep_their_ids_as_urn_uuid_identifiers() -> None:
    diary = sample_diary()
    document = bundle_of(diary)
    ids = {r.id for name in Diary.model_fields for r in getattr(diary, name)}
    identified = {}
    for entry in document["entry"]:
        for identifier in entry["resource"].get("identifier", []):
            assert identifier["system"] == "urn:ietf:rfc:3986"
            assert entry["fullUrl"] == identifier["value"]
            identified[identifier["value"]] = entry["resource"]["resourceType"]
    assert set(identified) == {uuid_of(i) for i in ids}


def test_the_patient_holds_no_identifying_data() -> None:
    (patient,) = resources(bundle_of(sample_diary()), "Patient")
    assert set(patient) == {"resourceType", "text"}
    assert "no identifying details" in patient["text"]["div"]


def test_our_own_fields_are_extensions_under_one_base() -> None:
    document = bundle_of(rich_diary())
    urls = {e["url"] for entry in document["entry"] for e in entry["resource"].get("extension", [])}
    assert urls and all(u.startswith(EXTENSION_BASE) for u in urls)
    assert {u.removeprefix(EXTENSION_BASE) for u in urls} >= {
        "side", "trigger", "trigger-note", "triage-urgency", "impact", "severity", "stiffness",
        "mobility", "pain-before", "pain-after", "minutes", "empty-text"}


def test_the_same_diary_and_time_give_the_same_bytes() -> None:
    diary = rich_diary()
    assert dumps(diary, NOW) == dumps(diary, NOW)


# --- validation and round trips ---------------------------------------------------


@pytest.mark.parametrize("diary", [sample_diary(), rich_diary(), Diary()],
                         ids=["sample", "rich", "empty"])
def test_the_bundle_and_every_resource_validate_against_r4b(diary: Diary) -> None:
    data = dumps(diary, NOW)
    bundle = Bundle.model_validate_json(data)
    assert bundle.type == "collection"
    for entry in json.loads(data)["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    for entry in bundle.entry:
        assert entry.resource is not None
        assert entry.resource.get_resource_type() == entry.resource.__class__.__name__


@pytest.mark.parametrize("diary", [sample_diary(), rich_diary()], ids=["sample", "rich"])
def test_loads_gives_back_the_same_diary(diary: Diary) -> None:
    assert loads(dumps(diary, NOW)) == canonical(diary)


def test_a_logical_reference_keeps_an_episode_left_out_of_the_export() -> None:
    document = bundle_of(rich_diary())
    outside = [o for o in resources(document, "Observation")
               if o.get("focus") and "identifier" in o["focus"][0]]
    assert [o["focus"][0]["identifier"]["value"] for o in outside] == [
        "urn:uuid:01234567-89ab-cdef-0123-456789abcdef"]


def test_importing_the_bundle_into_a_store_restores_the_diary(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'diary.sqlite3'}")
    try:
        store = DiaryStore.for_local_user(engine)
        diary = sample_diary()
        assert store.import_diary(loads(dumps(diary, NOW))).added == diary.count()
        assert store.diary() == canonical(diary)
        assert store.import_diary(loads(dumps(store.diary(), NOW))).added == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("fold", [0, 1])
def test_a_wall_time_the_clocks_pass_twice_keeps_its_instant(fold: int) -> None:
    onset = datetime(2026, 10, 25, 1, 30, fold=fold, tzinfo=ZoneInfo("Europe/London"))
    (episode,) = loads(dumps(Diary(episodes=[Episode(onset=onset)]), NOW)).episodes
    assert episode.onset.astimezone(UTC) == onset.astimezone(UTC)
    assert episode.onset.utcoffset() == timedelta(hours=1 - fold)


def test_an_empty_diary_is_a_valid_bundle_holding_only_the_patient() -> None:
    document = bundle_of(Diary())
    assert [e["resource"]["resourceType"] for e in document["entry"]] == ["Patient"]
    assert "no records" in document["entry"][0]["resource"]["text"]["div"]
    assert loads(dumps(Diary(), NOW)) == Diary()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diaries())
def test_any_diary_survives_the_round_trip(diary: Diary) -> None:
    assert loads(dumps(diary, NOW)) == canonical(diary)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diaries())
def test_any_diary_is_written_as_valid_r4b_exactly_as_the_models_write_it(diary: Diary) -> None:
    """The export writes plain JSON values, not models: each resource must still
    validate against its R4B model, and the models must write the Bundle back
    to the very same bytes (the export once was ``model_dump_json``)."""
    data = dumps(diary, NOW)
    assert Bundle.model_validate_json(data).model_dump_json(indent=1).encode() == data
    for entry in json.loads(data)["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_the_export_comes_in_pieces_that_make_the_whole() -> None:
    from spasmcare.exports.fhir_bundle import CHUNK_BYTES, write

    diary = long_diary(120)
    pieces = list(write(diary, NOW))
    assert len(pieces) > 3
    assert all(len(p) >= CHUNK_BYTES for p in pieces[:-1])
    assert b"".join(pieces) == dumps(diary, NOW)
    assert loads(b"".join(pieces)) == canonical(diary)


# --- damaged and foreign input ----------------------------------------------------


def sample_document() -> dict[str, Any]:
    return bundle_of(sample_diary())


def first(document: dict[str, Any], kind: str) -> dict[str, Any]:
    return resources(document, kind)[0]


def _pain(document: dict[str, Any]) -> dict[str, Any]:
    return next(o for o in resources(document, "Observation") if "coding" in o["code"])


def _water(document: dict[str, Any]) -> dict[str, Any]:
    return next(o for o in resources(document, "Observation")
                if o["code"].get("text") == "Water drunk (prevention habit)")


def _broken(change: Any) -> bytes:
    document = sample_document()
    change(document)
    return json.dumps(document).encode()


BAD = {
    "not JSON": (b"<Bundle/>", "not valid JSON"),
    "not UTF-8": (b"\xff\xfe{", "not valid JSON"),
    "a JSON list": (b"[]", 'no "resourceType": "Bundle"'),
    "our JSON export": (diary_json.dumps(sample_diary(), NOW), 'no "resourceType": "Bundle"'),
    "a Patient alone": (b'{"resourceType": "Patient"}', 'no "resourceType": "Bundle"'),
    "a transaction": (_broken(lambda d: d.update(type="transaction")), "type 'transaction'"),
    "no status": (_broken(lambda d: _pain(d).pop("status")),
                  "not valid R4: entry 5: status: Value for the field"),
    "pain as text": (_broken(lambda d: _pain(d).update(valueInteger="eight")),
                     "not valid R4: entry 5: valueInteger must be a whole number (got 'eight')"),
    "pain 12": (_broken(lambda d: _pain(d).update(valueInteger=12)),
                "entry 5 (Observation) of the FHIR Bundle: pain must be 10 or less (got 12)"),
    "a date without a time": (_broken(lambda d: _pain(d).update(effectiveDateTime="2026-10-22")),
                              "entry 5 (Observation) of the FHIR Bundle: at:"),
    "an unknown resource": (_broken(lambda d: d["entry"].append(
        {"resource": {"resourceType": "Encounter", "status": "finished",
                      "class": {"code": "AMB"}}})),
        "entry 12 of the FHIR Bundle is a resource of type Encounter"),
    "a made-up resource": (_broken(lambda d: d["entry"].append(
        {"resource": {"resourceType": "Frobnicator"}})), "of type Frobnicator"),
    "another code": (_broken(lambda d: _pain(d)["code"]["coding"][0].update(code="8867-4")),
                     "neither a pain score"),
    "no identifier": (_broken(lambda d: _pain(d).pop("identifier")), "has no urn:ietf:rfc:3986"),
    "a bad uuid": (_broken(lambda d: _pain(d)["identifier"][0].update(value="urn:uuid:xyz")),
                   "expected urn:uuid: and a UUID"),
    "a dangling episode": (_broken(lambda d: _pain(d).update(focus=[{"reference": "urn:uuid:1"}])),
                           "must refer to one Condition"),
    "an unknown body site": (_broken(lambda d: first(d, "Condition")["bodySite"][0].update(
        text="neck")), "body site SpasmCare does not know"),
    "an unknown treatment": (_broken(lambda d: first(d, "Procedure").update(
        code={"text": "cupping"})), "not a SpasmCare treatment session"),
    "water in litres": (_broken(lambda d: _water(d)["valueQuantity"].update(unit="litres")),
                        "a water habit, needs a valueQuantity in glasses"),
    "an orphan questionnaire": (_broken(lambda d: first(d, "Condition").pop("evidence")),
                                "is not the evidence of any Condition"),
    "an unknown trigger": (_broken(lambda d: first(d, "Condition")["extension"][1].update(
        valueCode="gardening")),
        "entry 2 (Condition) of the FHIR Bundle: triggers.0 must be one of 'lifting', "
        "'sudden-movement', 'prolonged-sitting', 'sport', 'stress', 'poor-sleep', "
        "'dehydration' or 'other' (got 'gardening')"),
}


@pytest.mark.parametrize(("data", "message"), BAD.values(), ids=BAD.keys())
def test_bad_input_is_refused_in_one_line_naming_the_problem(data: bytes, message: str) -> None:
    with pytest.raises(BadInput) as caught:
        loads(data)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def _paths(node: object, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if prefix:
        yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, value in items:
        yield from _paths(value, (*prefix, key))


SAMPLE_PATHS = list(_paths(sample_document()))
ODD_VALUES = st.sampled_from([
    None, 0, 12, 1.5, True, "", "x", "2026-01-01", "urn:uuid:1", [], {}, [{}],
    {"resourceType": "Frob"}, [{"resourceType": "Frob"}], {"reference": "urn:uuid:x"},
    [{"url": EXTENSION_BASE + "minutes", "valueDecimal": -5}],
    [{"url": EXTENSION_BASE + "empty-text", "valueCode": "note"}]])


def damaged_document(changes: list[tuple[tuple[Any, ...], object]]) -> dict[str, Any]:
    """``sample_document`` with each (path, value) of ``changes`` put in place."""
    document = sample_document()
    for path, value in changes:
        node: Any = document
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = copy.deepcopy(value)  # the sampled values are shared
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this place
    return document


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SAMPLE_PATHS), ODD_VALUES), min_size=1, max_size=3))
def test_a_damaged_bundle_never_gets_past_without_a_clear_message(
        changes: list[tuple[tuple[Any, ...], object]]) -> None:
    document = damaged_document(changes)
    try:
        assert isinstance(loads(json.dumps(document).encode()), Diary)
    except BadInput as err:
        assert "\n" not in str(err)


@pytest.mark.parametrize(("document", "expected"), [
    ({"resourceType": "Bundle"}, True), ({"resourceType": "Patient"}, False),
    ({"format": "spasmcare-diary"}, False), (["Bundle"], False), ("Bundle", False), (None, False),
])
def test_is_bundle_tells_a_bundle_from_anything_else(document: object, expected: bool) -> None:
    assert is_bundle(document) is expected


def test_importing_the_modules_leaves_fhir_resources_for_later() -> None:
    code = ("import sys, spasmcare.exports.fhir_bundle, spasmcare.exports.fhir_bundle_reader; "
            "print('fhir' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
