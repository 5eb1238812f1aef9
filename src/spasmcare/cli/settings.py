"""``spasmcare settings``: the application's settings and your own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer

from spasmcare.cli import io, render
from spasmcare.cli.database import reader, store
from spasmcare.core.clock import parse_clock
from spasmcare.core.errors import BadInput
from spasmcare.settings import Settings


def data_folder(app: Settings) -> tuple[Path | None, bool]:
    """The folder holding the diary's SQLite file (None for a database
    server), and whether the file has been made yet."""
    from spasmcare.store.database import sqlite_file

    path = sqlite_file(app.effective_database_url())
    return (None, True) if path is None else (path.parent, path.exists())


def settings_command(
    wake: str = typer.Option(None, "--wake", metavar="HH:MM", help="When you usually get up."),
    sleep: str = typer.Option(None, "--sleep", metavar="HH:MM", help="When you usually sleep."),
    units: str = typer.Option(None, "--units", help="metric or imperial."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show the settings; --wake, --sleep and --units change yours."""
    from spasmcare.store.database import redact

    changing = (wake, sleep, units) != (None, None, None)
    diary = store() if changing else reader()
    mine = diary.settings()
    if wake is not None:
        parse_clock(wake, "--wake")
        mine = replace(mine, wake=wake)
    if sleep is not None:
        parse_clock(sleep, "--sleep")
        mine = replace(mine, sleep=sleep)
    if units is not None:
        if units not in ("metric", "imperial"):
            raise BadInput(f"--units must be metric or imperial (got {units!r})")
        mine = replace(mine, units=units)
    if mine.wake == mine.sleep:
        raise BadInput("wake and sleep times must differ")
    if changing:
        diary.save_settings(mine)
    app = Settings.from_env()
    rows = [{"name": name, "env": env, "value": getattr(app, name), "default": default,
             "help": help} for name, env, default, help in Settings.described()]
    rows[0]["value"] = redact(app.effective_database_url())
    for row in rows:  # a passphrase is a secret: say whether it is set, never what it is
        if row["name"] == "passphrase":
            row["value"] = "(set)" if app.passphrase else ""
    personal = {"wake": mine.wake, "sleep": mine.sleep, "units": mine.units}
    folder, made = data_folder(app)
    if as_json:
        io.print_json({"application": rows, "personal": personal,
                       "data_folder": None if folder is None else str(folder),
                       "database_exists": made})
        return
    if folder is None:
        render.say("data folder: none on this machine; the diary is in the database above")
    else:
        state = ("your diary is here" if made
                 else "your diary is made here when you first save something")
        render.say(f"data folder = {folder}   ({state})")
    for row in rows:
        render.say(f"{row['name']} = {row['value']}   ({row['env']}; {row['help']})")
    render.say(f"wake = {mine.wake}, sleep = {mine.sleep}, units = {mine.units}   (yours)")
