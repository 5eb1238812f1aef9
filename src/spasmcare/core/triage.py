"""Triage: from a person's answers to how urgently they should get help.

The findings, their tiers and their messages are knowledge-base data
(``triage.yaml``); this module only interprets them. It errs toward help:
a finding answered "not sure" counts as present.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from spasmcare.core.errors import BadInput
from spasmcare.core.knowledge import (
    Finding,
    NumberRule,
    QuestionGroup,
    TriageRules,
    Urgency,
    highest,
)

Reply = Literal["yes", "no", "unsure"]


class _AnswersIn(BaseModel):
    """The shape of a triage answers document (CONTRACTS section 1)."""

    model_config = ConfigDict(extra="forbid")

    age: Annotated[float, Field(ge=0, le=120)] | None = None
    days_since_onset: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    pain_score: Annotated[StrictInt, Field(ge=0, le=10)] | None = None
    findings: dict[str, StrictBool] = Field(default_factory=dict)


@dataclass(frozen=True)
class Answers:
    """What the person said. A finding missing from ``findings`` was not asked;
    one in ``unsure`` was answered "not sure" and is treated as present."""

    findings: Mapping[str, bool] = field(default_factory=dict)
    unsure: frozenset[str] = frozenset()
    age: float | None = None
    days_since_onset: float | None = None
    pain_score: int | None = None

    def says_yes(self, finding_id: str) -> bool:
        return finding_id in self.unsure or self.findings.get(finding_id) is True

    def answered(self, finding_id: str) -> bool:
        return finding_id in self.unsure or finding_id in self.findings

    def with_answer(self, finding_id: str, reply: Reply) -> Answers:
        """A copy with one more answer: "yes", "no" or "unsure"."""
        findings = {k: v for k, v in self.findings.items() if k != finding_id}
        unsure = self.unsure - {finding_id}
        if reply == "unsure":
            unsure |= {finding_id}
        else:
            findings[finding_id] = reply == "yes"
        return replace(self, findings=findings, unsure=frozenset(unsure))


@dataclass(frozen=True)
class Reason:
    finding: str
    urgency: Urgency
    message: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Assessment:
    urgency: Urgency
    reasons: tuple[Reason, ...]
    unanswered: tuple[str, ...]
    advice: str

    @property
    def complete(self) -> bool:
        return not self.unanswered

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of CONTRACTS section 1."""
        return {
            "urgency": self.urgency.value,
            "reasons": [
                {
                    "finding": r.finding,
                    "urgency": r.urgency.value,
                    "message": r.message,
                    "sources": list(r.sources),
                }
                for r in self.reasons
            ],
            "unanswered": list(self.unanswered),
            "complete": self.complete,
            "advice": self.advice,
        }


def parse_answers(document: object, rules: TriageRules) -> Answers:
    """Validate a triage answers document; raise BadInput naming what is wrong."""
    if not isinstance(document, Mapping):
        raise BadInput("the answers must be a JSON object with optional age, "
                       "days_since_onset, pain_score and findings")
    try:
        parsed = _AnswersIn.model_validate(document)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "answers"
        raise BadInput(f"{where}: {first['msg']} (got {first.get('input')!r})") from None
    known = {f.id for f in rules.findings}
    unknown = sorted(set(parsed.findings) - known)
    if unknown:
        raise BadInput(f"unknown finding id {', '.join(map(repr, unknown))}; the "
                       f"{len(known)} known ids are listed by 'spasmcare triage --list' "
                       "and GET /api/triage/questions")
    return Answers(
        findings=dict(parsed.findings),
        age=parsed.age,
        days_since_onset=parsed.days_since_onset,
        pain_score=parsed.pain_score,
    )


def question_order(rules: TriageRules) -> list[Finding]:
    """Every finding, most urgent tier first, in the knowledge base's order within a tier."""
    return sorted(rules.findings, key=lambda f: -f.tier.rank)


def next_question(answers: Answers, rules: TriageRules) -> Finding | None:
    """The next finding to ask about in an interactive check, or None when the
    check is over: every finding asked, or an emergency-tier finding present
    (answered yes or not sure), which ends the questions at once."""
    if any(answers.says_yes(f.id) for f in rules.findings if f.tier is Urgency.EMERGENCY):
        return None
    return next((f for f in question_order(rules) if not answers.answered(f.id)), None)


def question_groups(rules: TriageRules) -> tuple[QuestionGroup, ...]:
    """The checklists the findings are asked in, most urgent first: the
    knowledge base's groups, or without them one per tier."""
    if rules.groups:
        return rules.groups
    return tuple(QuestionGroup(id=tier.value, tier=tier, title=tier.value,
                               findings=tuple(f.id for f in question_order(rules)
                                              if f.tier is tier))
                 for tier in (Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON)
                 if any(f.tier is tier for f in rules.findings))


