"""The export formats: each one's name, file type and how it is made from the
diary. ``spasmcare export`` and the web app's download links both go through
``export``, so the two always write the same files."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from spasmcare.core.careplan import MAX_DAYS
from spasmcare.core.clock import parse_clock, parse_period
from spasmcare.core.diary import Diary
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.local_zone import local_zone

DEFAULT_REMINDERS = 4   # calendar reminders a day, one per block of the waking day
MAX_REMINDERS = 8

PAPERS = ("A4", "Letter")


@dataclass(frozen=True)
class ExportRequest:
    """Everything an export may need besides the diary."""

    now: datetime
    tz: ZoneInfo
    kb: KnowledgeBase
    wake: time
    sleep: time
    since: datetime | None = None
    until: datetime | None = None
    paper: str = "A4"
    days: int = 7
    reminders: int = DEFAULT_REMINDERS  # calendar reminders a day; 0 is one per session
    edited: frozenset[str] = frozenset()  # records corrected after logging (the PDF marks them)

    @property
    def ranged(self) -> bool:
        return self.since is not None or self.until is not None


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    suffix: str
    label: str
    make: Callable[[Diary, ExportRequest], bytes]
    # For a format that can be written piece by piece: the pieces, in order.
    stream: Callable[[Diary, ExportRequest], Iterable[bytes]] | None = None

    def pieces(self, diary: Diary, request: ExportRequest) -> Iterable[bytes]:
        """The file's bytes in pieces (one, for a format that cannot stream)."""
        if self.stream is not None:
            return self.stream(diary, request)
        return [self.make(diary, request)]


def _json(diary: Diary, request: ExportRequest) -> bytes:
    from spasmcare.exports import diary_json

    return diary_json.dumps(diary.within(request.since, request.until), request.now)


def _csv(diary: Diary, request: ExportRequest) -> bytes:
    from spasmcare.exports import csv_zip

    return csv_zip.dumps(diary.within(request.since, request.until))


def _fhir(diary: Diary, request: ExportRequest) -> bytes:
    return b"".join(_fhir_stream(diary, request))


def _fhir_stream(diary: Diary, request: ExportRequest) -> Iterable[bytes]:
    from spasmcare.exports import fhir_bundle

    return fhir_bundle.write(diary.within(request.since, request.until), request.now)


def _ics(diary: Diary, request: ExportRequest) -> bytes:
    from spasmcare.exports import calendar_ics

    if request.ranged:
        raise BadInput("a date range does not apply to ics, which holds the care plan's "
                       "coming sessions; give the number of days instead")
    return calendar_ics.dumps(diary, now=request.now, rules=request.kb.careplan, tz=request.tz,
                              wake=request.wake, sleep=request.sleep, days=request.days,
                              reminders=request.reminders,
                              titles={s.id: s.title for s in request.kb.sources})


def _pdf(diary: Diary, request: ExportRequest) -> bytes:
    from spasmcare.core.report import build_report
    from spasmcare.exports import pdf_report

    report = build_report(diary, now=request.now, kb=request.kb, tz=request.tz,
                          since=request.since, until=request.until,
                          wake=request.wake, sleep=request.sleep, edited=request.edited)
    return pdf_report.dumps(report, paper=request.paper)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("pdf", "application/pdf", ".pdf", "Report for your clinician (PDF)", _pdf),
    Format("fhir", "application/fhir+json", ".fhir.json", "FHIR R4 Bundle", _fhir,
           _fhir_stream),
    Format("ics", "text/calendar", ".ics", "Care-plan sessions for your calendar", _ics),
    Format("csv", "application/zip", ".csv.zip", "Spreadsheet files (CSV in a zip)", _csv),
    Format("json", "application/json", ".json", "Everything, to re-import (JSON)", _json),
)}


# What an import may be. A ten-year diary is about 7 MB as JSON and 38 MB as
# FHIR; the limit leaves room for several times that. The document's shape is
# bounded too (core.documents), before anything is validated.
MAX_IMPORT_BYTES = 128 * 1024 * 1024
ZIP_START = b"PK\x03\x04"  # how every zip file begins, the CSV export's too


