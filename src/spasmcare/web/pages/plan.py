"""Today's plan for the open episode, with a timer for each timed session."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.core.knowledge import SessionKind
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep
from spasmcare.web.pages.templates import templates

router = APIRouter()

# The timer page for each kind of session that has one.
TIMERS = {SessionKind.ICE: "ice", SessionKind.HEAT: "heat", SessionKind.WALK: "walk",
          SessionKind.STRENGTH: "plank"}
LABELS = {"ice": "Ice", "heat": "Heat", "walk": "Walk", "stretch": "Stretch",
          "strength": "Core strength", "break": "Get up and move"}


@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request, diary: StoreDep, kb: KnowledgeDep, now: NowDep) -> Response:
    episode = diary.open_episode()
    if episode is None:
        return templates.TemplateResponse(request, "plan.html", {"episode": None})
    onset = episode.onset.astimezone(now.tzinfo)
    today = diary.plan(episode, now, kb.careplan)
    return templates.TemplateResponse(request, "plan.html", {
        "episode": episode, "onset": onset, "plan": today, "now": now,
        "phase": kb.careplan.phase_at(today.hours_since_onset), "timers": TIMERS,
        "labels": LABELS, "started": "started" in request.query_params,
        "continued": "continued" in request.query_params,
    })


@router.post("/plan/end")
def end_episode(diary: StoreDep, now: NowDep) -> Response:
    """My back is better: the open episode ends now."""
    from spasmcare.core.diary import Episode, make

    episode = diary.open_episode()
    if episode is not None:
        diary.replace(make(Episode, now, **{**episode.model_dump(),
                                            "ended_at": max(now, episode.onset)}))
    return RedirectResponse("/diary?ended=1", status_code=303)
