"""The first screen: straight to help when the back has just gone; with an
episode open, what to do next in it (the warning-sign check stays one tap
away, for anything new or worse)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from spasmcare.web import routing
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep
from spasmcare.web.pages.plan import LABELS, TIMERS
from spasmcare.web.pages.templates import templates

router = routing.router()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, diary: StoreDep, kb: KnowledgeDep, now: NowDep) -> HTMLResponse:
    episode = diary.open_episode()
    context: dict[str, object] = {"episode": episode}
    if episode is not None:
        plan = diary.plan(episode, now, kb.careplan)
        upcoming = (*plan.missed, *plan.sessions)
        context |= {"next": upcoming[0] if upcoming else None, "missed": bool(plan.missed),
                    "timers": TIMERS, "labels": LABELS}
    return templates.TemplateResponse(request, "home.html", context)
