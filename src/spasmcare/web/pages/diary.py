"""The diary: log pain in two taps, the chart of pain over time with treatment
sessions marked, and the history of episodes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.core.diary import Diary
from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.store.diary import KINDS, DiaryStore
from spasmcare.web import routing
from spasmcare.web.chart import pain_chart
from spasmcare.web.deps import FormDep, KnowledgeDep, NowDep, StoreDep
from spasmcare.web.form_fields import FieldError, optional_choice, record_id, whole_number
from spasmcare.web.pages.templates import templates
from spasmcare.web.record_form import IMPACTS, NEW

router = routing.router()

RANGES = (7, 30, 90)        # the chart's spans, in days, besides the open episode
DEFAULT_DAYS = 30           # the span with no episode open
SHORTEST_CHART = timedelta(hours=6)  # an episode just begun still has hours to show
EPISODES_SHOWN = 5          # the history lists the latest few episodes in full
RECENT_SCORES = 10
RECORDS_SHOWN = 40          # the records listed to correct, newest first
CHANGES_LOOKED_AT = 20      # a change to say and undo is one of the latest


@router.get("/diary", response_class=HTMLResponse)
def diary_page(request: Request, diary: StoreDep, kb: KnowledgeDep, now: NowDep,
               days: Annotated[int | None, Query(ge=1, le=366)] = None,
               saved: str | None = None, change: str | None = None) -> Response:
    return _page(request, diary, kb, now, days, saved=saved, change=change)


@router.post("/diary/pain", response_class=HTMLResponse)
def log_pain(request: Request, form: FormDep, diary: StoreDep,
             kb: KnowledgeDep, now: NowDep) -> Response:
    try:
        entry = _pain_entry(form, kb, now, diary)
    except FieldError as err:
        return _page(request, diary, kb, now, None, error=err, form=form, status=400)
    entry, _ = diary.add_once(entry)
    return RedirectResponse(f"/diary?saved={entry.id}#saved", status_code=303)


def _pain_entry(form: Any, kb: KnowledgeBase, now: datetime, diary: DiaryStore) -> Any:
    from spasmcare.core.diary import PainEntry, make

    pain = whole_number(form.get("pain"), "pain", "Pain", 0, 10)
    impact = optional_choice(form.get("impact"), "impact", "The effect on your day",
                             [value for value, _ in IMPACTS])
    episode = diary.open_episode()
    return make(PainEntry, now, at=now, pain=pain, impact=impact,
                severity=kb.severity.classify(pain, impact),  # type: ignore[arg-type]
                episode_id=episode.id if episode else None, **record_id(form))


def saved_notes(record: Any, medicines: list[Any], kb: KnowledgeBase) -> list[str]:
    """What to say beside a record just saved: for a medicine, that one taken
    close to it holds the same ingredient under another name."""
    from spasmcare.core.diary import MedicineTaken
    from spasmcare.core.medicines import same_ingredient

    if not isinstance(record, MedicineTaken):
        return []
    return same_ingredient(record, medicines, kb.medicine_names)


def _page(request: Request, diary: DiaryStore, kb: KnowledgeBase, now: datetime,
          days: int | None, *,
          saved: str | None = None, change: str | None = None,
          error: FieldError | None = None, form: Any = None, status: int = 200) -> Response:
    from spasmcare.core.corrections import NAMES, WHEN, said_change, said_record
    from spasmcare.core.diary import PainEntry, TreatmentSession

    open_episode = diary.open_episode()
    if days is None and open_episode is None:
        days = DEFAULT_DAYS
    # With an episode open the chart spans it, so a day-old spasm fills the chart.
    if days is None and open_episode is not None:
        since = min(open_episode.onset, now - SHORTEST_CHART)
    else:
        since = now - timedelta(days=days or DEFAULT_DAYS)
    period = "since this episode began" if days is None else f"in the last {days} days"
    with diary.snapshot() as conn:
        recent = Diary(**{field: diary.read(conn, model, since)
                          for model, _, field in KINDS if field != "episodes"})
        edited = diary.edited(conn)
    pain, sessions = recent.pain_entries, recent.sessions
    records = sorted((r for field, rs in recent if field != "episodes" for r in rs),
                     key=lambda r: getattr(r, WHEN[type(r)]), reverse=True)
    shown_saved = next((r for r in records if r.id == saved), None) if saved else None
    if saved and shown_saved is None and re.fullmatch(r"[0-9a-f]{32}", saved):
        try:  # saved with a time before the chart's range
            shown_saved = diary.locate(saved)
        except BadInput:
            shown_saved = None
    notes = saved_notes(shown_saved, recent.medicines, kb) if shown_saved else []
    shown_change = next((c for c in diary.changes(CHANGES_LOOKED_AT) if c.id == change),
                        None) if change else None
    episodes = list(reversed(diary.episodes()))
    history = []
    for e in episodes[:EPISODES_SHOWN]:
        span = {"since": e.onset, "until": (e.ended_at or now) + timedelta(minutes=2)}
        history.append((e, [p for p in diary.records(PainEntry, **span) if p.episode_id == e.id],
                        [s for s in diary.records(TreatmentSession, **span)
                         if s.episode_id == e.id]))
    return templates.TemplateResponse(request, "diary.html", {
        "tz": now.tzinfo, "now": now, "days": days, "ranges": RANGES, "impacts": IMPACTS,
        "episode_open": open_episode is not None,
        "period": period,
        "chart": pain_chart(pain, sessions, since.astimezone(now.tzinfo), now,
                            title=f"Pain {period}, with treatment sessions"),
        "timeline": sorted([(p.at, p) for p in pain] + [(s.started_at, s) for s in sessions],
                           key=lambda row: row[0]),
        "recent": pain[-RECENT_SCORES:][::-1],
        "saved": shown_saved, "saved_notes": notes,
        "adding": [(NAMES[model], title) for model, (title, _) in NEW.items()],
        "change": shown_change, "unchanged": "unchanged" in request.query_params,
        "said_change": lambda c: said_change(c, now), "said_record": lambda r: said_record(r, now),
        "records": records[:RECORDS_SHOWN], "more_records": max(0, len(records) - RECORDS_SHOWN),
        "edited": edited, "kind_of": lambda r: NAMES[type(r)],
        "history": history, "older": len(episodes) - len(history),
        "ended": "ended" in request.query_params, "error": error, "form": form,
    }, status_code=status)
