"""The error answers the API documents. Every one is ``{"detail": "..."}``
with one sentence saying what was wrong (see ``spasmcare.web.errors``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Problem(BaseModel):
    detail: str


MEANINGS = {
    400: "The request is well formed but cannot be used: an unknown id, a time in the "
         "future, an end before a start. The detail says which and what is accepted.",
    404: "There is no such record.",
    409: "It conflicts with the diary as it stands: an episode is already open, or the "
         "client-chosen id was already used for a different record.",
    422: "The request does not have the expected shape: the detail names the field and "
         "what it accepts (malformed JSON, a missing field, pain above 10...).",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route that may answer these error codes."""
    return {code: {"model": Problem, "description": MEANINGS[code]} for code in codes}
