"""The values requests carry: instants, clock times, ids and free text, each
checked with a message that names what is accepted."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from spasmcare.core.clock import EARLIEST_YEAR, LATEST_YEAR, check_years, local_time
from spasmcare.core.errors import BadInput
from spasmcare.local_zone import local_zone

ID_PATTERN = r"^[0-9a-f]{32}$"
YEARS_PATTERN = r"^(19[0-9][0-9]|2[0-9][0-9][0-9])-"  # EARLIEST_YEAR to LATEST_YEAR
CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class Public(BaseModel):
    """Base of responses: read from the core's records by attribute."""

    model_config = ConfigDict(from_attributes=True)


class Incoming(BaseModel):
    """Base of request bodies: a field the schema does not know is an error,
    so that a misspelt field is reported rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


def _instant(value: Any) -> Any:
    """Read as the CLI reads times (``datetime.fromisoformat``); numbers such as
    Unix timestamps are refused rather than guessed at."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value.strip())
    except (AttributeError, TypeError, ValueError):
        raise ValueError("must be an ISO 8601 date-time such as 2026-11-21T09:30 or "
                         "2026-11-21T09:30:00+00:00") from None


def _in_range_and_aware(value: datetime) -> datetime:
    try:
        check_years(value, "the time")  # also in UTC, as it will be stored
        return value if value.tzinfo is not None else local_time(value, local_zone(), "the time")
    except BadInput as err:  # pydantic reports a ValueError's message
        if "1900" in str(err) or "2999" in str(err):
            raise ValueError(f"must be a date-time between the years {EARLIEST_YEAR} and "
                             f"{LATEST_YEAR}") from None
        raise ValueError(str(err).removeprefix("the time ")) from None


Instant = Annotated[
    datetime,
    BeforeValidator(_instant),
    AfterValidator(_in_range_and_aware),
    Field(description=f"ISO 8601 date-time between the years {EARLIEST_YEAR} and "
                      f"{LATEST_YEAR}; without an offset it is the server's local time.",
          json_schema_extra={"pattern": YEARS_PATTERN}),
]

IsoTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
"""A date-time the core has already written as ISO 8601 text (in a response)."""


def _pattern_check(pattern: str, message: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(message)
        return value

    return AfterValidator(check)


ClockTime = Annotated[
    str,
    _pattern_check(CLOCK_PATTERN, "must be a time of day as HH:MM, such as 07:00"),
    Field(json_schema_extra={"pattern": CLOCK_PATTERN, "examples": ["07:00"]}),
]

RecordId = Annotated[
    str,
    _pattern_check(ID_PATTERN, "must be a record id: 32 characters 0-9 and a-f"),
    Field(json_schema_extra={"pattern": ID_PATTERN}),
]


def _plain(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must be text without NUL characters")
    return value


# What _plain and the stripping check, said in the schema too. A character
# that is not space as Python's str.strip sees it (regex engines disagree on
# what \s covers, so the characters are listed).
NOT_SPACE = ("[^\\t-\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a"
             "\\u2028\\u2029\\u202f\\u205f\\u3000]")
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = f"^[^\\u0000]*(?!\\u0000){NOT_SPACE}[^\\u0000]*$"
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000),
                 AfterValidator(_plain), Field(description="Free text, at most 2000 characters.",
                                               json_schema_extra={"pattern": NO_NUL})]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
                 AfterValidator(_plain), Field(json_schema_extra={"pattern": NOT_BLANK})]
def _whole(value: Any) -> Any:
    """A whole number given as 7 or 7.0 (JSON does not tell them apart), but
    not as "7", true or 7.5."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# The constraints come before the validator, so that they stay the integer's
# own (and appear in the JSON schema as minimum and maximum).
PainScore = Annotated[int, Field(strict=True, ge=0, le=10,
                                 description="0 (none) to 10 (worst imaginable)."),
                      BeforeValidator(_whole)]

Since = Annotated[Instant | None, Query(description="Only records at or after this time "
                                                    "(ISO 8601).")]
Until = Annotated[Instant | None, Query(description="Only records before this time (ISO 8601).")]
