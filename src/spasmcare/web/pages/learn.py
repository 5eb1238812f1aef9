"""The knowledge base by topic: each entry with its sources and evidence
notes, and where the sources disagree, what SpasmCare chose."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from spasmcare.web.deps import KnowledgeDep
from spasmcare.web.pages.templates import templates

router = APIRouter()


@router.get("/learn", response_class=HTMLResponse)
def topics(request: Request, kb: KnowledgeDep) -> Response:
    return templates.TemplateResponse(request, "learn.html", {"topics": kb.topics})


@router.get("/learn/{topic_id}", response_class=HTMLResponse)
def topic(request: Request, topic_id: str, kb: KnowledgeDep) -> Response:
    found = next((t for t in kb.topics if t.id == topic_id), None)
    if found is None:
        raise HTTPException(404, f"There is no topic called {topic_id!r}; /learn lists them.")
    return templates.TemplateResponse(request, "learn_topic.html", {
        "topic": found, "entries": kb.entries_on(found.id),
        "disagreements": kb.disagreements_on(found.id)})