def next_group(answers: Answers, rules: TriageRules) -> QuestionGroup | None:
    """The next checklist to show, or None when the check is over: every
    finding answered, or any finding present (yes or not sure), after which
    what to do comes at once. The groups go most urgent first, so every
    emergency-tier finding is answered before a result of self-care."""
    if any(answers.says_yes(f.id) for f in rules.findings):
        return None
    return next((g for g in question_groups(rules)
                 if any(not answers.answered(fid) for fid in g.findings)), None)


def with_checklist(answers: Answers, group: QuestionGroup, ticked: Collection[str]) -> Answers:
    """The answers with ``group`` answered as a checklist: what was ticked is
    present (a tick means "I have this, or I am not sure"), the rest absent."""
    unknown = set(ticked) - set(group.findings)
    if unknown:
        raise BadInput(f"tick: {sorted(unknown)[0]!r} is not one of this checklist's signs")
    findings = {**answers.findings, **{fid: fid in ticked for fid in group.findings}}
    return replace(answers, findings=findings, unsure=answers.unsure - set(group.findings))


def require_red_flag_check(answers: Answers, rules: TriageRules) -> None:
    """No episode is recorded without the red-flag check: every emergency-tier
    question answered, unless one was answered yes or not sure (which ends the
    questions at once). Raises BadInput listing what is missing."""
    emergency = [f.id for f in question_order(rules) if f.tier is Urgency.EMERGENCY]
    if any(answers.says_yes(i) for i in emergency):
        return
    missing = [i for i in emergency if not answers.answered(i)]
    if missing:
        raise BadInput(f"answers: the red-flag check is not finished; {len(missing)} emergency "
                       f"question(s) unanswered: {', '.join(missing)}")


def assess(answers: Answers, rules: TriageRules) -> Assessment:
    """The urgency is the highest tier among the findings present (a finding
    with a days rule counts only once the episode is old enough, or when its
    age is unknown); self-care when none is present."""
    reasons: list[Reason] = []
    notes: list[str] = []
    for finding in question_order(rules):
        if not answers.says_yes(finding.id):
            continue
        rule = rules.days_rule(finding.id)
        days = answers.days_since_onset
        if rule is not None and days is not None and days <= rule.after_days:
            notes.append(rule.early_message)
            continue
        message = finding.message
        if finding.id in answers.unsure:
            message = f"{rules.unsure_prefix} {message}"
        reasons.append(Reason(finding.id, finding.tier, message, finding.sources))

    reasons += [Reason(rule.id, rule.urgency, rule.message, rule.sources)
                for rule in rules.number_rules if _holds(rule, answers, flagged=bool(reasons))]
    urgency = highest(r.urgency for r in reasons)
    unanswered = tuple(
        f.id
        for f in question_order(rules)
        if f.tier in (Urgency.EMERGENCY, Urgency.URGENT) and not answers.answered(f.id)
    )
    advice = _advice(urgency, unanswered, notes, rules)
    return Assessment(urgency, tuple(reasons), unanswered, advice)


def _holds(rule: NumberRule, answers: Answers, *, flagged: bool) -> bool:
    """Whether a number rule applies; ``flagged``: another finding is present."""
    age, days = answers.age, answers.days_since_onset
    if rule.age_below is not None or rule.age_above is not None:
        if age is None:
            return False
        young = rule.age_below is not None and age < rule.age_below
        old = rule.age_above is not None and age > rule.age_above
        if not (young or old):
            return False
    if rule.days_from is not None and (days is None or days < rule.days_from):
        return False
    if rule.days_below is not None and (days is None or days >= rule.days_below):
        return False
    if rule.with_another_flag and not flagged:
        return False
    return not (rule.unless_answered_no is not None
                and answers.findings.get(rule.unless_answered_no) is False
                and rule.unless_answered_no not in answers.unsure)


def _advice(urgency: Urgency, unanswered: tuple[str, ...], notes: list[str],
            rules: TriageRules) -> str:
    tier = rules.tier(urgency)
    parts = [tier.headline, tier.action]
    if unanswered and urgency is not Urgency.EMERGENCY:
        missing_emergency = [i for i in unanswered if rules.finding(i).tier is Urgency.EMERGENCY]
        if missing_emergency:
            parts.append(
                f"{len(missing_emergency)} emergency warning-sign question(s) are still "
                "unanswered, so this cannot yet be called safe to manage at home: "
                "answer them before relying on this result."
            )
        else:
            parts.append(
                f"{len(unanswered)} same-day warning-sign question(s) are still unanswered: "
                "answer them to complete the check."
            )
    parts.extend(notes)
    return " ".join(parts)
