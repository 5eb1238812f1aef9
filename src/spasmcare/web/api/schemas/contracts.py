"""The shapes CONTRACTS.md fixes: the triage answers document and its result
(section 1) and the care plan (section 3). The API answers exactly what
``spasmcare triage --json`` and ``spasmcare plan --json`` print."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StrictBool, field_validator

from spasmcare.core.careplan import Plan
from spasmcare.core.knowledge import Finding, SessionKind, Urgency
from spasmcare.core.triage import Assessment
from spasmcare.web.api.schemas.values import Incoming, IsoTime, PainScore

PhaseId = Literal["acute", "subacute", "recovery"]


# --- triage -------------------------------------------------------------------


class QuestionPublic(BaseModel):
    id: str
    tier: Urgency
    question: str
    hint: str | None


def question_public(finding: Finding) -> QuestionPublic:
    return QuestionPublic(id=finding.id, tier=finding.tier, question=finding.question,
                          hint=finding.hint)


class TriageAnswers(Incoming):
    """The triage answers document of CONTRACTS section 1. A finding left out
    of ``findings`` was not asked; an unknown finding id is refused (400)."""

    age: Annotated[float, Field(ge=0, le=120, strict=True, allow_inf_nan=False,
                                description="Years, 0-120.")] | None = None
    days_since_onset: Annotated[float, Field(ge=0, le=36_500, strict=True, allow_inf_nan=False,
                                             description="Days, 0 to 36,500.")] | None = None
    pain_score: PainScore | None = None
    findings: dict[str, StrictBool] = Field(
        default_factory=dict, max_length=100,
        description="Finding id -> true (present) or false (absent).")

    @field_validator("findings", mode="before")
    @classmethod
    def _short_ids(cls, value: Any) -> Any:
        if isinstance(value, dict) and any(len(str(k)) > 80 for k in value):
            raise ValueError("a finding id is at most 80 characters")
        return value

    def document(self) -> dict[str, Any]:
        """The answers as the core reads them (what ``--answers FILE`` holds)."""
        return self.model_dump()


class ReasonPublic(BaseModel):
    finding: str
    urgency: Urgency
    message: str
    sources: list[str]


class TriagePublic(BaseModel):
    """The triage result of CONTRACTS section 1."""

    urgency: Urgency
    reasons: list[ReasonPublic]
    unanswered: list[str]
    complete: bool
    advice: str


def triage_public(assessment: Assessment) -> TriagePublic:
    return TriagePublic.model_validate(assessment.to_dict())


# --- care plan ------------------------------------------------------------------


class PlanSessionPublic(BaseModel):
    kind: SessionKind
    start: IsoTime
    minutes: int
    instructions: str
    sources: list[str]


class GuidancePublic(BaseModel):
    topic: str
    text: str
    sources: list[str]


class EvidenceNotePublic(BaseModel):
    text: str
    sources: list[str]


class PlanPublic(BaseModel):
    """The care plan of CONTRACTS section 3."""

    phase: PhaseId
    hours_since_onset: float
    sessions: list[PlanSessionPublic]
    guidance: list[GuidancePublic]
    evidence_notes: list[EvidenceNotePublic]


def plan_public(plan: Plan) -> PlanPublic:
    return PlanPublic.model_validate(plan.to_dict())
