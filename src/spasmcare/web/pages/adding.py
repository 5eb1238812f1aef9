"""Adding to the diary from the web app, with every field the CLI has: a
pain entry with stiffness, mobility, a note or an earlier time; a session
done without a timer (a massage, a stretch, a heat pack); a medicine; a
habit. Each record joins the episode going on at its time, and the diary
then says what was saved, with an Undo."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spasmcare.core.corrections import KINDS, NAMES, SAID
from spasmcare.core.diary import PainEntry, Record, make
from spasmcare.core.errors import BadInput
from spasmcare.web import routing
from spasmcare.web.deps import FormDep, KnowledgeDep, NowDep, StoreDep
from spasmcare.web.form_fields import FieldError, record_id
from spasmcare.web.pages.templates import templates
from spasmcare.web.record_form import FIELDS, NEW, blank, read_new

router = routing.router()


def _model(kind: str) -> type[Record]:
    model = KINDS.get(kind)
    if model is None or model not in NEW:
        raise HTTPException(404, "There is no such kind of record to add. The diary page "
                                 "lists what you can add.")
    return model


@router.get("/diary/new/{kind}", response_class=HTMLResponse)
def new_page(request: Request, kind: str, now: NowDep) -> Response:
    model = _model(kind)
    return _page(request, model, blank(model, now))


@router.post("/diary/new/{kind}", response_class=HTMLResponse)
def add(request: Request, kind: str, form: FormDep, diary: StoreDep, kb: KnowledgeDep,
        now: NowDep) -> Response:
    model = _model(kind)
    try:
        fields = read_new(form, model, now)
        if model is PainEntry:
            fields["severity"] = kb.severity.classify(fields["pain"], fields.get("impact"))
        record = make(model, now, **fields, **record_id(form))
        kept, _ = diary.add_once(record, in_its_episode="episode_id" in model.model_fields)
    except BadInput as err:
        typed = {f.name: (form.getlist(f.name) if f.input == "many" else form.get(f.name) or "")
                 for f in FIELDS[model]}
        return _page(request, model, typed, error=err, status=400)
    return RedirectResponse(f"/diary?saved={kept.id}#saved", status_code=303)


def _page(request: Request, model: type[Record], shown: dict[str, Any], *,
          error: BadInput | None = None, status: int = 200) -> Response:
    title, intro = NEW[model]
    return templates.TemplateResponse(request, "diary_new.html", {
        "kind": NAMES[model], "said": SAID[model], "title": title, "intro": intro,
        "fields": FIELDS[model], "shown": shown, "error": error,
        "bad_field": error if isinstance(error, FieldError) else None,
    }, status_code=status)
