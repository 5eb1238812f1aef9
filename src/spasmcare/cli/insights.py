"""``spasmcare insights``: what the diary says, as tables or as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import typer

from spasmcare.cli import io, render
from spasmcare.cli.database import reader
from spasmcare.core.loader import load_knowledge
from spasmcare.local_zone import local_zone

if TYPE_CHECKING:
    from spasmcare.core.insights import Insights

RECENT = 10  # episodes shown in the plan table; the JSON has them all


def insights_command(
    as_json: bool = typer.Option(False, "--json", help="Print the insights as JSON."),
) -> None:
    """What your diary says: triggers, what helps, how often spasms come back."""
    from spasmcare.store.insights import diary_insights

    result = diary_insights(reader(), load_knowledge().careplan, datetime.now(local_zone()))
    if as_json:
        io.print_json(result.to_dict())
    else:
        show(result)


def show(result: Insights) -> None:
    from rich.table import Table

    con = render.console()
    con.rule("[bold]What your diary says")
    if not result.records:
        con.print(render.esc(result.summary[0]))
        return
    for line in result.summary:
        con.print("• " + render.esc(line))
    if result.triggers:
        table = Table("trigger", "episodes", "share", title="What came before an episode")
        for t in result.triggers:
            table.add_row(t.trigger.value, str(t.episodes), f"{t.share:.0%}")
        con.print(table)
    if result.treatments:
        table = Table("treatment", "sessions", "average relief", "median", "",
                      title="Pain before minus pain after")
        for r in result.treatments:
            table.add_row(r.kind.value, str(r.sessions), _points(r.mean), _points(r.median),
                          "[dim]too few to tell[/dim]" if r.too_few else "")
        con.print(table)
    if result.adherence.days_planned:
        checked = [e for e in result.adherence.episodes if e.days_planned]
        table = Table("episode began", "days followed", "days planned",
                      title="Days of the care plan followed (at least half its sessions done)",
                      caption=(f"The latest {RECENT} of {len(checked)}; --json lists them all."
                               if len(checked) > RECENT else None))
        shown = checked[-RECENT:]
        for e in shown:
            table.add_row(e.onset.strftime("%d %b %Y %H:%M"), str(e.days_followed),
                              str(e.days_planned))
        con.print(table)
    if result.medicines:
        table = Table("medicine", "times taken", title="Medicines")
        for m in result.medicines:
            table.add_row(render.esc(m.name), str(m.count))
        con.print(table)
    days = result.habits[0].days
    table = Table("habit", "per day logged", "unit", "days logged",
                  title=f"Habits over the last {days} day{'' if days == 1 else 's'}")
    for h in result.habits:
        table.add_row(h.kind.value, _points(h.per_day), h.unit,
                      f"{h.days_logged} of {days}" if h.days_logged else "not logged")
    con.print(table)
    con.print("[dim]Figures from your own diary only; they are not medical advice.[/dim]")


def _points(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"
