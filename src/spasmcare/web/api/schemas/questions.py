"""The shapes of CONTRACTS section 2: a question and its answer. The API
answers exactly what ``spasmcare ask --json`` prints."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import Urgency
from spasmcare.core.questions.answering import MAX_QUESTION_CHARS, Answer, check_question
from spasmcare.web.api.schemas.values import NOT_SPACE, Incoming


def _answerable(question: object) -> object:
    """Our own one-line reasons (empty, too long, NUL) before pydantic's."""
    if isinstance(question, str):
        try:
            check_question(question)
        except BadInput as err:
            raise ValueError(str(err)) from None
    return question


class Question(Incoming):
    question: Annotated[str, Field(max_length=MAX_QUESTION_CHARS,
                                   json_schema_extra={"pattern": NOT_SPACE},
                                   description="The question, in the person's own words "
                                               "(not empty)."),
                        BeforeValidator(_answerable)]


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
    findings: Annotated[list[str], Field(description="The triage findings the question "
                                                     "describes, most pressing first.")]
    crisis: Annotated[bool, Field(description="True when the question speaks of suicide, "
                                              "wanting to die or self-harm; the message then "
                                              "begins with crisis support.")]


class AnswerPublic(BaseModel):
    """Up to three knowledge-base entries, best first; none when the question
    is out of scope. ``safety`` says what to do when the question describes a
    warning sign, whatever its topic."""

    in_scope: bool
    answers: list[AnswerItemPublic]
    safety: SafetyPublic
    reply: Annotated[str | None, Field(description="For a question out of scope: what "
                                                   "SpasmCare covers and who to ask instead."
                                       )] = None


def answer_public(answer: Answer) -> AnswerPublic:
    return AnswerPublic.model_validate(answer.to_dict())
