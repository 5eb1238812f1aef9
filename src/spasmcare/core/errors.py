"""The errors the core raises for input a person or another program got wrong,
and what a validation error of a field says, in SpasmCare's words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class BadInput(ValueError):
    """Input that cannot be used as given. The message is one sentence that says
    what was wrong and what is accepted; adapters show it as it is (exit 2, 4xx)."""


class NotFound(BadInput):
    """Input that names something that is not there (a record, say): 404."""


class Conflict(BadInput):
    """A request the diary's present state does not allow, such as undoing a
    change that a later one built on: 409."""


# What was wrong with a field, in SpasmCare's words rather than the validation
# library's (pydantic's), by the error's type: a template filled with the
# error's context and the value given ({got}), which follows the field's name.
SAID: dict[str, str] = {
    "missing": "is required",
    "less_than_equal": "must be {le} or less (got {got!r})",
    "less_than": "must be less than {lt} (got {got!r})",
    "greater_than_equal": "must be {ge} or more (got {got!r})",
    "greater_than": "must be more than {gt} (got {got!r})",
    "int_parsing": "must be a whole number (got {got!r})",
    "int_type": "must be a whole number (got {got!r})",
    "int_from_float": "must be a whole number (got {got!r})",
    "float_parsing": "must be a number (got {got!r})",
    "float_type": "must be a number (got {got!r})",
    "finite_number": "must be a number (got {got!r})",
    "bool_parsing": "must be true or false (got {got!r})",
    "bool_type": "must be true or false (got {got!r})",
    "string_type": "must be text",
    "string_too_long": "must be at most {max_length} characters",
    "string_too_short": "must be at least {min_length} characters",
    "too_long": "must have at most {max_length} items",
    "enum": "must be one of {expected} (got {got!r})",
    "literal_error": "must be one of {expected} (got {got!r})",
    "extra_forbidden": "is not a field this request takes",
    "dict_type": "must be a JSON object",
    "list_type": "must be a JSON array",
    "model_attributes_type": "must be a JSON object",
}



def said_invalid(error: Mapping[str, Any]) -> str:
    """One pydantic error (``type``, ``input``, ``ctx``, ``msg``) in SAID's
    words, or the library's own message for a type SAID does not know."""
    said = SAID.get(str(error.get("type")))
    try:
        if said is not None:
            return said.format(**(error.get("ctx") or {}), got=_shown(error.get("input")))
    except KeyError:  # a context without the bound: the library's words, then
        pass
    return str(error.get("msg", "is not valid")).removeprefix("Value error, ")


# A message that SAID gives, or one as these begin, follows the field's name
# ("pain must be ..."); any other is a sentence of its own ("field: ...").
FOLLOWS_NAME = ("must ", "is ", "cannot ", "has ", "needs ")


def _shown(value: Any) -> Any:
    """A value as a message shows it: short, and its type's name for a whole
    object or list."""
    if isinstance(value, dict | list):
        return type(value).__name__
    if isinstance(value, str) and len(value) > 40:
        return value[:37] + "..."
    return value
