"""Today's plan for the open episode, with a timer for each timed session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.core.careplan import PLANNED, Session
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
# The kinds done without a timer that the diary records (a stretch), saved
# from the plan page with "I've done it". A break to move is only a reminder.
UNTIMED = {planned: treatment for treatment, planned in PLANNED.items() if planned not in TIMERS}
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
        "ways": _one_of_each_kind([*today.sessions, *today.missed]), "untimed": UNTIMED,
        "next_up": _next_up(today.sessions),
    }, status_code=status)


def _next_up(sessions: Sequence[Session]) -> list[Session]:
    """The next session and, when it is only a reminder (a break to move),
    the one after it too, so that the top of the page always has a button."""
    for count, session in enumerate(sessions[:2], start=1):
        if session.kind in TIMERS or session.kind in UNTIMED:
            return list(sessions[:count])
    return list(sessions[:1])


def _one_of_each_kind(sessions: Sequence[Session]) -> list[Session]:
    """The first session of each kind, in order: how to do each is said once."""
    first: dict[SessionKind, Session] = {}
    for session in sessions:
        first.setdefault(session.kind, session)
    return list(first.values())


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


@router.post("/plan/done")
def done(form: FormDep, diary: StoreDep, kb: KnowledgeDep, now: NowDep) -> Response:
    """I've done it: a session without a timer (a stretch, a break to move),
    saved as done just now for as long as the plan asked; the diary then
    says what was saved, with an Undo."""
    from datetime import timedelta

    from spasmcare.core.diary import TreatmentSession, make

    episode = diary.open_episode()
    if episode is None:
        return RedirectResponse("/plan", status_code=303)
    planned = {s.kind: s for s in _one_of_each_kind(diary.plan(episode, now, kb.careplan).sessions)}
    try:
        kind = SessionKind(choice(form.get("kind"), "kind", "The session",
                                  [k.value for k in planned if k in UNTIMED]))
    except FieldError:
        return RedirectResponse("/plan", status_code=303)  # done already, or timed
    minutes = planned[kind].minutes
    session = make(TreatmentSession, now, kind=UNTIMED[kind], minutes=float(minutes),
                   started_at=now - timedelta(minutes=minutes), episode_id=episode.id,
                   **record_id(form))
    kept, _ = diary.add_once(session)
    return RedirectResponse(f"/diary?saved={kept.id}#saved", status_code=303)


@router.post("/plan/end")
def end_episode(diary: StoreDep, now: NowDep) -> Response:
    """My back is better: the open episode ends now."""
    from spasmcare.core.diary import Episode, make

    episode = diary.open_episode()
    if episode is not None:
        diary.replace(make(Episode, now, **{**episode.model_dump(),
                                            "ended_at": max(now, episode.onset)}))
    return RedirectResponse("/diary?ended=1", status_code=303)
