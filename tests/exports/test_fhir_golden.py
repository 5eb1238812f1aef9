"""The FHIR export holds to the golden Bundles (``fhir_golden``), written by
the export as it was before it streamed: the same bytes for the same diary,
and they read back as that diary."""

from __future__ import annotations

import pytest

from spasmcare.exports.fhir_bundle import dumps
from spasmcare.exports.fhir_bundle_reader import loads
from tests.diaries import NOW, canonical
from tests.exports.fhir_golden import FOLDER, GOLDEN


@pytest.mark.parametrize("name", GOLDEN)
def test_the_export_writes_the_golden_bytes(name: str) -> None:
    assert dumps(GOLDEN[name](), NOW) == (FOLDER / name).read_bytes()


@pytest.mark.parametrize("name", GOLDEN)
def test_the_golden_bundle_reads_back_as_its_diary(name: str) -> None:
    assert loads((FOLDER / name).read_bytes()) == canonical(GOLDEN[name]())
