"""A Bundle that names a member twice is refused whole: read an entry at a
time, the first value would already have been used (a second ``entry``
array imported too, a ``type`` of batch after the entries unnoticed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spasmcare.core.errors import BadInput
from spasmcare.exports.fhir_bundle_reader import loads

GOLDEN = (Path(__file__).parent / "golden" / "full.fhir.json").read_text()


def test_the_golden_bundle_reads() -> None:
    assert loads(GOLDEN.encode()).count() > 0


@pytest.mark.parametrize("extra", ['"type": "batch"', '"resourceType": "Parameters"',
                                   '"entry": []'])
def test_a_member_named_twice_is_refused(extra: str) -> None:
    end = GOLDEN.rstrip().rstrip("}")
    with pytest.raises(BadInput, match="twice"):
        loads(f"{end}, {extra}}}".encode())
