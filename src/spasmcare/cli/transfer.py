"""Moving the diary in and out: export, import, backup and restore."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from spasmcare.cli import render
from spasmcare.cli.database import store
from spasmcare.core.errors import BadInput
from spasmcare.exports.files import read_bytes, write_private

FORMATS = ("json", "csv")
LATER = ("ics", "fhir", "pdf")


def export_command(
    fmt: str = typer.Argument(..., metavar="FORMAT", help="json (everything) or csv (a zip)."),
    out: Path = typer.Option(..., "--out", help="The file to write."),
) -> None:
    """Write your diary to a file (readable only by you)."""
    from spasmcare.exports import csv_zip, diary_json

    fmt = fmt.lower()
    if fmt in LATER:
        raise BadInput(f"the {fmt} export is not available in this version; "
                       f"available: {', '.join(FORMATS)}")
    if fmt not in FORMATS:
        raise BadInput(f"unknown export format {fmt!r}; available: {', '.join(FORMATS)}")
    diary = store().diary()
    data = diary_json.dumps(diary, datetime.now(UTC)) if fmt == "json" else csv_zip.dumps(diary)
    write_private(out, data)
    what = f"{diary.count()} records" if diary.count() else "an empty diary"
    render.say(f"Exported {what} to {out}.")


def import_command(
    file: Path = typer.Argument(..., help="A SpasmCare JSON export."),
) -> None:
    """Add the records of a JSON export to your diary; records already there are skipped."""
    from spasmcare.exports import diary_json

    diary = diary_json.loads(read_bytes(file, "import file"))
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
