"""What the diary says: triggers, what helps, how often spasms come back."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from spasmcare.web import routing
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep
from spasmcare.web.pages.templates import templates

router = routing.router()

RECENT = 10  # episodes shown in the plan-adherence table


@router.get("/insights", response_class=HTMLResponse)
def insights(request: Request, diary: StoreDep, kb: KnowledgeDep, now: NowDep) -> Response:
    from spasmcare.store.insights import diary_insights

    result = diary_insights(diary, kb.careplan, now)
    checked = [e for e in result.adherence.episodes if e.days_planned]
    return templates.TemplateResponse(request, "insights.html", {
        "result": result, "adherence": checked[-RECENT:][::-1], "checked": len(checked),
        "tz": now.tzinfo})
