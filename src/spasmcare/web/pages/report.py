"""For the clinician: the report and the other exports, to download."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.exports.formats import DEFAULT_REMINDERS, FORMATS, PAPERS
from spasmcare.local_zone import local_zone
from spasmcare.store.diary import DiaryStore
from spasmcare.web import routing
from spasmcare.web.deps import FormDep, KnowledgeDep, NowDep, StoreDep
from spasmcare.web.exporting import download
from spasmcare.web.pages.templates import templates

router = routing.router()

FIELDS = ("format", "from", "to", "paper", "reminders")
REMINDERS = {"2": "2 a day", "3": "3 a day", "4": "4 a day", "6": "6 a day",
             "0": "One for every session"}
PREVIEW_DAYS = 90  # what a clinician usually wants, and quick to read


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, diary: StoreDep, kb: KnowledgeDep, now: NowDep) -> Response:
    start = (now - timedelta(days=PREVIEW_DAYS)).date().isoformat()
    return _page(request, diary, kb, now, {"paper": "A4", "from": start,
                                           "reminders": str(DEFAULT_REMINDERS)})


@router.get("/report/download", response_class=HTMLResponse)
def report_download(request: Request, diary: StoreDep, kb: KnowledgeDep,
                    now: NowDep) -> Response:
    values = {name: request.query_params.get(name, "").strip()[:40] for name in FIELDS}
    fmt = values["format"] or "pdf"
    calendar = fmt == "ics"  # the plan's coming sessions: the form's dates are for records
    try:
        chosen = values["reminders"] or str(DEFAULT_REMINDERS)
        if chosen not in REMINDERS:
            raise BadInput("choose how many calendar reminders a day from the list")
        return download(fmt, diary, kb, now, start=None if calendar else values["from"],
                        end=None if calendar else values["to"], paper=values["paper"] or "A4",
                        reminders=int(chosen))
    except BadInput as err:
        return _page(request, diary, kb, now, values, error=str(err), status=400)


@router.post("/report/import", response_class=HTMLResponse)
def import_export(request: Request, form: FormDep, diary: StoreDep, kb: KnowledgeDep,
                  now: NowDep) -> Response:
    """Bring back a JSON export or a FHIR Bundle, as ``spasmcare import``
    does: records already in the diary are skipped, and a file that cannot
    be used is refused whole with one sentence."""
    from starlette.datastructures import UploadFile

    from spasmcare.exports.formats import MAX_IMPORT_BYTES, read_diary

    upload = form.get("file")
    values = {"paper": "A4", "reminders": str(DEFAULT_REMINDERS)}
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise BadInput("Choose the file to import first (a SpasmCare JSON export or "
                           "FHIR Bundle).")
        data = upload.file.read(MAX_IMPORT_BYTES + 1)
        if not data:
            raise BadInput(f"{upload.filename} is empty; choose the export file itself")
        result = diary.import_diary(read_diary(data, now))
    except BadInput as err:
        return _page(request, diary, kb, now, values, import_error=str(err), status=400)
    said = (f"Imported {result.added} record{'s' if result.added != 1 else ''}; "
            f"{result.already_there} {'were' if result.already_there != 1 else 'was'} "
            "already in your diary.")
    return _page(request, diary, kb, now, values, imported=said)


def _page(request: Request, diary: DiaryStore, kb: KnowledgeBase, now: datetime,
          values: dict[str, Any], *, error: str | None = None, import_error: str | None = None,
          imported: str | None = None, status: int = 200) -> Response:
    """The page, with what the report's first page would say about the last
    PREVIEW_DAYS days (the range the form offers first)."""
    from spasmcare.core.clock import parse_clock
    from spasmcare.core.report import build_report

    tz = local_zone()
    now = now.astimezone(tz)
    since = datetime.combine((now - timedelta(days=PREVIEW_DAYS)).date(), time(), tz)
    records = diary.diary(since=since, only=("pain_entries", "sessions", "medicines", "habits"))
    # an episode that began before the range may still be going: build_report keeps those
    recent = records.model_copy(update={"episodes": diary.episodes()})
    mine = diary.settings()
    report = build_report(recent, now=now, kb=kb, tz=tz, since=since,
                          wake=parse_clock(mine.wake, "wake"),
                          sleep=parse_clock(mine.sleep, "sleep"))
    return templates.TemplateResponse(request, "report.html", {
        "values": values, "formats": FORMATS.values(), "papers": PAPERS, "error": error,
        "report": report, "tz": tz, "preview_days": PREVIEW_DAYS, "reminders": REMINDERS,
        "import_error": import_error, "imported": imported,
    }, status_code=status)
