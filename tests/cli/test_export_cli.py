"""``spasmcare export`` in every format, and ``spasmcare import`` of a FHIR
Bundle, as real processes on a real SQLite file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.test_diary_cli import count, start

FORMATS = ("pdf", "fhir", "ics", "csv", "json")


def record_an_episode(cli, tmp_path: Path) -> None:
    start(cli, tmp_path, "--trigger", "lifting", "--onset", "2d", "--where", "lower")
    cli("log", "7", "--at", "1d")
    cli("log", "4", "--stiffness", "3")
    cli("treat", "heat", "--minutes", "15", "--before", "6", "--after", "3")
    cli("medicine", "Naproxen", "--note", "with breakfast")
    cli("habit", "water", "6")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_of_an_empty_diary_is_a_valid_private_file(cli, db: Path, tmp_path: Path,
                                                                fmt: str) -> None:
    out = tmp_path / f"empty.{fmt}"
    r = cli("export", fmt, "--out", str(out))
    assert r.code == 0, r.err
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)
    data = out.read_bytes()
    if fmt == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert "no" in text.lower() and "patient-reported" in text.lower()
    elif fmt == "fhir":
        bundle = json.loads(data)
        assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    elif fmt == "ics":
        assert data.startswith(b"BEGIN:VCALENDAR") and b"BEGIN:VEVENT" not in data
    elif fmt == "csv":
        assert "README.txt" in zipfile.ZipFile(out).namelist()
    else:
        assert json.loads(data)["counts"]["episodes"] == 0


@pytest.mark.slow
def test_every_format_of_a_diary(cli, db: Path, tmp_path: Path) -> None:
    record_an_episode(cli, tmp_path)
    for fmt in FORMATS:
        r = cli("export", fmt, "--out", str(tmp_path / f"diary.{fmt}"))
        assert r.code == 0, (fmt, r.err)
    pdf = PdfReader(tmp_path / "diary.pdf")
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Naproxen" in text and "heat" in text.lower()
    bundle = json.loads((tmp_path / "diary.fhir").read_text())
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Condition", "Observation", "Procedure", "MedicationStatement"} <= kinds
    calendar = (tmp_path / "diary.ics").read_text()
    assert calendar.count("BEGIN:VEVENT") == calendar.count("BEGIN:VALARM") > 0
    assert calendar.count("BEGIN:VEVENT") <= 4 * 7  # grouped: four reminders a day at most
    r = cli("export", "ics", "--out", str(tmp_path / "each.ics"), "--reminders", "0")
    assert r.code == 0, r.err
    each = (tmp_path / "each.ics").read_text()
    assert each.count("BEGIN:VEVENT") > calendar.count("BEGIN:VEVENT")


@pytest.mark.slow
def test_a_fhir_bundle_imports_into_an_empty_database_as_the_same_diary(
        cli, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record_an_episode(cli, tmp_path)
    bundle = tmp_path / "diary.fhir.json"
    assert cli("export", "fhir", "--out", str(bundle)).code == 0
    original = cli("history", "--days", "100000", "--json").out

    monkeypatch.setenv("SPASMCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'clinic.sqlite3'}")
    r = cli("import", str(bundle))
    assert r.code == 0 and "Imported 6 records" in r.out, r.err
    assert cli("history", "--days", "100000", "--json").out == original
    assert "Imported 0 records; 6 were already there" in cli("import", str(bundle)).out


def test_a_range_keeps_only_its_records(cli, db: Path, tmp_path: Path) -> None:
    cli("log", "3", "--at", "2026-01-10T09:00")
    cli("log", "5", "--at", "2026-02-10T09:00")
    cli("log", "6", "--at", "2026-03-10T09:00")
    out = tmp_path / "feb.json"
    r = cli("export", "json", "--out", str(out), "--from", "2026-02-01", "--to", "2026-02-28")
    assert r.code == 0 and "Exported 1 record as" in r.out
    pains = json.loads(out.read_text())["diary"]["pain_entries"]
    assert [p["pain"] for p in pains] == [5]
    r = cli("export", "csv", "--out", str(tmp_path / "none.zip"), "--from", "2025-01-01",
            "--to", "2025-01-31")
    assert r.code == 0 and "no records" in r.out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["export", "docx", "--out", "x"], "unknown export format 'docx'; available: pdf"),
     (["export", "pdf", "--out", "/nonexistent/dir/r.pdf"], "does not exist"),
     (["export", "pdf", "--out", "r.pdf", "--from", "2026-03-01", "--to", "2026-02-01"],
      "inverted"),
     (["export", "fhir", "--out", "b.json", "--from", "2026-02-30"], "--from must be"),
     (["export", "pdf", "--out", "r.pdf", "--paper", "A3"], "unknown paper size"),
     (["export", "ics", "--out", "p.ics", "--days", "0"], "--days must be between 1 and"),
     (["export", "ics", "--out", "p.ics", "--from", "2026-01-01"], "does not apply to ics"),
     (["export", "ics", "--out", "p.ics", "--reminders", "9"], "--reminders must be from 0")],
)
def test_bad_arguments_exit_2_and_write_nothing(cli, db: Path, tmp_path: Path,
                                                args: list[str], fragment: str) -> None:
    r = cli(*args)
    assert r.code == 2 and fragment in r.err and "Traceback" not in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".pdf", ".json", ".ics")]


def test_an_import_of_a_foreign_fhir_bundle_changes_nothing(cli, db: Path,
                                                            tmp_path: Path) -> None:
    cli("log", "3")
    bad = tmp_path / "bundle.json"
    bad.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Observation", "status": "final",
                      "code": {"text": "pain"}, "valueInteger": 12}}]}))
    r = cli("import", str(bad))
    assert r.code == 2 and "Traceback" not in r.err
    assert count(cli) == 1
