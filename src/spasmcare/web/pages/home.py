"""The first screen: straight to help when the back has just gone."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from spasmcare.web import routing
from spasmcare.web.deps import StoreDep
from spasmcare.web.pages.templates import templates

router = routing.router()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, diary: StoreDep) -> HTMLResponse:
    episode = diary.open_episode()
    return templates.TemplateResponse(request, "home.html", {"episode": episode})
