"""``spasmcare plan``: the care plan for an episode."""

from __future__ import annotations

from datetime import datetime

import typer

from spasmcare.cli import io, render
from spasmcare.core.careplan import build_plan
from spasmcare.core.clock import parse_clock, parse_instant
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.loader import load_knowledge


def plan_command(
    onset: str = typer.Option(..., "--onset", metavar="ISO",
                              help="When the spasm began (ISO 8601; no offset means local time)."),
    now: str = typer.Option(None, "--now", metavar="ISO",
                            help="The time to plan from (default: the current time)."),
    wake: str = typer.Option(None, "--wake", metavar="HH:MM",
                             help="When you get up, in the time zone of --now (default 07:00)."),
    sleep: str = typer.Option(None, "--sleep", metavar="HH:MM",
                              help="When you go to bed (default 23:00)."),
    days: int = typer.Option(1, "--days", help="How many days of sessions to list."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """The hour-by-hour care plan: ice, heat, walks, stretches and strength, with sources."""
    kb = load_knowledge()
    at = parse_instant(now, "--now") if now else datetime.now().astimezone()
    plan = build_plan(
        parse_instant(onset, "--onset"),
        at,
        kb.careplan,
        wake=parse_clock(wake, "--wake") if wake else None,
        sleep=parse_clock(sleep, "--sleep") if sleep else None,
        days=days,
    )
    if as_json:
        io.print_json(plan.to_dict())
    else:
        render.plan(plan, kb.careplan.phase_at(plan.hours_since_onset).summary)


def show_plan(onset: datetime, now: datetime, kb: KnowledgeBase) -> None:
    plan = build_plan(onset, now, kb.careplan)
    render.plan(plan, kb.careplan.phase_at(plan.hours_since_onset).summary)
