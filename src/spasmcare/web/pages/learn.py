"""The knowledge base by topic: each entry with its sources and evidence
notes, and where the sources disagree, what SpasmCare chose. ``/learn?q=``
answers a question the way ``spasmcare ask`` and ``/api/ask`` do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.core.questions.safety_screen import said_once
from spasmcare.web import routing
from spasmcare.web.deps import KnowledgeDep
from spasmcare.web.pages.templates import templates

if TYPE_CHECKING:
    from spasmcare.core.questions.answering import Answer

router = routing.router()


@router.get("/learn", response_class=HTMLResponse)
def topics(request: Request, kb: KnowledgeDep, q: str | None = None) -> Response:
    context: dict[str, object] = {"topics": kb.topics, "q": q or "", "result": None,
                                  "error": None}
    status = 200
    if q is not None:
        try:
            result = _ask(q, kb)
        except BadInput as err:
            context["error"], status = str(err), 400
        else:
            context.update(_answer_context(result, kb))
    return templates.TemplateResponse(request, "learn.html", context, status_code=status)


@router.get("/learn/sources", response_class=HTMLResponse)
def source_list(request: Request, kb: KnowledgeDep) -> Response:
    """Every source the advice cites, by title, with who published it and
    when; each piece of advice links to its sources here."""
    cited: dict[str, int] = {}
    for e in kb.entries:
        for sid in e.sources:
            cited[sid] = cited.get(sid, 0) + 1
    return templates.TemplateResponse(request, "learn_sources.html",
                                      {"sources": kb.sources, "cited": cited})


@router.get("/learn/{topic_id}", response_class=HTMLResponse)
def topic(request: Request, topic_id: str, kb: KnowledgeDep) -> Response:
    found = next((t for t in kb.topics if t.id == topic_id), None)
    if found is None:
        raise HTTPException(404, f"There is no topic called {topic_id!r}; /learn lists them.")
    return templates.TemplateResponse(request, "learn_topic.html", {
        "topic": found, "entries": kb.entries_on(found.id),
        "disagreements": kb.disagreements_on(found.id)})


def _ask(question: str, kb: KnowledgeBase) -> Answer:
    from spasmcare.core.loader import load_index
    from spasmcare.core.questions.answering import answer  # the index loads on the first question

    return answer(question, kb, load_index())


def _answer_context(result: Answer, kb: KnowledgeBase) -> dict[str, object]:
    """What the answer partial shows besides the answer: crisis support, the
    warning sign's tier with its findings' messages, and the sources behind
    them (the tier's and its findings')."""
    safety = result.safety
    top = safety.warning or safety.urgency  # a crisis alone has no tier of its own to show
    shown = [f for f in map(kb.triage.finding, safety.findings) if f.tier is top]
    tier = kb.triage.tier(top)
    cited = dict.fromkeys([*tier.sources, *(s for f in shown for s in f.sources)])
    labels = {t.id: t.label for t in kb.topics}
    return {"result": result, "tier": tier, "crisis": kb.crisis, "labels": labels,
            "finding_messages": said_once(f.message for f in shown),
            "safety_sources": tuple(cited)}
