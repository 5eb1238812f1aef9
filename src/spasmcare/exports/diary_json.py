"""The JSON export: everything in the diary, re-importable with nothing lost."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from spasmcare.core.diary import Diary, describe
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
    try:
        return Diary.model_validate(document.get("diary"))
    except ValidationError as err:
        raise BadInput(f"the export is damaged: {describe(err)}") from None


def _counts(diary: Diary) -> dict[str, Any]:
    return {name: len(getattr(diary, name)) for name in Diary.model_fields}
