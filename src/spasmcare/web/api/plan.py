"""/api/plan: the hour-by-hour care plan (CONTRACTS section 3)."""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Query

from spasmcare.core.careplan import MAX_DAYS, build_plan
from spasmcare.core.clock import parse_clock
from spasmcare.web import routing
from spasmcare.web.api.problems import problems
from spasmcare.web.api.schemas.contracts import PlanPublic, plan_public
from spasmcare.web.api.schemas.values import ClockTime, Instant
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep

router = routing.router(prefix="/plan", tags=["plan"])


@router.get("", responses=problems(400, 404, 422))
def plan(
    kb: KnowledgeDep,
    diary: StoreDep,
    clock: NowDep,
    onset: Annotated[Instant | None, Query(
        description="When the spasm began. Without it: the open episode, planned with the "
                    "person's saved waking hours.")] = None,
    now: Annotated[Instant | None, Query(description="The time to plan from.")] = None,
    wake: Annotated[ClockTime | None, Query(description="When the person gets up, in the "
                                                        "time zone of now.")] = None,
    sleep: Annotated[ClockTime | None, Query(description="When they go to bed.")] = None,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS,
                               description="How many days of sessions to list.")] = 1,
) -> PlanPublic:
    """The sessions to do and when, with guidance and evidence notes."""
    if onset is None:
        episode = diary.open_episode()
        if episode is None:
            raise HTTPException(404, "no episode is open: give onset, or start an episode "
                                     "with POST /api/episodes")
        return plan_public(diary.plan(episode, now or clock, kb.careplan, wake=wake,
                                      sleep=sleep, days=days))
    result = build_plan(onset, now or clock, kb.careplan, days=days,
                        wake=parse_clock(wake, "wake") if wake else None,
                        sleep=parse_clock(sleep, "sleep") if sleep else None)
    return plan_public(result)
