"""Timers for ice, heat, walking and plank sessions. The page gives the length,
instructions and safety points (``core.timing``); the countdown itself runs in
the browser (static/timer.js), worked out from when it started."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from spasmcare.core.timing import MIN_RECORD_SECONDS, TimerKind, timing
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep
from spasmcare.web.pages.templates import templates

router = APIRouter()

LABELS = {TimerKind.ICE: "Ice", TimerKind.HEAT: "Heat", TimerKind.WALK: "Walk",
          TimerKind.PLANK: "Plank"}


@router.get("/timer", response_class=HTMLResponse)
def timers(request: Request, kb: KnowledgeDep, diary: StoreDep, now: NowDep) -> Response:
    hours = _hours(diary, now)
    return templates.TemplateResponse(request, "timers.html", {
        "timers": [(kind, LABELS[kind], timing(kind, kb.careplan, hours_since_onset=hours))
                   for kind in TimerKind]})


@router.get("/timer/{kind}", response_class=HTMLResponse)
def timer(request: Request, kind: TimerKind, kb: KnowledgeDep, diary: StoreDep, now: NowDep,
          seconds: int | None = None) -> Response:
    session = timing(kind, kb.careplan, seconds=seconds, hours_since_onset=_hours(diary, now))
    return templates.TemplateResponse(request, "timer.html", {
        "kind": kind, "label": LABELS[kind], "t": session, "min_record": MIN_RECORD_SECONDS,
        "clock": f"{session.seconds // 60:02d}:{session.seconds % 60:02d}"})


def _hours(diary: StoreDep, now: NowDep) -> float | None:
    episode = diary.open_episode()
    return episode.duration(now).total_seconds() / 3600 if episode else None
