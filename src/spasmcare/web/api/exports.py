"""/api/export/{format}: the diary as a PDF report, FHIR Bundle, calendar,
CSV zip or JSON export, exactly as ``spasmcare export`` writes it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query
from fastapi.responses import Response

from spasmcare.core.careplan import MAX_DAYS
from spasmcare.exports.formats import DEFAULT_REMINDERS, MAX_REMINDERS
from spasmcare.web import routing
from spasmcare.web.api.problems import problems
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep
from spasmcare.web.exporting import download

router = routing.router(prefix="/export", tags=["export"])

FILES = {**{media: {"schema": {"type": "string", "format": "binary"}}
            for media in ("application/pdf", "text/calendar", "application/zip")},
         **{media: {"schema": {"type": "object"}}
            for media in ("application/fhir+json", "application/json")}}


@router.get("/{fmt}", response_class=Response, responses={
    200: {"description": "The file, as an attachment.", "content": FILES}, **problems(400, 422)})
def export(
    fmt: Literal["pdf", "fhir", "ics", "csv", "json"],
    diary: StoreDep, kb: KnowledgeDep, now: NowDep,
    start: Annotated[str | None, Query(alias="from", max_length=40,
                                       description="First day (YYYY-MM-DD) or ISO time.")] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40,
                                     description="Last day, included, or ISO time.")] = None,
    paper: Annotated[Literal["A4", "Letter"], Query(description="PDF paper size.")] = "A4",
    days: Annotated[int, Query(ge=1, le=MAX_DAYS,
                               description="Days of care-plan sessions in the calendar.")] = 7,
    reminders: Annotated[int, Query(ge=0, le=MAX_REMINDERS, description=(
        "Calendar reminders a day: the sessions are grouped into that many events; 0 gives "
        "one event per session."))] = DEFAULT_REMINDERS,
) -> Response:
    """Download the diary in one of the export formats. ``from``/``to`` limit
    the records to a range (not for ``ics``, which holds the plan's coming
    sessions)."""
    return download(fmt, diary, kb, now, start=start, end=end, paper=paper, days=days,
                    reminders=reminders)
