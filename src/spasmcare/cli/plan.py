"""``spasmcare plan``: the care plan for an episode."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import typer

from spasmcare.cli import io, render
from spasmcare.core.careplan import Plan, build_plan
from spasmcare.core.clock import parse_clock, parse_instant
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.loader import load_knowledge
from spasmcare.local_zone import local_zone

if TYPE_CHECKING:
    from spasmcare.core.diary import Episode
    from spasmcare.store.diary import DiaryStore


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
    at = parse_instant(now, "--now", local_zone()) if now else datetime.now(local_zone())
    if onset is not None:
        plan = build_plan(
            parse_instant(onset, "--onset", local_zone()),
            at,
            kb.careplan,
            wake=parse_clock(wake, "--wake") if wake else None,
            sleep=parse_clock(sleep, "--sleep") if sleep else None,
            days=days,
        )
    else:
        plan = _from_diary(at, kb, wake, sleep, days)
    if as_json:
        io.print_json(plan.to_dict())
    else:
        render.plan(plan, kb.careplan.phase_at(plan.hours_since_onset).summary)


def _from_diary(at: datetime, kb: KnowledgeBase, wake: str | None, sleep: str | None,
                days: int) -> Plan:
    """The open episode's plan, following the diary, in the person's waking
    hours (unless given)."""
    from spasmcare.cli.database import reader

    diary = reader()
    episode = diary.open_episode()
    if episode is None:
        raise BadInput("give --onset, or start an episode first with 'spasmcare episode start'")
    return diary.plan(episode, at, kb.careplan, wake=wake, sleep=sleep, days=days)


def show_plan(diary: DiaryStore, episode: Episode, now: datetime, kb: KnowledgeBase) -> None:
    plan = diary.plan(episode, now, kb.careplan)
    render.plan(plan, kb.careplan.phase_at(plan.hours_since_onset).summary)
