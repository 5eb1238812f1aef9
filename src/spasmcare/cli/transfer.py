"""Moving the diary in and out: export, import, backup and restore."""

from __future__ import annotations

from pathlib import Path

import typer

from spasmcare.cli import render
from spasmcare.cli.database import reader, store
from spasmcare.core.errors import BadInput
from spasmcare.exports.files import check_target, read_bytes, write_private
from spasmcare.exports.formats import DEFAULT_REMINDERS


def export_command(
    fmt: str = typer.Argument(..., metavar="FORMAT",
                              help="pdf, fhir, ics, csv or json."),
    out: Path = typer.Option(..., "--out", help="The file to write."),
    start: str = typer.Option(None, "--from", metavar="DATE",
                              help="Only records from this date (YYYY-MM-DD) or ISO time on."),
    end: str = typer.Option(None, "--to", metavar="DATE",
                            help="Only records up to this date (included) or ISO time."),
    paper: str = typer.Option("A4", "--paper", help="Paper size of the pdf: A4 or Letter."),
    days: int = typer.Option(7, "--days", help="How many days of sessions the ics holds."),
    reminders: int = typer.Option(DEFAULT_REMINDERS, "--reminders",
                                  help="Calendar reminders a day (1-8): the day's sessions are "
                                       "grouped into that many events; 0 gives one per session."),
) -> None:
    """Write your diary to a file readable only by you: pdf (a report for your
    clinician), fhir (an R4 Bundle), ics (the care plan's sessions with
    reminders), csv (a zip of spreadsheets) or json (everything, re-importable)."""
    from spasmcare.core.loader import load_knowledge
    from spasmcare.exports import formats

    chosen = formats.find(fmt)
    check_target(out)
    diary_store = reader()
    mine = diary_store.settings()
    request = formats.read_request(load_knowledge(), wake=mine.wake, sleep=mine.sleep,
                                   start=start, end=end, paper_size=paper, day_count=days,
                                   reminder_count=reminders,
                                   edited=diary_store.edited() if chosen.name == "pdf" else ())
    diary = diary_store.diary()
    write_private(out, chosen.pieces(diary, request))
    kept = diary.within(request.since, request.until).count()
    what = (f"{kept} record{'' if kept == 1 else 's'}" if kept
            else "no records (the file says so)")
    if chosen.name == "ics":
        what = "the care plan's coming sessions"
    render.say(f"Exported {what} as {chosen.label} to {out}.")


def import_command(
    file: Path = typer.Argument(..., help="A SpasmCare JSON export or a FHIR R4 Bundle "
                                          "exported by SpasmCare."),
) -> None:
    """Add the records of an export to your diary; records already there are skipped."""
    from spasmcare.exports.formats import MAX_IMPORT_BYTES, ZIP_START, read_diary

    data = read_bytes(file, "the import file", limit=MAX_IMPORT_BYTES)
    try:
        diary = read_diary(data)
    except BadInput as err:
        if data.startswith(ZIP_START):  # say which commands make the files that can
            raise BadInput(f"{err} ('spasmcare export json' or 'export fhir')") from None
        raise
    result = store().import_diary(diary)
    render.say(f"Imported {result.added} records; {result.already_there} were already there.")


def backup_command(
    out: Path = typer.Option(..., "--out", help="The backup file to write."),
) -> None:
    """A consistent copy of the diary database, safe to take while SpasmCare runs."""
    from spasmcare.store import backup as sqlite_backup

    sqlite_backup.backup(store().engine, out)
    render.say(f"Backed up the diary to {out}.")


def restore_command(
    file: Path = typer.Argument(..., help="A backup made by 'spasmcare backup'."),
) -> None:
    """Replace the diary with a backup; the diary as it was is kept beside it."""
    from spasmcare.store import backup as sqlite_backup

    if not file.exists():
        raise BadInput(f"backup not found: {file}")
    kept = sqlite_backup.restore(store().engine, file)
    store.cache_clear()
    render.say(f"Restored the diary from {file}. The previous diary was kept as {kept}.")
