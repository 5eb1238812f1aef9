"""Imports hold what entry holds, and a file built to exhaust memory or the
parser is refused with one line before it is validated."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from spasmcare.core.diary import Diary
from spasmcare.core.errors import BadInput
from spasmcare.exports import csv_zip, diary_json, fhir_bundle
from spasmcare.exports.files import read_bytes
from spasmcare.exports.formats import MAX_IMPORT_BYTES, read_diary
from tests.diaries import NOW, sample_diary

EXPORTED = datetime(2026, 11, 21, 12, tzinfo=UTC)


def _json_export() -> dict[str, Any]:
    return json.loads(diary_json.dumps(sample_diary(), EXPORTED))


def _fhir_export() -> dict[str, Any]:
    return json.loads(fhir_bundle.dumps(sample_diary(), EXPORTED))


def test_the_apps_own_exports_pass() -> None:
    for document in (_json_export(), _fhir_export()):
        assert read_diary(json.dumps(document).encode(), NOW).count() == sample_diary().count()


def test_an_import_nested_200000_levels_deep_is_refused() -> None:
    data = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(BadInput, match="nested more than 32 levels"):
        read_diary(data, NOW)


def test_nesting_the_parser_survives_is_still_refused_before_validation() -> None:
    document = _json_export()
    deep: Any = "x"
    for _ in range(200):
        deep = {"a": deep}
    document["diary"]["episodes"][0]["note"] = deep
    with pytest.raises(BadInput, match="nested"):
        read_diary(json.dumps(document).encode(), NOW)


def test_a_huge_array_inside_a_record_is_refused_before_validation() -> None:
    document = _json_export()
    document["diary"]["episodes"][0]["triggers"] = ["lifting"] * 200_000
    with pytest.raises(BadInput, match="array of 200,000 items"):
        read_diary(json.dumps(document).encode(), NOW)


def test_a_file_over_the_limit_is_refused_without_being_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as fh:  # sparse: no disk is used
        fh.truncate(MAX_IMPORT_BYTES + 1)
    with pytest.raises(BadInput, match="at most 128 MiB"):
        read_bytes(big, "the import file", limit=MAX_IMPORT_BYTES)
    with pytest.raises(BadInput, match="at most 128 MiB"):
        read_diary(b" " * (MAX_IMPORT_BYTES + 1), NOW)


@pytest.mark.parametrize("at", ["2999-06-01T00:00:00+00:00", "1000-01-01T00:00:00+00:00",
                                "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00",
                                "2026-12-01T00:00:00+00:00"])
def test_import_refuses_times_that_entry_refuses(at: str) -> None:
    """NOW is 2026-11-21: a time after it is in the future, as when typed."""
    document = _json_export()
    document["diary"]["pain_entries"][0]["at"] = at
    with pytest.raises(BadInput, match=r"pain entry 1 of the import .*(future|1900|2999)"):
        read_diary(json.dumps(document).encode(), NOW)


def test_a_fhir_time_in_the_future_is_refused_too() -> None:
    bundle = _fhir_export()
    observation = next(e["resource"] for e in bundle["entry"]
                       if e["resource"]["resourceType"] == "Observation")
    observation["effectiveDateTime"] = "2999-01-01T00:00:00+00:00"
    with pytest.raises(BadInput, match=r"of the import .*in the future"):
        read_diary(json.dumps(bundle).encode(), NOW)


NHS_NUMBER = {"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}


def test_a_second_patient_is_refused() -> None:
    bundle = _fhir_export()
    patient = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    second = copy.deepcopy(patient)
    second["fullUrl"] = "urn:uuid:8a9b7c6d-0000-4000-8000-000000000001"
    second["resource"]["identifier"] = [NHS_NUMBER]
    bundle["entry"].append(second)
    with pytest.raises(BadInput, match="second Patient"):
        read_diary(json.dumps(bundle).encode(), NOW)


@pytest.mark.parametrize(("field", "value", "said"), [
    ("identifier", [NHS_NUMBER], "NHS number"),
    ("name", [{"family": "Jones", "given": ["Ann"]}], "a name"),
    ("birthDate", "1970-01-01", "date of birth"),
    ("telecom", [{"system": "phone", "value": "01234 567890"}], "phone number"),
])
def test_a_patient_carrying_identifying_data_is_refused_not_silently_dropped(
        field: str, value: object, said: str) -> None:
    bundle = _fhir_export()
    patient = next(e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "Patient")
    patient[field] = value
    with pytest.raises(BadInput, match=f"{said}.*does not keep.*Nothing was imported"):
        read_diary(json.dumps(bundle).encode(), NOW)


@pytest.mark.parametrize("note", ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3",
                                  "@SUM(A1)", "\t=1", "\r=1"])
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(note: str) -> None:
    diary = sample_diary()
    entry = diary.pain_entries[0].model_copy(update={"note": note})
    zipped = csv_zip.dumps(Diary(pain_entries=[entry]))
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        text = archive.read("pain_entries.csv").decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)))
    assert row["note"] == "'" + note
    assert row["pain_0_to_10"] == str(entry.pain)  # numbers are left as numbers


def test_a_planted_symlink_receives_nothing_from_a_backup(tmp_path: Path) -> None:
    from spasmcare.store.backup import backup
    from spasmcare.store.database import open_engine
    from spasmcare.store.diary import DiaryStore

    engine = open_engine(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    DiaryStore.for_local_user(engine).import_diary(sample_diary())
    shared = tmp_path / "shared"
    shared.mkdir()
    stolen = tmp_path / "attacker-reads-this"
    for name in (".diary.bak.partial", ".diary.bak.tmp", "diary.bak.partial"):
        (shared / name).symlink_to(stolen)
    backup(engine, shared / "diary.bak")
    assert not stolen.exists()
    assert (shared / "diary.bak").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in shared.iterdir() if not p.is_symlink()) == ["diary.bak"]
    engine.dispose()


def test_the_diary_file_is_not_opened_through_a_planted_symlink(tmp_path: Path) -> None:
    from spasmcare.store.database import open_engine

    target = tmp_path / "elsewhere.sqlite3"
    link = tmp_path / "diary.sqlite3"
    link.symlink_to(target)
    with pytest.raises(BadInput, match="symbolic link"):
        open_engine(f"sqlite:///{link}")
    assert not target.exists() or os.path.getsize(target) == 0


@pytest.mark.parametrize("kind", ["json", "fhir"])
def test_a_million_junk_records_are_refused_within_a_bounded_memory(kind: str,
                                                                     tmp_path: Path) -> None:
    """The audit's case: one huge array of records. Run as a real import in a
    process whose address space is capped at 1.5 GiB (it needed 4.5 GiB and
    more before), which must refuse it with one line."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    if kind == "json":
        document: dict[str, Any] = {"format": "spasmcare-diary", "version": 1,
                                    "diary": {"pain_entries": [{"a": 0}] * 1_000_000}}
    else:
        document = {"resourceType": "Bundle", "type": "collection",
                    "entry": [{"resource": {"resourceType": "Observation", "a": 0}}] * 300_000}
    path = tmp_path / "junk.json"
    path.write_text(json.dumps(document))
    limit = "import resource; resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20,) * 2)"
    code = f"{limit}; from spasmcare.cli.app import main; main(['import', {str(path)!r}])"
    env = {**os.environ, "SPASMCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}",
           "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2, run.stderr[-2000:]
    assert len(run.stderr.strip().splitlines()) == 1
    assert "damaged" in run.stderr or "not valid R4" in run.stderr
