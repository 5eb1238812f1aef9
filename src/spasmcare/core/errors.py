"""The errors the core raises for input a person or another program got wrong,
and what a validation error of a field says, in SpasmCare's words."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
# library's (pydantic's), by the error's type: each takes the value given and
# the error's context, and follows the field's name.
SAID: dict[str, Callable[[Any, dict[str, Any]], str]] = {
    "missing": lambda got, ctx: "is required",
    "less_than_equal": lambda got, ctx: f"must be {ctx['le']} or less (got {got!r})",
    "less_than": lambda got, ctx: f"must be less than {ctx['lt']} (got {got!r})",
    "greater_than_equal": lambda got, ctx: f"must be {ctx['ge']} or more (got {got!r})",
    "greater_than": lambda got, ctx: f"must be more than {ctx['gt']} (got {got!r})",
    "int_parsing": lambda got, ctx: f"must be a whole number (got {got!r})",
    "int_type": lambda got, ctx: f"must be a whole number (got {got!r})",
    "int_from_float": lambda got, ctx: f"must be a whole number (got {got!r})",
    "float_parsing": lambda got, ctx: f"must be a number (got {got!r})",
    "float_type": lambda got, ctx: f"must be a number (got {got!r})",
    "finite_number": lambda got, ctx: f"must be a number (got {got!r})",
    "bool_parsing": lambda got, ctx: f"must be true or false (got {got!r})",
    "bool_type": lambda got, ctx: f"must be true or false (got {got!r})",
    "string_type": lambda got, ctx: "must be text",
    "string_too_long": lambda got, ctx: f"must be at most {ctx['max_length']} characters",
    "string_too_short": lambda got, ctx: f"must be at least {ctx['min_length']} characters",
    "too_long": lambda got, ctx: f"must have at most {ctx['max_length']} items",
    "enum": lambda got, ctx: f"must be one of {ctx['expected']} (got {got!r})",
    "literal_error": lambda got, ctx: f"must be one of {ctx['expected']} (got {got!r})",
    "extra_forbidden": lambda got, ctx: "is not a field this request takes",
    "dict_type": lambda got, ctx: "must be a JSON object",
    "list_type": lambda got, ctx: "must be a JSON array",
    "model_attributes_type": lambda got, ctx: "must be a JSON object",
}



def said_invalid(error: Mapping[str, Any]) -> str:
    """One pydantic error (``type``, ``input``, ``ctx``, ``msg``) in SAID's
    words, or the library's own message for a type SAID does not know."""
    said = SAID.get(str(error.get("type")))
    try:
        if said is not None:
            return said(_shown(error.get("input")), error.get("ctx") or {})
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
