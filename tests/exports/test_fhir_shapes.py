"""``fhir_shapes.fit``, the fast check of an import's bulk entries, held to
the R4B models: every resource of ours fits, and whatever fits, the models
accept too, holding the same values. Anything else is left to the models."""

from __future__ import annotations

import decimal
import json
from typing import Any

from fhir.resources.R4B.bundle import BundleEntry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasmcare.exports.fhir_bundle import dumps
from spasmcare.exports.fhir_shapes import RESOURCES, fit
from tests.diaries import NOW
from tests.exports.fhir_diaries import diaries, rich_diary
from tests.exports.test_fhir_bundle import (
    ODD_VALUES,
    SAMPLE_PATHS,
    damaged_document,
    sample_document,
)


def plain(value: Any) -> Any:
    """Decimals as the models write them (numbers); the readers take either."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return float(value) if isinstance(value, decimal.Decimal) else value


def agrees_with_the_models(entry: object) -> bool:
    """Whether ``entry`` fits; and if it does, the models hold it the same way."""
    found = fit(entry)
    if found is None:
        return False
    model = BundleEntry.model_validate(entry)  # raises if fit let through invalid R4
    assert model.resource is not None
    assert found[0] == model.fullUrl
    assert plain(found[1]) == plain(model.resource.model_dump())
    return True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diaries())
def test_every_bulk_resource_of_ours_fits_and_means_what_the_models_say(diary: Any) -> None:
    for entry in json.loads(dumps(diary, NOW))["entry"]:
        fits = agrees_with_the_models(entry)
        assert fits == (entry["resource"]["resourceType"] in RESOURCES)


def test_the_rich_diary_fits_too() -> None:
    entries = json.loads(dumps(rich_diary(), NOW))["entry"]
    assert sum(agrees_with_the_models(e) for e in entries) == sum(
        e["resource"]["resourceType"] in RESOURCES for e in entries) > 5


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SAMPLE_PATHS), ODD_VALUES), min_size=1, max_size=3))
def test_a_damaged_entry_fits_only_if_the_models_accept_it(
        changes: list[tuple[tuple[Any, ...], object]]) -> None:
    document = damaged_document(changes)
    entries = document.get("entry")
    for entry in entries if isinstance(entries, list) else [entries]:
        agrees_with_the_models(entry)


def test_what_the_models_would_refuse_does_not_fit() -> None:
    pain = next(e for e in sample_document()["entry"]
                if e["resource"]["resourceType"] == "Observation")
    for change in ({"valueInteger": "eight"}, {"valueQuantity": {"value": 1}},
                   {"status": None}, {"note": []}, {"effectiveDateTime": "2026-02-30T00:00:00Z"},
                   {"extension": [{"url": "x", "valueCode": "a", "valueString": "b"}]},
                   {"extension": [{"url": "x"}] * 1001}, {"id": "not-ours"}):
        assert fit({**pain, "resource": {**pain["resource"], **change}}) is None, change
    assert fit({"resource": pain["resource"]}) is None  # no fullUrl
