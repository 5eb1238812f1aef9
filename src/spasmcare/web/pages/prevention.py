"""Stopping the next spasm: the knowledge base's prevention topics, and quick
logging of the habits that help (water, walking, planks, breaks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.core.diary_terms import HABIT_LIMITS, HABIT_UNITS, HabitKind
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.store.diary import DiaryStore
from spasmcare.web import routing
from spasmcare.web.deps import FormDep, KnowledgeDep, NowDep, StoreDep
from spasmcare.web.form_fields import FieldError, choice, number, record_id
from spasmcare.web.pages.templates import templates

router = routing.router()

TOPICS = ("ergonomics", "hydration-nutrition", "weight", "sleep", "stress-mind-body",
          "core-strength", "staying-active")
# (kind, what to call it, quick amounts)
HABITS = ((HabitKind.WATER, "Water", (1, 2)), (HabitKind.WALK, "Walking", (10, 20, 30)),
          (HabitKind.PLANK, "Plank", (20, 30, 60)), (HabitKind.BREAKS, "Breaks from sitting", (1,)))
ONE = {"glasses": "glass", "minutes": "minute", "seconds": "second", "breaks": "break"}


@router.get("/prevention", response_class=HTMLResponse)
def prevention(request: Request, kb: KnowledgeDep, diary: StoreDep, now: NowDep) -> Response:
    logged = request.query_params.get("logged")
    known = logged if logged in {k.value for k in HabitKind} else None
    return _page(request, kb, diary, now, logged=known)


@router.post("/prevention/habit", response_class=HTMLResponse)
def log_habit(request: Request, form: FormDep, kb: KnowledgeDep,
              diary: StoreDep, now: NowDep) -> Response:
    from spasmcare.core.diary import HabitLog, make

    try:
        kind = HabitKind(choice(form.get("kind"), "kind", "The habit", list(HabitKind)))
        amount = number(form.get("amount"), "amount", f"The amount ({HABIT_UNITS[kind]})", 0,
                        HABIT_LIMITS[kind])
    except FieldError as err:
        return _page(request, kb, diary, now, error=err, form=form, status=400)
    diary.add_once(make(HabitLog, now, at=now, kind=kind, amount=amount, **record_id(form)))
    return RedirectResponse(f"/prevention?logged={kind.value}#habits", status_code=303)


def _page(request: Request, kb: KnowledgeBase, diary: DiaryStore, now: datetime, *,
          logged: str | None = None, error: FieldError | None = None, form: Any = None,
          status: int = 200) -> Response:
    from spasmcare.core.diary import HabitLog

    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = {kind: 0.0 for kind in HabitKind}
    for h in diary.records(HabitLog, since=midnight):
        today[h.kind] += h.amount
    topics = [(t, kb.entries_on(t.id)) for t in kb.topics if t.id in TOPICS]
    topics.sort(key=lambda pair: TOPICS.index(pair[0].id))
    return templates.TemplateResponse(request, "prevention.html", {
        "topics": topics, "habits": HABITS, "units": HABIT_UNITS, "one": ONE,
        "today": today, "logged": logged, "error": error, "form": form,
    }, status_code=status)
