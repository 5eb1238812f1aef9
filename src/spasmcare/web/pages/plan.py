"""Today's plan for the open episode, with a timer for each timed session."""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.core.diary import PainEntry
from spasmcare.core.knowledge import KnowledgeBase, SessionKind
from spasmcare.store.diary import DiaryStore
from spasmcare.web import routing
from spasmcare.web.deps import FormDep, KnowledgeDep, NowDep, StoreDep
from spasmcare.web.form_fields import FieldError, choice, record_id, whole_number
from spasmcare.web.pages.templates import templates
from spasmcare.web.record_form import MOVES

router = routing.router()

# The timer page for each kind of session that has one.
TIMERS = {SessionKind.ICE: "ice", SessionKind.HEAT: "heat", SessionKind.WALK: "walk",
          SessionKind.STRENGTH: "plank"}
LABELS = {"ice": "Ice", "heat": "Heat", "walk": "Walk", "stretch": "Stretch",
          "strength": "Core strength", "break": "Get up and move"}


WORSE = [("yes", "Yes"), ("no", "No"), ("skip", "Not sure / skip")]


@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request, diary: StoreDep, kb: KnowledgeDep, now: NowDep) -> Response:
    return _page(request, diary, kb, now)


def _page(request: Request, diary: DiaryStore, kb: KnowledgeBase, now: datetime, *,
          error: FieldError | None = None, status: int = 200) -> Response:
    episode = diary.open_episode()
    if episode is None:
        return templates.TemplateResponse(request, "plan.html", {"episode": None})
    onset = episode.onset.astimezone(now.tzinfo)
    today = diary.plan(episode, now, kb.careplan)
    checked = today.last_check_in
    checked_today = checked is not None and checked.astimezone(now.tzinfo).date() == now.date()
    return templates.TemplateResponse(request, "plan.html", {
        "episode": episode, "onset": onset, "plan": today, "now": now,
        "phase": kb.careplan.phase_at(today.hours_since_onset), "timers": TIMERS,
        "labels": LABELS, "started": "started" in request.query_params,
        "continued": "continued" in request.query_params,
        "checked_today": checked_today, "checked": "checked" in request.query_params,
        "moves": MOVES, "worse": WORSE, "error": error,
    }, status_code=status)


@router.post("/plan/checkin")
def check_in(request: Request, form: FormDep, diary: StoreDep,
             kb: KnowledgeDep, now: NowDep) -> Response:
    """The daily check-in: how the back moves, whether it was worse this
    morning, and pain now (the tap that sends it)."""
    from spasmcare.core.diary import make

    episode = diary.open_episode()
    if episode is None:
        return RedirectResponse("/plan", status_code=303)
    try:
        pain = whole_number(form.get("pain"), "pain", "Pain", 0, 10)
        moves = choice(form.get("moves"), "moves", "How your back moves",
                       [value for value, _ in MOVES], default="limited")
        worse = choice(form.get("worse"), "worse", "Whether it was worse this morning",
                       ["yes", "no", "skip"], default="skip")
    except FieldError as err:
        return _page(request, diary, kb, now, error=err, status=400)
    entry = make(PainEntry, now, at=now, pain=pain, severity=kb.severity.classify(pain, None),
                 mobility=moves, worse_next_morning={"yes": True, "no": False}.get(worse),
                 episode_id=episode.id, **record_id(form))
    diary.add_once(entry)
    return RedirectResponse("/plan?checked=1#check-in", status_code=303)


@router.post("/plan/end")
def end_episode(diary: StoreDep, now: NowDep) -> Response:
    """My back is better: the open episode ends now."""
    from spasmcare.core.diary import Episode, make

    episode = diary.open_episode()
    if episode is not None:
        diary.replace(make(Episode, now, **{**episode.model_dump(),
                                            "ended_at": max(now, episode.onset)}))
    return RedirectResponse("/diary?ended=1", status_code=303)
