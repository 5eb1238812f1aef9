"""``members``: a JSON object read a member at a time, one array's items as
they are reached, agreeing with ``parse_json`` on what it holds and on what
is wrong with it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmcare.core.documents import MAX_NESTED_ITEMS, members, parse_json
from spasmcare.core.errors import BadInput

WHAT = "the file"
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)
OBJECTS = st.dictionaries(st.sampled_from(["entry", "type", "a", "é"]) | st.text(max_size=4),
                          VALUES, max_size=5)


def read(text: str) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, Iterator) else value
            for key, value in members(text, WHAT, streamed="entry")}


def message(text: str, reader: Any) -> str:
    with pytest.raises(BadInput) as caught:
        reader(text)
    return str(caught.value)


@settings(max_examples=150, deadline=None)
@given(OBJECTS, st.sampled_from([None, 1, 2]))
def test_members_hold_what_the_whole_document_holds(document: dict[str, Any],
                                                   indent: int | None) -> None:
    text = json.dumps(document, indent=indent)
    assert read(text) == json.loads(text)


@settings(max_examples=300, deadline=None)
@given(OBJECTS.filter(bool), st.data())
def test_a_broken_document_gets_the_same_message_as_parsed_whole(
        document: dict[str, Any], data: st.DataObject) -> None:
    text = json.dumps(document, indent=1)
    cut = data.draw(st.integers(0, len(text) - 1))
    broken = text[:cut] + data.draw(st.sampled_from(["", "}", ",", "]", "x", '"', "{}"]))
    try:
        expected = parse_json(broken, WHAT)
    except BadInput as err:
        assert message(broken, read) == str(err)
    else:
        assert read(broken) == expected


def test_only_the_items_reached_are_parsed() -> None:
    text = '{"type": "collection", "entry": [{"n": 1}, {"n": 2}, nonsense], "after": 1}'
    parts = members(text, WHAT, streamed="entry")
    assert next(parts) == ("type", "collection")
    key, items = next(parts)
    assert (key, next(items)) == ("entry", {"n": 1})  # the rest is not read yet
    with pytest.raises(BadInput, match="Expecting value at line 1 column 54"):
        next(parts)


def test_items_are_checked_as_parse_json_checks_them() -> None:
    text = json.dumps({"entry": [{"a": {"b": {"c": list(range(MAX_NESTED_ITEMS + 1))}}}]})
    assert "array of 1,001 items" in message(text, read) == message(
        text, lambda t: parse_json(t, WHAT))
    assert list(next(members(text, WHAT, streamed="entry", check_items=False))[1])


def test_a_deep_item_is_refused_without_a_traceback() -> None:
    text = '{"entry": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    assert "nested more than 32 levels" in message(text, read)


@pytest.mark.parametrize("text", [
    '{"type": "collection", "entry": [], "type": "batch"}',
    '{"entry": [1], "a": 2, "entry": [3]}',
    '{"resourceType": "Bundle", "resourceType": "Parameters"}',
])
def test_a_name_given_twice_is_refused(text: str) -> None:
    """parse_json would keep the last value; read a member at a time, the
    first has already been used, so the file is refused."""
    assert "twice" in message(text, read)


@pytest.mark.parametrize("text", ['{"": 1,\n ""', '{"a": [1], "a": ', '{"a": 1, "a": [1,'])
def test_a_repeated_name_in_a_broken_document_is_told_it_is_broken(text: str) -> None:
    """Found by Hypothesis: the break, not the repeat, is what parse_json
    reports, so the two readers agree on it."""
    with pytest.raises(BadInput) as whole:
        parse_json(text, WHAT)
    assert message(text, read) == str(whole.value)
