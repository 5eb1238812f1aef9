"""Reading the JSON documents people hand us (answers files, exports, FHIR
Bundles): parsed once, and refused with one line when they are not JSON, or
are shaped to exhaust the parser or memory (nesting deeper than any document
of ours, or a huge array where a record has a short list)."""

from __future__ import annotations

import json
from typing import Any

from spasmcare.core.errors import BadInput

MAX_DEPTH = 32
# An import holds at most this many records (a ten-year diary has about
# 40,000); they are validated this many at a time, stopping at the first slice
# with a problem.
MAX_IMPORT_RECORDS = 1_000_000
VALIDATE_AT_ONCE = 500
MAX_NESTED_ITEMS = 1_000  # items in any array below the first three levels


def parse_json(data: bytes | str, what: str) -> Any:
    """The document in ``data``; BadInput naming ``what`` when it is not JSON,
    not UTF-8, or not shaped like a document of ours."""
    try:
        document = json.loads(data)
    except UnicodeDecodeError:
        raise BadInput(f"{what} is not valid JSON: it is not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise BadInput(f"{what} is not valid JSON: {err.msg} at line {err.lineno} "
                       f"column {err.colno}") from None
    except RecursionError:
        raise BadInput(_too_deep(what)) from None
    check_shape(document, what)
    return document


def check_shape(document: object, what: str) -> None:
    """BadInput unless ``document`` is no deeper than MAX_DEPTH and holds long
    arrays only within its first three levels (where exports list their
    records). Walked without recursion."""
    stack: list[tuple[object, int]] = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadInput(_too_deep(what))
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            if depth > 3 and len(node) > MAX_NESTED_ITEMS:
                raise BadInput(f"{what} holds an array of {len(node):,} items inside a "
                               f"record, where ours have at most {MAX_NESTED_ITEMS:,}; "
                               "nothing was read from it")
            stack.extend((v, depth + 1) for v in node)


def _too_deep(what: str) -> str:
    return (f"{what} is nested more than {MAX_DEPTH} levels deep, which none of our "
            "documents is; nothing was read from it")
