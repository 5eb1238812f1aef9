"""``spasmcare settings``: the application's settings and your own."""

from __future__ import annotations

from dataclasses import replace

import typer

from spasmcare.cli import io, render
from spasmcare.cli.database import store
from spasmcare.core.clock import parse_clock
from spasmcare.core.errors import BadInput
from spasmcare.settings import Settings


def settings_command(
    wake: str = typer.Option(None, "--wake", metavar="HH:MM", help="When you usually get up."),
    sleep: str = typer.Option(None, "--sleep", metavar="HH:MM", help="When you usually sleep."),
    units: str = typer.Option(None, "--units", help="metric or imperial."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show the settings; --wake, --sleep and --units change yours."""
    from spasmcare.store.database import redact

    diary = store()
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
    if (wake, sleep, units) != (None, None, None):
        diary.save_settings(mine)
    app = Settings.from_env()
    rows = [{"name": name, "env": env, "value": getattr(app, name), "default": default,
             "help": help} for name, env, default, help in Settings.described()]
    rows[0]["value"] = redact(app.effective_database_url())
    personal = {"wake": mine.wake, "sleep": mine.sleep, "units": mine.units}
    if as_json:
        io.print_json({"application": rows, "personal": personal})
        return
    for row in rows:
        render.say(f"{row['name']} = {row['value']}   ({row['env']}; {row['help']})")
    render.say(f"wake = {mine.wake}, sleep = {mine.sleep}, units = {mine.units}   (yours)")
