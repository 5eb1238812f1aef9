"""``spasmcare plan``: the care plan for an episode."""

from __future__ import annotations

from datetime import datetime

import typer

from spasmcare.cli import io, render
from spasmcare.core.careplan import build_plan
from spasmcare.core.clock import parse_clock, parse_instant
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.loader import load_knowledge
from spasmcare.local_zone import local_zone


def plan_command(
    onset: str = typer.Option(None, "--onset", metavar="ISO",
                              help="When the spasm began (ISO 8601; no offset means local time). "
                                   "Without it: the open episode in your diary, planned with "
                                   "your own waking hours."),
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
    at = parse_instant(now, "--now", local_zone()) if now else datetime.now().astimezone()
    if onset is not None:
        began = parse_instant(onset, "--onset", local_zone())
    else:
        began, wake, sleep = _from_diary(wake, sleep)
    plan = build_plan(
        began,
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


def _from_diary(wake: str | None, sleep: str | None) -> tuple[datetime, str, str]:
    """The open episode's onset and the person's waking hours (unless given)."""
    from spasmcare.cli.database import store

    diary = store()
    episode = diary.open_episode()
    if episode is None:
        raise BadInput("give --onset, or start an episode first with 'spasmcare episode start'")
    mine = diary.settings()
    return episode.onset.astimezone(), wake or mine.wake, sleep or mine.sleep


def show_plan(onset: datetime, now: datetime, kb: KnowledgeBase, wake: str, sleep: str) -> None:
    plan = build_plan(onset, now, kb.careplan, wake=parse_clock(wake, "wake"),
                      sleep=parse_clock(sleep, "sleep"))
    render.plan(plan, kb.careplan.phase_at(plan.hours_since_onset).summary)
