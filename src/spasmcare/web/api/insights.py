"""/api/insights: what the diary says, read as ``spasmcare insights`` reads it."""

from __future__ import annotations

from spasmcare.store.insights import diary_insights
from spasmcare.web import routing
from spasmcare.web.api.schemas.insights import InsightsPublic, insights_public
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep

router = routing.router(prefix="/insights", tags=["insights"])


@router.get("")
def insights(diary: StoreDep, kb: KnowledgeDep, now: NowDep) -> InsightsPublic:
    """Triggers, what helps, how often spasms come back, plan adherence, medicines, habits."""
    result = diary_insights(diary, kb.careplan, now)
    return insights_public(result)
