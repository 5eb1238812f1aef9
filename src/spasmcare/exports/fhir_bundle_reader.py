"""Reading a FHIR Bundle written by ``fhir_bundle`` back into a diary, one
entry at a time: ``from_text`` parses the entries as it reaches them and
keeps only the records they hold, so that a ten-year Bundle never stands in
memory whole, as JSON or as models.

Each entry is checked in turn: a resource type a diary cannot hold, a second
Patient or one carrying identifying data is refused first; then the entry
must be valid R4. An entry in one of the shapes SpasmCare writes in bulk is
checked by ``fhir_shapes`` against the R4B models' own types; any other entry
is validated by the R4B models, which say what is wrong with it. A resource
that cannot be placed in the diary is rejected, naming the entry, rather
than skipped, because an import that quietly drops part of a file looks as
if it restored everything. The first problem met, in the file's order,
stops the import before anything is stored.

fhir.resources takes about a third of a second to import, so it is imported
when first needed; ``is_bundle`` never needs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any, TypeGuard

from pydantic import ValidationError

from spasmcare.core.diary import Diary
from spasmcare.core.documents import (
    MAX_IMPORT_RECORDS,
    check_shape,
    decode,
    members,
    parse_json,
)
from spasmcare.core.errors import BadInput, said_of
from spasmcare.exports.fhir_records import Records
from spasmcare.exports.fhir_terms import IMPORTED

NOT_A_BUNDLE = "the file (not a FHIR Bundle)"
# How our Bundles (and most others) begin: read as a stream when a file does.
BUNDLE_START = re.compile(r'[ \t\n\r]*\{[ \t\n\r]*"resourceType"[ \t\n\r]*:[ \t\n\r]*"Bundle"')

# What would identify the person. The diary keeps none of it, so an import
# that carries it is refused rather than silently losing it.
IDENTIFYING = {"identifier": "an identifier (such as an NHS number)", "name": "a name",
               "telecom": "a phone number or email", "address": "an address",
               "birthDate": "a date of birth", "photo": "a photo", "contact": "a contact",
               "generalPractitioner": "a GP"}


def is_bundle(document: object) -> TypeGuard[dict[str, Any]]:
    """Whether a parsed JSON document is a FHIR Bundle (rather than a JSON export)."""
    return isinstance(document, dict) and document.get("resourceType") == "Bundle"


def starts_as_bundle(text: str) -> bool:
    """Whether ``text`` opens as a FHIR Bundle, which ``from_text`` can read."""
    return BUNDLE_START.match(text) is not None


def loads(data: bytes) -> Diary:
    """Read a Bundle written by ``fhir_bundle.write``; BadInput saying what is
    wrong with a damaged or foreign one."""
    text = decode(data, NOT_A_BUNDLE)
    if starts_as_bundle(text):
        return from_text(text, NOT_A_BUNDLE)
    return from_document(parse_json(text, NOT_A_BUNDLE))


def from_text(text: str, what: str) -> Diary:
    """The diary in the Bundle ``text`` (which ``starts_as_bundle``), its
    entries parsed one at a time; ``what`` names the file in messages about
    its JSON."""
    return _read(members(text, what, streamed="entry", check_items=False),
                 lambda entry: check_shape(entry, what, depth=2))


def from_document(document: object) -> Diary:
    """The diary in a Bundle already parsed from JSON."""
    if not is_bundle(document):
        raise BadInput('the file is not a FHIR Bundle (no "resourceType": "Bundle")')
    return _read(iter(document.items()), lambda entry: None)  # checked whole when parsed


def _read(parts: Iterator[tuple[str, Any]], check: Callable[[Any], None]) -> Diary:
    envelope: dict[str, Any] = {}
    records = Records()
    checked = -1  # how many members the envelope had when it was checked
    for key, value in parts:
        if key != "entry":
            envelope[key] = value
            continue
        if "type" in envelope:  # as in our Bundles: the type is known before the entries
            _check_envelope(envelope)
            checked = len(envelope)
        _read_entries(_entries(value), records, check)
    if checked != len(envelope):
        _check_envelope(envelope)
    return records.diary()


def _entries(value: Any) -> Iterator[Any]:
    """The entries of Bundle.entry; anything but a list with entries in it
    (except null, which is no entries) is taken as one entry, to say what is
    wrong with it."""
    if isinstance(value, list | Iterator):
        items = iter(value)
        first = next(items, _NONE)
        if first is not _NONE:
            yield first
            yield from items
            return
        value = []
    if value is not None:
        yield value


_NONE = object()


def _read_entries(entries: Iterable[Any], records: Records,
                  check: Callable[[Any], None]) -> None:
    from spasmcare.exports.fhir_shapes import fit

    patients = 0
    items = iter(entries)
    for number, entry in enumerate(items, start=1):
        if number > MAX_IMPORT_RECORDS:
            total = number + sum(1 for _ in items)
            raise BadInput(f"the FHIR Bundle holds {total:,} entries; an import may hold "
                           f"at most {MAX_IMPORT_RECORDS:,}")
        fast = fit(entry)  # a resource of ours: of a type we import, shaped within bounds
        if fast is not None:
            records.add(number, *fast)
            continue
        check(entry)
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if resource is not None and kind not in IMPORTED:
            raise BadInput(f"entry {number} of the FHIR Bundle is a resource of type {kind}, "
                           f"which a SpasmCare diary cannot hold; it imports {', '.join(IMPORTED)}")
        if kind == "Patient":
            patients += 1
            _check_patient(number, resource, patients)
        url, read = _validated(number, entry)
        if read is not None:
            records.add(number, url, read)


def _check_envelope(envelope: dict[str, Any]) -> None:
    try:
        bundle = _models().Bundle.model_validate(envelope)
    except ValidationError as err:
        raise BadInput(f"the FHIR Bundle is not valid R4: {_invalid(err)}") from None
    if bundle.type != "collection":
        raise BadInput(f"the FHIR Bundle is of type {bundle.type!r}; SpasmCare exports and "
                       "imports type 'collection'")


def _validated(number: int, entry: object) -> tuple[str | None, dict[str, Any] | None]:
    """The entry's fullUrl and resource as JSON values, validated by the R4B
    models; BadInput with the first problem they find."""
    try:
        model = _models().BundleEntry.model_validate(entry)
    except ValidationError as err:
        raise BadInput("the FHIR Bundle is not valid R4: "
                       f"{_invalid(err, f'entry {number}: ')}") from None
    except (KeyError, TypeError):  # what fhir.resources raises for an unknown type
        raise BadInput("the FHIR Bundle is not valid R4: it holds a resource whose "
                       "resourceType R4 does not have") from None
    resource = model.resource.model_dump() if model.resource is not None else None
    return model.fullUrl, resource


@cache
def _models() -> Any:
    from fhir.resources.R4B import bundle

    return bundle


def _check_patient(number: int, patient: dict[str, Any], seen: int) -> None:
    if seen > 1:
        raise BadInput(f"entry {number} of the FHIR Bundle is a second Patient; a SpasmCare "
                       "diary is one person's, so nothing was imported")
    held = [what for key, what in IDENTIFYING.items() if patient.get(key)]
    if held:
        raise BadInput(f"entry {number} of the FHIR Bundle, the Patient, carries "
                       f"{', '.join(held)}, which SpasmCare does not keep; remove it (or import "
                       "a Bundle SpasmCare exported) so that nothing is silently dropped. "
                       "Nothing was imported")


def _invalid(err: ValidationError, place: str = "") -> str:
    """The first problem, after ``place`` (which entry, counted from 1)."""
    first = err.errors()[0]
    loc = list(first["loc"])
    if place:
        loc = loc[1:] if loc[:1] == ["resource"] else loc
    said = said_of(".".join(str(p) for p in loc), first)
    return place + " ".join(said.split())  # some of the library's messages span lines