def read_diary(data: bytes, now: datetime | None = None) -> Diary:
    """The diary in a file ``spasmcare import`` was given: a SpasmCare JSON
    export or a FHIR Bundle, told apart by their content and parsed once.
    Its records pass the same checks as records typed in (no time in the
    future or outside the diary's years)."""
    from spasmcare.core.diary import check_imported
    from spasmcare.core.documents import decode, parse_json
    from spasmcare.exports import diary_json, fhir_bundle_reader

    if len(data) > MAX_IMPORT_BYTES:
        raise BadInput(f"the file is {len(data) / 2**20:,.0f} MiB; an import may be at most "
                       f"{MAX_IMPORT_BYTES // 2**20} MiB")
    if data.startswith(ZIP_START):
        raise BadInput("the file is a zip, such as the CSV export: CSV is for spreadsheets "
                       "and cannot be imported; import the JSON export or the FHIR Bundle "
                       "instead")
    what = "the file (neither a SpasmCare JSON export nor a FHIR Bundle)"
    text = decode(data, what)
    if fhir_bundle_reader.starts_as_bundle(text):  # read an entry at a time
        diary = fhir_bundle_reader.from_text(text, what)
    else:
        document = parse_json(text, what)
        diary = fhir_bundle_reader.from_document(document) \
            if fhir_bundle_reader.is_bundle(document) else diary_json.from_document(document)
    check_imported(diary, now or datetime.now(UTC))
    return diary


def find(name: str) -> Format:
    """The format called ``name`` (any case), or BadInput listing them all."""
    try:
        return FORMATS[name.strip().lower()]
    except KeyError:
        raise BadInput(f"unknown export format {name!r}; "
                       f"available: {', '.join(FORMATS)}") from None


def paper(name: str) -> str:
    """"A4" or "Letter", whatever the case typed."""
    for known in PAPERS:
        if name.strip().lower() == known.lower():
            return known
    raise BadInput(f"unknown paper size {name!r}; available: {', '.join(PAPERS)}")


# What messages call the request's fields: the CLI's options, or the names
# the web app's form and API use.
AS_OPTIONS = {"from": "--from", "to": "--to", "days": "--days", "reminders": "--reminders"}
AS_FIELDS = {"from": "the start date (from)", "to": "the end date (to)", "days": "days",
             "reminders": "reminders"}


def days(count: int, name: str = AS_OPTIONS["days"]) -> int:
    if not 1 <= count <= MAX_DAYS:
        raise BadInput(f"{name} must be between 1 and {MAX_DAYS} (got {count})")
    return count


def reminders(count: int, name: str = AS_OPTIONS["reminders"]) -> int:
    if not 0 <= count <= MAX_REMINDERS:
        raise BadInput(f"{name} must be from 0 (one per session) to {MAX_REMINDERS} a day "
                       f"(got {count})")
    return count


def read_request(kb: KnowledgeBase, *, wake: str, sleep: str, start: str | None = None,
                 end: str | None = None, paper_size: str = "A4", day_count: int = 7,
                 reminder_count: int = DEFAULT_REMINDERS, tz: ZoneInfo | None = None,
                 now: datetime | None = None, edited: Iterable[str] = (),
                 names: Mapping[str, str] = AS_OPTIONS) -> ExportRequest:
    """An ExportRequest from what a person typed (command-line options or a
    form's fields) and their settings; BadInput says what is wrong, calling
    the fields by ``names``."""
    tz = tz or local_zone()
    since, until = parse_period(start or None, end or None, tz, (names["from"], names["to"]))
    return ExportRequest(now=(now or datetime.now(tz)).astimezone(tz), tz=tz, kb=kb,
                         wake=parse_clock(wake, "wake"), sleep=parse_clock(sleep, "sleep"),
                         since=since, until=until, paper=paper(paper_size),
                         days=days(day_count, names["days"]),
                         reminders=reminders(reminder_count, names["reminders"]),
                         edited=frozenset(edited))
