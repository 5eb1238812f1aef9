"""Correcting the diary in the web app: a record's edit page (change it or
delete it), and the undo that follows every save, edit and deletion. Every
change is kept in the audit trail, so nothing is lost by a mis-tap."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.core.corrections import KINDS, NAMES, SAID, corrected, said_record
from spasmcare.core.diary import Record
from spasmcare.core.errors import BadInput
from spasmcare.store.diary import DiaryStore
from spasmcare.web import routing
from spasmcare.web.deps import FormDep, KnowledgeDep, NowDep, StoreDep
from spasmcare.web.form_fields import FieldError
from spasmcare.web.pages.templates import templates
from spasmcare.web.record_form import FIELDS, values

router = routing.router()


def _record(diary: DiaryStore, kind: str, record_id: str) -> Record:
    model = KINDS.get(kind)
    record = (diary.find(model, record_id)
              if model is not None and re.fullmatch(r"[0-9a-f]{32}", record_id) else None)
    if record is None:
        raise HTTPException(404, "There is no such record in your diary. It may have been "
                                 "deleted; the diary page lists what is there.")
    return record  # type: ignore[no-any-return]


def changed(change_id: str) -> RedirectResponse:
    """Back to the diary, which says what the change did and offers its undo."""
    return RedirectResponse(f"/diary?change={change_id}#changed", status_code=303)


@router.get("/diary/{kind}/{record_id}", response_class=HTMLResponse)
def edit_page(request: Request, kind: str, record_id: str, diary: StoreDep,
              now: NowDep) -> Response:
    record = _record(diary, kind, record_id)
    return _page(request, record, values(record, now), now)


@router.post("/diary/{kind}/{record_id}", response_class=HTMLResponse)
def save_edit(request: Request, kind: str, record_id: str, form: FormDep, diary: StoreDep,
              kb: KnowledgeDep, now: NowDep) -> Response:
    from spasmcare.web.record_form import read_changes

    record = _record(diary, kind, record_id)
    typed = {f.name: (form.getlist(f.name) if f.input == "many" else form.get(f.name) or "")
             for f in FIELDS[type(record)]}
    try:
        change = diary.correct(corrected(record, read_changes(form, record, now), now,
                                         kb.severity), now)
    except BadInput as err:
        return _page(request, record, typed, now, error=err, status=400)
    if change is None:
        return RedirectResponse("/diary?unchanged=1#changed", status_code=303)
    return changed(change.id)


@router.post("/diary/{kind}/{record_id}/delete", response_class=HTMLResponse)
def delete_record(kind: str, record_id: str, diary: StoreDep, now: NowDep) -> Response:
    record = _record(diary, kind, record_id)
    return changed(diary.delete(type(record), record.id, now).id)


@router.post("/diary/changes/{change_id}/undo", response_class=HTMLResponse)
def undo(change_id: str, diary: StoreDep, now: NowDep) -> Response:
    if not re.fullmatch(r"[0-9a-f]{32}", change_id):
        raise HTTPException(404, "There is no such change to undo.")
    return changed(diary.undo(now, change_id).id)


def _page(request: Request, record: Record, shown: dict[str, Any], now: datetime, *,
          error: BadInput | None = None, status: int = 200) -> Response:
    model = type(record)
    return templates.TemplateResponse(request, "diary_record.html", {
        "record": record, "kind": NAMES[model], "said": SAID[model],
        "title": said_record(record, now), "fields": FIELDS[model], "shown": shown,
        "error": error, "bad_field": error if isinstance(error, FieldError) else None,
    }, status_code=status)
