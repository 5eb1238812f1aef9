"""A long FHIR Bundle is imported whole or not at all: one bad entry in the
middle of it stops the import with the same one-line message the import gave
before it read entries one at a time, and the database is left as it was.
Run as real processes on real SQLite files."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spasmcare.store.database import open_engine
from spasmcare.store.diary import DiaryStore
from tests.conftest import ROOT
from tests.diaries import sample_diary
from tests.exports.fhir_diaries import long_diary
from tests.exports.fhir_golden import fixed_ids

DAYS = 200  # 2,215 records
TABLES = ("episodes", "pain_entries", "treatment_sessions", "medicines", "habit_logs")


def middle(kind: str, test: Callable[[dict[str, Any]], bool] = lambda r: True) -> Callable[
        [dict[str, Any]], dict[str, Any]]:
    """The middle one of the Bundle's resources of ``kind`` that pass ``test``
    (hundreds of entries in, with hundreds after it)."""
    def find(bundle: dict[str, Any]) -> dict[str, Any]:
        found = [e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == kind and test(e["resource"])]
        return found[len(found) // 2]
    return find


pain = middle("Observation", lambda r: "coding" in r["code"])
habit = middle("Observation", lambda r: "valueQuantity" in r)
session = middle("Procedure")
medicine = middle("MedicationStatement")

# What is broken, and the message (entry counted from 1) the import gave for
# it before it streamed, computed then with that code on this very Bundle.
BROKEN: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "pain as text": (
        lambda b: pain(b).update(valueInteger="eight"),
        "the FHIR Bundle is not valid R4: entry 225: valueInteger must be a whole number "
        "(got 'eight')"),
    "pain 12": (
        lambda b: pain(b).update(valueInteger=12),
        "entry 225 (Observation) of the FHIR Bundle: pain must be 10 or less (got 12)"),
    "two values": (
        lambda b: pain(b).update(valueQuantity={"value": 1}),
        'the FHIR Bundle is not valid R4: entry 225: Any of one field value is expected '
        "from this list ['valueBoolean', 'valueCodeableConcept', 'valueDateTime', "
        "'valueInteger', 'valuePeriod', 'valueQuantity', 'valueRange', 'valueRatio', "
        "'valueSampledData', 'valueString', 'valueTime'], but got multiple!"),
    "a session with a dose": (
        lambda b: session(b).update(dosage=[{"text": "2"}]),
        'the FHIR Bundle is not valid R4: entry 725: dosage is not a field that '
        'belongs here'),
    "a session without a subject": (
        lambda b: session(b).pop("subject"),
        'the FHIR Bundle is not valid R4: entry 725: subject is required'),
    "a medicine at no time": (
        lambda b: medicine(b).update(effectiveDateTime="2026-13-01"),
        'the FHIR Bundle is not valid R4: entry 1125: effectiveDateTime: DateTime value '
        "string does not match spec regex. (got '2026-13-01')"),
    "a habit in litres": (
        lambda b: habit(b)["valueQuantity"].update(unit="litres"),
        'entry 1725 (Observation) of the FHIR Bundle, a water habit, needs a '
        'valueQuantity in glasses'),
    "an encounter": (
        lambda b: b["entry"].insert(len(b["entry"]) // 2, {"resource": {
            "resourceType": "Encounter", "status": "finished", "class": {"code": "AMB"}}}),
        'entry 1113 of the FHIR Bundle is a resource of type Encounter, which a SpasmCare'
        ' diary cannot hold; it imports Patient, Condition, QuestionnaireResponse, '
        'Observation, Procedure, MedicationStatement'),
}


def broken_bundle(path: Path, name: str) -> Path:
    bundle = json.loads(path.read_bytes())
    BROKEN[name][0](bundle)
    out = path.with_name(f"broken-{name.replace(' ', '-')}.fhir.json")
    out.write_text(json.dumps(bundle, indent=1))
    return out


def spasmcare(url: str, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SPASMCARE_DATABASE_URL": url, "HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "spasmcare", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def rows(path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as conn:
        return [(t, conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in TABLES]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A long diary exported by ``spasmcare export fhir`` from its database."""
    folder = tmp_path_factory.mktemp("long")
    url = f"sqlite:///{folder / 'long.sqlite3'}"
    engine = open_engine(url)
    DiaryStore.for_local_user(engine).import_diary(fixed_ids(long_diary(DAYS), "long"))
    engine.dispose()
    out = folder / "long.fhir.json"
    done = spasmcare(url, folder, "export", "fhir", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", BROKEN)
def test_a_bad_entry_in_the_middle_stops_the_import_and_stores_nothing(
        exported: Path, tmp_path: Path, name: str) -> None:
    target = tmp_path / "kept.sqlite3"
    engine = open_engine(f"sqlite:///{target}")
    DiaryStore.for_local_user(engine).import_diary(sample_diary())
    engine.dispose()
    before = rows(target)
    done = spasmcare(f"sqlite:///{target}", tmp_path, "import",
                     str(broken_bundle(exported, name)))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"spasmcare: error: {BROKEN[name][1]}"]
    assert rows(target) == before


@pytest.mark.slow
def test_the_long_bundle_itself_imports_whole(exported: Path, tmp_path: Path) -> None:
    target = tmp_path / "empty.sqlite3"
    done = spasmcare(f"sqlite:///{target}", tmp_path, "import", str(exported))
    assert done.returncode == 0, done.stderr
    assert dict(rows(target)) == {"episodes": 15, "pain_entries": 400,
                                  "treatment_sessions": 600, "medicines": 200,
                                  "habit_logs": 1000}
