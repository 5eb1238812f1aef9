"""The JSON export: everything in the diary, re-importable with nothing lost."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from spasmcare.core.diary import Diary, describe, list_adapter
from spasmcare.core.documents import MAX_IMPORT_RECORDS, VALIDATE_AT_ONCE
from spasmcare.core.errors import BadInput

FORMAT = "spasmcare-diary"
VERSION = 1


def dumps(diary: Diary, exported_at: datetime) -> bytes:
    document = {"format": FORMAT, "version": VERSION, "exported_at": exported_at.isoformat(),
                "counts": _counts(diary), "diary": diary.model_dump(mode="json")}
    return json.dumps(document, indent=1, ensure_ascii=False).encode()


def loads(data: bytes) -> Diary:
    """Read an export; BadInput saying what is wrong with a damaged or foreign file."""
    from spasmcare.core.documents import parse_json

    return from_document(parse_json(data, "the file (not a SpasmCare JSON export)"))


def from_document(document: object) -> Diary:
    """The diary in an export already parsed from JSON."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BadInput(f"the file is not a SpasmCare JSON export (no \"format\": \"{FORMAT}\")")
    if document.get("version") != VERSION:
        raise BadInput(f"unsupported export version {document.get('version')!r}; "
                       f"this SpasmCare reads version {VERSION}")
    diary = document.get("diary")
    if not isinstance(diary, dict):
        raise BadInput("the export is damaged: it holds no \"diary\" object")
    unknown = sorted(set(diary) - set(Diary.model_fields))
    if unknown:
        raise BadInput(f"the export is damaged: diary.{unknown[0]} is not a kind of record "
                       f"SpasmCare keeps")
    lists = {name: diary.get(name, []) for name in Diary.model_fields}
    for name, items in lists.items():
        if not isinstance(items, list):
            raise BadInput(f"the export is damaged: diary.{name} is not a list")
    total = sum(len(items) for items in lists.values())
    if total > MAX_IMPORT_RECORDS:
        raise BadInput(f"the export holds {total:,} records; an import may hold at most "
                       f"{MAX_IMPORT_RECORDS:,}")
    # A slice at a time, stopping at the first problem: validating a huge list
    # whole collects an error for every bad record (how a crafted file
    # exhausts memory).
    found: dict[str, list[Any]] = {}
    for name, items in lists.items():
        found[name] = []
        for start in range(0, len(items), VALIDATE_AT_ONCE):
            try:
                found[name] += list_adapter(Diary.record_model(name)).validate_python(
                    items[start:start + VALIDATE_AT_ONCE])
            except ValidationError as err:
                raise BadInput(f"the export is damaged: {name}.{_shifted(err, start)}") from None
    return Diary.model_construct(**found)


def _shifted(err: ValidationError, offset: int) -> str:
    """``describe(err)`` with the record counted in the whole list, not the slice."""
    text = describe(err)
    index, _, rest = text.partition(".")
    return f"{int(index) + offset}.{rest}" if index.isdigit() else text


def _counts(diary: Diary) -> dict[str, Any]:
    return {name: len(getattr(diary, name)) for name in Diary.model_fields}
