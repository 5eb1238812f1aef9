"""Timers for ice, heat, walking and plank sessions. The page gives the length,
instructions and safety points (``core.timing``); the countdown itself runs in
the browser (static/timer.js), worked out from when it started."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from spasmcare.core.knowledge import KnowledgeBase, SessionKind
from spasmcare.core.timing import MIN_RECORD_SECONDS, TimerKind, timing
from spasmcare.store.diary import DiaryStore
from spasmcare.web import routing
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep
from spasmcare.web.pages.templates import templates

router = routing.router()

LABELS = {TimerKind.ICE: "Ice", TimerKind.HEAT: "Heat", TimerKind.WALK: "Walk",
          TimerKind.PLANK: "Plank"}


@router.get("/timer", response_class=HTMLResponse)
def timers(request: Request, kb: KnowledgeDep, diary: StoreDep, now: NowDep) -> Response:
    hours, planned = _episode(diary, kb, now)
    return templates.TemplateResponse(request, "timers.html", {
        "timers": [(kind, LABELS[kind], timing(kind, kb.careplan, hours_since_onset=hours,
                                               planned=planned))
                   for kind in TimerKind]})


@router.get("/timer/{kind}", response_class=HTMLResponse)
def timer(request: Request, kind: str, kb: KnowledgeDep, diary: StoreDep, now: NowDep,
          seconds: int | None = None) -> Response:
    return _timer_page(request, _kind(kind), kb, diary, now, seconds)


def _kind(name: str) -> TimerKind:
    """The timer called ``name``; an unknown one is a page that is not there."""
    try:
        return TimerKind(name)
    except ValueError:
        raise HTTPException(404, "There is no such timer. The timers page lists them: "
                                 + ", ".join(k.value for k in TimerKind) + ".") from None


def _timer_page(request: Request, kind: TimerKind, kb: KnowledgeBase, diary: DiaryStore,
                now: datetime, seconds: int | None) -> Response:
    hours, planned = _episode(diary, kb, now)
    session = timing(kind, kb.careplan, seconds=seconds, hours_since_onset=hours,
                     planned=planned)
    return templates.TemplateResponse(request, "timer.html", {
        "kind": kind, "label": LABELS[kind], "t": session, "min_record": MIN_RECORD_SECONDS,
        "clock": f"{session.seconds // 60:02d}:{session.seconds % 60:02d}"})


def _episode(diary: DiaryStore, kb: KnowledgeBase,
             now: datetime) -> tuple[float | None, Mapping[SessionKind, int] | None]:
    """Hours into the open episode, and its plan's lengths today (None, None
    without one)."""
    episode = diary.open_episode()
    if episode is None:
        return None, None
    return (episode.duration(now).total_seconds() / 3600,
            diary.plan(episode, now, kb.careplan).lengths)
