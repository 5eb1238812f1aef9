"""Reading the JSON documents people hand us (answers files, exports, FHIR
Bundles): parsed once, and refused with one line when they are not JSON, or
are shaped to exhaust the parser or memory (nesting deeper than any document
of ours, or a huge array where a record has a short list)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
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
        raise BadInput(_not_json(what, err)) from None
    except RecursionError:
        raise BadInput(_too_deep(what)) from None
    check_shape(document, what)
    return document


def check_shape(document: object, what: str, depth: int = 0) -> None:
    """BadInput unless ``document`` is no deeper than MAX_DEPTH and holds long
    arrays only within its first three levels (where exports list their
    records). Walked without recursion; ``depth`` is the level ``document``
    lies at in the file, for a part read on its own."""
    stack: list[tuple[object, int]] = [(document, depth)]
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


def decode(data: bytes, what: str) -> str:
    """``data`` as text, as ``json.loads`` would decode it (UTF-8, or UTF-16
    or 32 told by their first bytes)."""
    try:
        return data.decode(json.detect_encoding(data), "surrogatepass")
    except UnicodeDecodeError:
        raise BadInput(f"{what} is not valid JSON: it is not UTF-8 text") from None


_SPACE = re.compile(r"[ \t\n\r]*")
_NAME = "Expecting property name enclosed in double quotes"
_DECODER = json.JSONDecoder()


def members(text: str, what: str, streamed: str,
            check_items: bool = True) -> Iterator[tuple[str, Any]]:
    """The members of the JSON object in ``text``, in order, each value parsed
    and checked as ``parse_json`` would. The value of the member named
    ``streamed``, when it is an array, comes as an iterator over its items,
    each parsed (and checked, as lying two levels down, unless the caller
    says with ``check_items=False`` that it checks them itself) only when it
    is reached, so that a long array never stands in memory whole; items
    left unread are skipped before the next member. BadInput, in
    ``parse_json``'s words, at the first place that is not JSON, which may
    come after items already handed out. A name given twice is refused,
    where ``parse_json`` would keep the last: a member already handed out
    could not be taken back."""
    pos = _expect(text, _expect(text, 0, "{", what) + 1, '"}', what, _NAME)
    if text[pos] == "}":
        _expect_end(text, pos + 1, what)
        return
    seen: set[str] = set()
    while True:
        pos = _expect(text, pos, '"', what, _NAME)
        key, pos = _parse(text, pos, what)
        pos = _expect(text, _expect(text, pos, ":", what, "Expecting ':' delimiter") + 1,
                      None, what)
        if key == streamed and text[pos] == "[":
            _refuse_repeat(key, seen, what)
            items = _Items(text, pos, what, check_items)
            yield key, items
            pos = items.skip()
        else:
            value, pos = _parse(text, pos, what)
            _refuse_repeat(key, seen, what)  # only once the member is whole JSON
            check_shape(value, what, depth=1)
            yield key, value
        pos = _expect(text, pos, ",}", what, "Expecting ',' delimiter")
        if text[pos] == "}":
            _expect_end(text, pos + 1, what)
            return
        pos += 1


def _refuse_repeat(key: str, seen: set[str], what: str) -> None:
    """JSON leaves a repeated name's meaning open: refuse it. Called once the
    member is read as far as its value, so that a document broken there is
    told it is broken, as ``parse_json`` would tell it."""
    if key in seen:
        raise BadInput(f"{what} names {key!r} twice at its top level; a file with a "
                       "repeated name is ambiguous, so nothing was read from it")
    seen.add(key)


class _Items:
    """The items of the array at ``text[pos]``, parsed one by one."""

    def __init__(self, text: str, pos: int, what: str, check: bool) -> None:
        self.text, self.what, self.check = text, what, check
        self.pos = _expect(text, pos + 1, None, what)
        self.done = text[self.pos] == "]"
        if self.done:
            self.pos += 1

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        if self.done:
            raise StopIteration
        item, pos = _parse(self.text, self.pos, self.what)
        if self.check:
            check_shape(item, self.what, depth=2)
        pos = _expect(self.text, pos, ",]", self.what, "Expecting ',' delimiter")
        self.done = self.text[pos] == "]"
        self.pos = _expect(self.text, pos + 1, None, self.what) if not self.done else pos + 1
        return item

    def skip(self) -> int:
        """The position after the array, every item left checked and dropped."""
        for _ in self:
            pass
        return self.pos


def _expect(text: str, pos: int, chars: str | None, what: str,
            message: str = "Expecting value") -> int:
    """The position of the next character after white space, which must be one
    of ``chars`` (or anything, when None)."""
    pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
    if pos >= len(text) or (chars is not None and text[pos] not in chars):
        raise _broken(text, what, json.JSONDecodeError(message, text, pos))
    return pos


def _expect_end(text: str, pos: int, what: str) -> None:
    pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
    if pos != len(text):
        raise _broken(text, what, json.JSONDecodeError("Extra data", text, pos))


def _broken(text: str, what: str, found: json.JSONDecodeError) -> BadInput:
    """What ``parse_json`` says of ``text``, which is not JSON at ``found``:
    the parser words a broken object in its own ways, and it is asked only
    when a file is broken."""
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        return BadInput(_not_json(what, err))
    except RecursionError:
        return BadInput(_too_deep(what))
    return BadInput(_not_json(what, found))


def _parse(text: str, pos: int, what: str) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as err:
        raise BadInput(_not_json(what, err)) from None
    except RecursionError:
        raise BadInput(_too_deep(what)) from None


def _not_json(what: str, err: json.JSONDecodeError) -> str:
    return f"{what} is not valid JSON: {err.msg} at line {err.lineno} column {err.colno}"


def _too_deep(what: str) -> str:
    return (f"{what} is nested more than {MAX_DEPTH} levels deep, which none of our "
            "documents is; nothing was read from it")
