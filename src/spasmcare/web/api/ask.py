"""/api/ask: answers from the knowledge base (CONTRACTS section 2)."""

from __future__ import annotations

from spasmcare.web import routing
from spasmcare.web.api.problems import problems
from spasmcare.web.api.schemas.questions import AnswerPublic, Question, answer_public
from spasmcare.web.deps import KnowledgeDep

router = routing.router(prefix="/ask", tags=["questions"])


@router.post("", responses=problems(400, 422), response_model_exclude_unset=True)
def ask(body: Question, kb: KnowledgeDep) -> AnswerPublic:
    """Answer a question from the knowledge base, with sources and, when it
    describes a warning sign, what to do about it."""
    from spasmcare.core.loader import load_index
    from spasmcare.core.questions.answering import answer

    return answer_public(answer(body.question, kb, load_index()))
