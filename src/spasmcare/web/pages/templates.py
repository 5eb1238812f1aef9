"""The Jinja2 templates, shared by every page module. Every template can name
the knowledge base (``kb``), look a cited source up by its id (``source``)
and say a time as the person reads it (``said_time``, ``said_date_time``:
with its day when not today, its year when not this year)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from spasmcare.core.clock import said_date_time, said_time
from spasmcare.core.diary import new_id
from spasmcare.core.knowledge import Source
from spasmcare.local_zone import local_zone
from spasmcare.web.security import FORM_FIELD


def _knowledge(request: Request) -> dict[str, Any]:
    state = request.app.state
    kb = getattr(state, "knowledge", None)
    if kb is None:
        return {}
    index: dict[str, Source] | None = getattr(state, "sources_by_id", None)
    if index is None:
        index = state.sources_by_id = {s.id: s for s in kb.sources}
    return {"kb": kb, "source": index}


def _times(request: Request) -> dict[str, Any]:
    now = datetime.now(local_zone())
    return {"said_time": lambda moment: said_time(moment, now),
            "said_date_time": lambda moment: said_date_time(moment, now)}


def _form_token(request: Request) -> dict[str, Any]:
    """``form_token_field()``: the hidden field every POST form carries, holding
    this browser's form token (see ``spasmcare.web.security``)."""
    token = getattr(request.state, "form_token", "")
    field = Markup('<input type="hidden" name="{}" value="{}">').format(FORM_FIELD, token)
    return {"form_token_field": lambda: field, "record_id_field": _record_id_field}


def _record_id_field() -> Markup:
    """A new record's id, chosen when the form is drawn: a form sent twice (a
    double tap, a resend after a lost answer) saves one record."""
    return Markup('<input type="hidden" name="record_id" value="{}">').format(new_id())


templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates",
                            context_processors=[_knowledge, _form_token, _times])


def _sentence(text: str) -> str:
    """The text with its first letter a capital, the rest as it is (Jinja's
    ``capitalize`` lowers the rest: "Mon" and "Nurofen" would lose theirs)."""
    return text[:1].upper() + text[1:]


templates.env.filters["sentence"] = _sentence
