"""/api/triage: the red-flag questions and their assessment (CONTRACTS section 1)."""

from __future__ import annotations

from spasmcare.core import triage as core
from spasmcare.web import routing
from spasmcare.web.api.problems import problems
from spasmcare.web.api.schemas.contracts import (
    QuestionPublic,
    TriageAnswers,
    TriagePublic,
    question_public,
    triage_public,
)
from spasmcare.web.deps import KnowledgeDep

router = routing.router(prefix="/triage", tags=["triage"])


@router.get("/questions")
def questions(kb: KnowledgeDep) -> list[QuestionPublic]:
    """Every question in asking order: the emergency tier first."""
    return [question_public(f) for f in core.question_order(kb.triage)]


@router.post("", responses=problems(400, 422))
def assess(answers: TriageAnswers, kb: KnowledgeDep) -> TriagePublic:
    """How urgently to get help, given the answers so far."""
    given = core.parse_answers(answers.document(), kb.triage)
    return triage_public(core.assess(given, kb.triage))
