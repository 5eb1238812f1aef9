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
    "extra_forbidden": "is not a field that belongs here",
    "dict_type": "must be a JSON object",
    "list_type": "must be a JSON array",
    "model_attributes_type": "must be a JSON object",
}


def said_invalid(error: Mapping[str, Any]) -> str:
    """One pydantic error (``type``, ``input``, ``ctx``, ``msg``) in SAID's
    words, or the library's own message, with the value given, for a type
    SAID does not know."""
    said = SAID.get(str(error.get("type")))
    try:
        if said is not None:
            bounds = {name: _whole(value) for name, value in (error.get("ctx") or {}).items()}
            return said.format(**bounds, got=_shown(error.get("input")))
    except KeyError:  # a context without the bound: the library's words, then
        pass
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    given = error.get("input")
    if given is None or isinstance(given, dict | list) or "(got " in message:
        return message
    return f"{message} (got {_shown(given)!r})"


# A message that SAID gives, or one as these begin, follows the field's name
# ("pain must be ..."); any other is a sentence of its own ("field: ...").
FOLLOWS_NAME = ("must ", "is ", "cannot ", "has ", "needs ")


def said_of(where: str, error: Mapping[str, Any]) -> str:
    """``said_invalid`` after the name of what was wrong: "pain must be 10 or
    less (got 12)", or "answers: a sentence of its own"; the bare message when
    nothing is named."""
    message = said_invalid(error)
    if not where:
        return message
    return f"{where} {message}" if message.startswith(FOLLOWS_NAME) else f"{where}: {message}"


def _shown(value: Any) -> Any:
    """A value as a message shows it: short, a whole number without ".0", and
    its type's name for a whole object or list."""
    if isinstance(value, dict | list):
        return type(value).__name__
    if isinstance(value, str) and len(value) > 40:
        return value[:37] + "..."
    return _whole(value)


def _whole(value: Any) -> Any:
    """A whole number without ".0": "0 or more (got -2)", not "0.0 or more"."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
