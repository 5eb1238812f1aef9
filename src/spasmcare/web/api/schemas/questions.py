"""The shapes of CONTRACTS section 2: a question and its answer. The API
answers exactly what ``spasmcare ask --json`` prints."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from spasmcare.core.questions.answering import MAX_QUESTION_CHARS, Answer
from spasmcare.core.knowledge import Urgency
from spasmcare.web.api.schemas.values import Incoming


class Question(Incoming):
    question: Annotated[str, Field(max_length=MAX_QUESTION_CHARS,
                                   description="The question, in the person's own words.")]


class AnswerItemPublic(BaseModel):
    topic: str
    title: str
    text: str
    sources: list[str]
    score: Annotated[float, Field(ge=0, le=1, description="How much of the question the "
                                                          "entry covers, 0 to 1.")]


class SafetyPublic(BaseModel):
    urgency: Urgency
    message: str | None


class AnswerPublic(BaseModel):
    """Up to three knowledge-base entries, best first; none when the question
    is out of scope. ``safety`` says what to do when the question describes a
    warning sign, whatever its topic."""

    in_scope: bool
    answers: list[AnswerItemPublic]
    safety: SafetyPublic


def answer_public(answer: Answer) -> AnswerPublic:
    return AnswerPublic.model_validate(answer.to_dict())
